// type: socket_filter
map q: queue key=0 value=8 max=4

// what: bpf_map_push_elem, bpf_map_pop_elem and bpf_map_peek_elem on a queue; pop and peek write uninitialised stack
*(u64 *)(r10 -8) = 7
r1 = map[q] ll
r2 = r10
r2 += -8
r3 = 0
call bpf_map_push_elem
r1 = map[q] ll
r2 = r10
r2 += -16
call bpf_map_pop_elem
r1 = map[q] ll
r2 = r10
r2 += -24
call bpf_map_peek_elem
r0 = *(u64 *)(r10 -16)
r1 = *(u64 *)(r10 -24)
r0 += r1
exit
