// type: socket_filter

// what: a load with a non-zero immediate
// patch: 0 imm=1
r0 = *(u32 *)(r1 +0)
exit
