// type: socket_filter
map ph: percpu_hash key=4 value=4 max=8

// what: an 8-byte read from a 4-byte per-CPU value
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[ph] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r0 = *(u64 *)(r0 +0)
out:
r0 = 0
exit
