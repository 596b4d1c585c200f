// type: socket_filter
// mode: unpriv

// what: the dead branch of jmp_dead_branch_ok without CAP_PERFMON
r2 = 5
r0 = 0
if r2 == 6 goto bad
exit
bad:
r0 = r3
exit
