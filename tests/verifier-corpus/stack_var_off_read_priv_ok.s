// type: socket_filter

// what: a read at r10 - 16 + (len & 8) after both slots were written
r2 = *(u32 *)(r1 +0)
r2 &= 8
*(u64 *)(r10 -16) = 0
*(u64 *)(r10 -8) = 0
r3 = r10
r3 += -16
r3 += r2
r0 = *(u64 *)(r3 +0)
exit
