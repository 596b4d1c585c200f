// type: socket_filter
map arr: array key=4 value=16 max=4
// what: array lookup of the constant key 0 stored as a u32 at r10 - 8, no NULL check
*(u32 *)(r10 -8) = 0
r2 = r10
r2 += -8
r1 = map[arr] ll
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
exit
