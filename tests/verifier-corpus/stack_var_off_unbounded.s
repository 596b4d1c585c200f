// type: socket_filter

// what: a stack pointer plus an unbounded scalar
r2 = *(u32 *)(r1 +0)
r3 = r10
r3 += r2
r4 = 0
*(u64 *)(r3 -8) = r4
r0 = 0
exit
