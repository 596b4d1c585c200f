// type: xdp

// what: XDP may return any scalar (here byte 0 of the frame)
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r0 = 0
r4 = r2
r4 += 1
if r4 > r3 goto out
r0 = *(u8 *)(r2 +0)
out:
exit
