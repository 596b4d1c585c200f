// type: xdp
map dm: devmap key=4 value=8 max=4

// what: a devmap's lookup gives its bpf_devmap_val (ifindex, program id), which programs may read
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[dm] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r0 = *(u32 *)(r0 +4)
out:
r0 = 2
exit
