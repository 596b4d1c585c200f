// type: socket_filter

// what: an 8-byte write at r10 - 12
r1 = 0
*(u64 *)(r10 -12) = r1
r0 = 0
exit
