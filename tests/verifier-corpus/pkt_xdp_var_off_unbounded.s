// type: xdp

// what: data + an unbounded scalar
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r0 = 0
r4 = r2
r4 += 8
if r4 > r3 goto out
r5 = *(u64 *)(r2 +0)
r2 += r5
r0 = 1
out:
exit
