// type: socket_filter

// what: goto with a non-zero immediate
// patch: 1 imm=1
r0 = 0
goto +0
exit
