// type: socket_filter

// what: ctx plus an unknown (bounded) offset
r2 = *(u32 *)(r1 +0)
r2 &= 4
r1 += r2
r0 = *(u32 *)(r1 +0)
exit
