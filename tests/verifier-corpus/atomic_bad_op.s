// type: socket_filter

// what: an atomic instruction with an unknown operation (imm 0x10)
// patch: 2 imm=0x10
*(u64 *)(r10 -8) = 0
r1 = 1
lock *(u64 *)(r10 -8) += r1
r0 = 0
exit
