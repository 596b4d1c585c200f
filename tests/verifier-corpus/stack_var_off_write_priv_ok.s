// type: socket_filter

// what: a write at r10 - 16 + (len & 8): variable stack offset, allowed with privileges
r2 = *(u32 *)(r1 +0)
r2 &= 8
r3 = r10
r3 += -16
r3 += r2
r4 = 0
*(u64 *)(r3 +0) = r4
r0 = 0
exit
