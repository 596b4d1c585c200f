// type: socket_filter
// what: BPF_JCOND with a source register other than BPF_MAY_GOTO
// patch: 1 src=1
r0 = 1
may_goto +1
r0 = 2
exit
