// type: socket_filter
map arr: array key=4 value=16 max=4

// what: value + (len & 12), then an 8-byte read: up to offset 20 of a 16-byte value
r6 = *(u32 *)(r1 +0)
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[arr] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r6 &= 12
r0 += r6
r1 = *(u64 *)(r0 +0)
out:
r0 = 0
exit
