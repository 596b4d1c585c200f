// type: xdp
map dm: devmap key=4 value=4 max=4

// what: devmap values are the kernel's own copy: the map is read-only to programs (BPF_F_RDONLY_PROG)
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[dm] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r1 = 1
*(u32 *)(r0 +0) = r1
out:
r0 = 2
exit
