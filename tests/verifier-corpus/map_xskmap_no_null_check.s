// type: xdp
map xs: xskmap key=4 value=4 max=4

// what: the lookup may be NULL
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[xs] ll
call bpf_map_lookup_elem
r0 = *(u32 *)(r0 +0)
r0 = 2
exit
