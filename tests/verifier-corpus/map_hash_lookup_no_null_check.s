// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: a load from the lookup result without checking it for NULL
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[counts] ll
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 0
exit
