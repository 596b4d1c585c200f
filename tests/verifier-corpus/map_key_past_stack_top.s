// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: a 4-byte key at r10 - 2 reaches past the top of the stack
*(u16 *)(r10 -2) = 0
r2 = r10
r2 += -2
r1 = map[counts] ll
call bpf_map_lookup_elem
r0 = 0
exit
