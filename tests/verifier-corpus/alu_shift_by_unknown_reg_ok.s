// type: socket_filter

// what: a shift by an unknown register amount is allowed
r2 = *(u32 *)(r1 +0)
r0 = 1
r0 <<= r2
r0 = 0
exit
