// type: socket_filter
map l: lru_percpu_hash key=4 value=8 max=4

// what: an lru_percpu_hash update and lookup; the value of this CPU
*(u32 *)(r10 -4) = 1
*(u64 *)(r10 -16) = 9
r1 = map[l] ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
r1 = map[l] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto out
r0 = *(u64 *)(r0 +0)
out:
exit
