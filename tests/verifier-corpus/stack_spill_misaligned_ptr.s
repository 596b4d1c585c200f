// type: socket_filter

// what: spilling a pointer at r10 - 4 (4-byte store of a pointer)
*(u32 *)(r10 -4) = r1
r0 = 0
exit
