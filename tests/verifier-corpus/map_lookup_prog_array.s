// type: socket_filter
map jt: prog_array key=4 value=4 max=4

// what: a lookup in a prog_array
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[jt] ll
call bpf_map_lookup_elem
r0 = 0
exit
