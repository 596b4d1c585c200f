// type: socket_filter

// what: a stack pointer where the map goes
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = r10
call bpf_map_lookup_elem
r0 = 0
exit
