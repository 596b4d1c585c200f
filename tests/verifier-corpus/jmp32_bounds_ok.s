// type: socket_filter

// what: JMP32 bounds a value used as a stack offset
r2 = *(u32 *)(r1 +0)
if w2 > 7 goto out
r3 = r10
r3 += -8
r3 += r2
*(u8 *)(r3 +0) = 1
out:
r0 = 0
exit
