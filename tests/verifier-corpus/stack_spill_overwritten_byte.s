// type: socket_filter

// what: a spilled pointer with one byte overwritten is no longer a pointer
*(u64 *)(r10 -8) = r1
*(u8 *)(r10 -8) = 0
r2 = *(u64 *)(r10 -8)
r0 = *(u32 *)(r2 +0)
exit
