// type: socket_filter

// what: a store-immediate with a non-zero src_reg
// patch: 0 src=1
*(u64 *)(r10 -8) = 1
r0 = 0
exit
