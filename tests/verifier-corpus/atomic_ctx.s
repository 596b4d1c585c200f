// type: socket_filter

// what: an atomic add into the context
r2 = 1
lock *(u32 *)(r1 +48) += r2
r0 = 0
exit
