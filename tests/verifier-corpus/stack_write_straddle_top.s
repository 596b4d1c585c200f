// type: socket_filter

// what: an 8-byte write at r10 - 4 reaches past the top
r1 = 0
*(u64 *)(r10 -4) = r1
r0 = 0
exit
