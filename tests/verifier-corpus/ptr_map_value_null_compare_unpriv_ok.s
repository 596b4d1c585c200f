// type: socket_filter
// mode: unpriv
map counts: hash key=4 value=8 max=64
// what: the NULL check of a lookup result is fine without CAP_PERFMON
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[counts] ll
call bpf_map_lookup_elem
r1 = r0
r0 = 0
if r1 == 0 goto +1
r0 = 1
exit
