// type: socket_filter
// what: JMP32 | BPF_JCOND is not in the opcode table
// patch: 1 code=0xe6
r0 = 1
may_goto +1
r0 = 2
exit
