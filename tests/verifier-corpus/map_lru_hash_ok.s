// type: socket_filter
map lru: lru_hash key=8 value=8 max=16

// what: an LRU hash lookup with an 8-byte key
*(u64 *)(r10 -8) = 0
r2 = r10
r2 += -8
r1 = map[lru] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r0 = *(u64 *)(r0 +0)
out:
r0 = 0
exit
