// type: socket_filter
map b: bloom_filter key=0 value=4 max=16

// what: bpf_map_pop_elem on a bloom filter (only push and peek are allowed)
r1 = map[b] ll
r2 = r10
r2 += -8
call bpf_map_pop_elem
r0 = 0
exit
