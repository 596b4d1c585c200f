// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: the load is on the branch where r0 is NULL
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[counts] ll
call bpf_map_lookup_elem
if r0 != 0 goto out
r1 = *(u64 *)(r0 +0)
out:
r0 = 0
exit
