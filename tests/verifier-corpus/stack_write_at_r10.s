// type: socket_filter

// what: a write at r10 + 0, above the stack
*(u64 *)(r10 +0) = 0
r0 = 0
exit
