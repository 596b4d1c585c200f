// type: socket_filter

// what: a register store with a non-zero immediate
// patch: 1 imm=1
r1 = 0
*(u64 *)(r10 -8) = r1
r0 = 0
exit
