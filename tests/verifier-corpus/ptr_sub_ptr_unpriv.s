// type: socket_filter
// mode: unpriv

// what: pointer - pointer without CAP_PERFMON
r2 = r10
r2 -= r1
r0 = 0
exit
