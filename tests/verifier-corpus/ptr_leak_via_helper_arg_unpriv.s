// type: socket_filter
// mode: unpriv
map counts: hash key=4 value=8 max=64

// what: a pointer stored as a map value through bpf_map_update_elem without CAP_PERFMON
*(u32 *)(r10 -4) = 0
*(u64 *)(r10 -16) = r10
r1 = map[counts] ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r0 = 0
exit
