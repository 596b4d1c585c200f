// type: socket_filter
map st: sk_storage key=4 value=8 max=0 flags=1

// what: socket storage is reached through bpf_sk_storage_get, not map lookups
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[st] ll
call bpf_map_lookup_elem
r0 = 0
exit
