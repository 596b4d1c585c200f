// type: socket_filter
map s: stack key=0 value=8 max=4

// what: bpf_map_update_elem on a stack
*(u64 *)(r10 -8) = 0
r1 = map[s] ll
r2 = r10
r2 += -8
r3 = r10
r3 += -8
r4 = 0
call bpf_map_update_elem
r0 = 0
exit
