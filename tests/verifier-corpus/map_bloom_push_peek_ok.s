// type: socket_filter
map b: bloom_filter key=0 value=4 max=16 flags=64 extra=3

// what: bpf_map_push_elem then bpf_map_peek_elem of the same value on a bloom filter: 0 (found)
*(u32 *)(r10 -4) = 42
r1 = map[b] ll
r2 = r10
r2 += -4
r3 = 0
call bpf_map_push_elem
r1 = map[b] ll
r2 = r10
r2 += -4
call bpf_map_peek_elem
exit
