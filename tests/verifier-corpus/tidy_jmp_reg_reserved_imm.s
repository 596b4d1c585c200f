// type: socket_filter

// what: a register comparison with a non-zero immediate
// patch: 2 imm=1
r0 = 0
r1 = 0
if r0 == r1 goto +0
exit
