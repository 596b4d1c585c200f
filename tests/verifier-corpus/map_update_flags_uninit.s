// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: r4 (flags) never set
*(u32 *)(r10 -4) = 0
*(u64 *)(r10 -16) = 0
r1 = map[counts] ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
call bpf_map_update_elem
r0 = 0
exit
