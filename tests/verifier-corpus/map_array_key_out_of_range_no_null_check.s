// type: socket_filter
map arr: array key=4 value=16 max=4

// what: array lookup of the constant key 4 (stored as a u32) in a 4-entry array: may be NULL
*(u32 *)(r10 -8) = 4
r2 = r10
r2 += -8
r1 = map[arr] ll
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
exit
