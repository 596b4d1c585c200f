// type: socket_filter
// mode: unpriv
// what: negating a pointer without CAP_PERFMON
r2 = r10
r2 = -r2
r0 = 0
exit
