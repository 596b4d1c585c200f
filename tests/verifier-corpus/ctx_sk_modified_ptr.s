// type: socket_filter

// what: a load through ctx + 4
r1 += 4
r0 = *(u32 *)(r1 +0)
exit
