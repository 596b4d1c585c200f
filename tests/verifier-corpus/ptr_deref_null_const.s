// type: socket_filter

// what: a load through 0
r2 = 0
r0 = *(u64 *)(r2 +0)
exit
