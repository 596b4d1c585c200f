// type: socket_filter

// what: a write below the 512-byte stack
r1 = 0
*(u64 *)(r10 -520) = r1
r0 = 0
exit
