// type: socket_filter

// what: NEG with a non-zero immediate
// patch: 1 imm=1
r0 = 1
r0 = -r0
exit
