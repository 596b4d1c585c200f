// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: a number where the key pointer goes
r2 = 0
r1 = map[counts] ll
call bpf_map_lookup_elem
r0 = 0
exit
