// type: socket_filter
map t: lpm_trie key=8 value=8 max=16 flags=1

// what: bpf_map_update_elem then bpf_map_lookup_elem (longest prefix) on an lpm_trie
*(u32 *)(r10 -8) = 16
*(u32 *)(r10 -4) = 0xa8c0
*(u64 *)(r10 -16) = 5
r1 = map[t] ll
r2 = r10
r2 += -8
r3 = r10
r3 += -16
r4 = 0
call bpf_map_update_elem
*(u32 *)(r10 -8) = 32
*(u32 *)(r10 -4) = 0x0701a8c0
r1 = map[t] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
if r0 == 0 goto out
r0 = *(u64 *)(r0 +0)
out:
exit
