// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: bpf_map_update_elem(map, &key, &value, BPF_ANY); then the test run leaves counts[0] = 5
*(u32 *)(r10 -4) = 0
r1 = 5
*(u64 *)(r10 -16) = r1
r1 = map[counts] ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r0 = 0
exit
