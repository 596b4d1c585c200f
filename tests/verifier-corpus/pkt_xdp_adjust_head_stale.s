// type: xdp

// what: a packet pointer used after bpf_xdp_adjust_head invalidated it
r6 = r1
r7 = *(u32 *)(r1 +0)
r8 = *(u32 *)(r1 +4)
r4 = r7
r4 += 1
if r4 > r8 goto out
r2 = 0
call bpf_xdp_adjust_head
r0 = *(u8 *)(r7 +0)
out:
r0 = 2
exit
