// type: socket_filter

// what: LDX with mode 0xc0 (an atomic mode on a load)
// patch: 0 code=0xd9
r0 = *(u64 *)(r1 +0)
exit
