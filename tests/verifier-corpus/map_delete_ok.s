// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: bpf_map_delete_elem(map, &key)
*(u32 *)(r10 -4) = 0
r1 = map[counts] ll
r2 = r10
r2 += -4
call bpf_map_delete_elem
r0 = 0
exit
