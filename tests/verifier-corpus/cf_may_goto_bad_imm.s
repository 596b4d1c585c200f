// type: socket_filter
// what: a may_goto with an immediate
// patch: 1 imm=5
r0 = 1
may_goto +0
exit
