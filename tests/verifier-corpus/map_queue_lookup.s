// type: socket_filter
map q: queue key=0 value=8 max=4

// what: bpf_map_lookup_elem on a queue (key_size 0)
*(u64 *)(r10 -8) = 0
r1 = map[q] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
r0 = 0
exit
