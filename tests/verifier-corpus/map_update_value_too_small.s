// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: the value pointer has 4 initialised bytes before the stack top, the map wants 8
*(u32 *)(r10 -4) = 0
r1 = map[counts] ll
r2 = r10
r2 += -4
r3 = r10
r3 += -4
r4 = 0
call bpf_map_update_elem
r0 = 0
exit
