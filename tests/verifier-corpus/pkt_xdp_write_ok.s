// type: xdp

// what: writing a checked byte; returns XDP_PASS
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = r2
r4 += 1
if r4 > r3 goto out
*(u8 *)(r2 +0) = 0xff
out:
r0 = 2
exit
