// type: xdp

// what: data + (byte 0 & 15), checked again before the read
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r0 = 0
r4 = r2
r4 += 1
if r4 > r3 goto out
r5 = *(u8 *)(r2 +0)
r5 &= 15
r2 += r5
r4 = r2
r4 += 1
if r4 > r3 goto out
r0 = *(u8 *)(r2 +0)
out:
exit
