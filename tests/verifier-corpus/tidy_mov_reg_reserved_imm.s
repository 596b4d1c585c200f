// type: socket_filter

// what: a register MOV with a non-zero immediate
// patch: 1 imm=5
r0 = 0
r0 = r0
exit
