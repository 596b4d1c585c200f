// type: socket_filter

// what: a 4-byte fill of a spilled pointer, then used as a pointer
*(u64 *)(r10 -8) = r1
r2 = *(u32 *)(r10 -8)
r0 = *(u32 *)(r2 +0)
exit
