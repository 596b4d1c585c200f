// type: socket_filter

// what: a 4-byte load at offset 2
r0 = *(u32 *)(r1 +2)
exit
