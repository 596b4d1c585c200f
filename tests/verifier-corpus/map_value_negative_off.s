// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: a read before the value
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[counts] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r1 = *(u32 *)(r0 -4)
out:
r0 = 0
exit
