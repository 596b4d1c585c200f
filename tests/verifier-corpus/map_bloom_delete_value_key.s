// type: socket_filter
map a: array key=4 value=8 max=1
map b: bloom_filter key=0 value=4 max=16

// what: bpf_map_delete_elem on a bloom filter, the key a map value pointer
*(u32 *)(r10 -4) = 0
r1 = map[a] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto out
r2 = r0
r1 = map[b] ll
call bpf_map_delete_elem
out:
r0 = 0
exit
