// type: socket_filter
map h: hash key=4 value=8 max=4

// what: bpf_map_push_elem on a hash map
*(u64 *)(r10 -8) = 0
r1 = map[h] ll
r2 = r10
r2 += -8
r3 = 0
call bpf_map_push_elem
r0 = 0
exit
