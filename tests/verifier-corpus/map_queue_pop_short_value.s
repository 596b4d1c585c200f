// type: socket_filter
map q: queue key=0 value=16 max=4

// what: bpf_map_pop_elem writes value_size (16) bytes: 8 bytes of stack left at the top are too few
r1 = map[q] ll
r2 = r10
r2 += -8
call bpf_map_pop_elem
r0 = 0
exit
