// type: socket_filter

// what: a store and a load at r10 - 8; returns 42
r1 = 42
*(u64 *)(r10 -8) = r1
r0 = *(u64 *)(r10 -8)
exit
