// type: socket_filter

// what: the lowest stack slot, r10 - 512
*(u64 *)(r10 -512) = 1
r0 = *(u64 *)(r10 -512)
exit
