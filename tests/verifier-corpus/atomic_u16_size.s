// type: socket_filter

// what: an atomic add of 16 bits (patched size)
// patch: 1 code=0xcb
r1 = 1
lock *(u32 *)(r10 -8) += r1
r0 = 0
exit
