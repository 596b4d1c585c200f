// type: socket_filter

// what: a load through a number
r2 = 0x1000
r0 = *(u64 *)(r2 +0)
exit
