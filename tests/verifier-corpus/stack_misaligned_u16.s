// type: socket_filter

// what: a 2-byte write at r10 - 3
*(u16 *)(r10 -3) = 1
r0 = 0
exit
