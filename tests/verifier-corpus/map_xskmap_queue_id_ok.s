// type: xdp
map xs: xskmap key=4 value=4 max=4

// what: an xskmap lookup is an AF_XDP socket once null-checked; its queue_id may be read
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[xs] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r0 = *(u32 *)(r0 +0)
out:
r0 = 2
exit
