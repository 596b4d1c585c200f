// type: socket_filter
// mode: unpriv

// what: comparing two pointers without CAP_PERFMON
r2 = r10
r0 = 0
if r1 == r2 goto +1
r0 = 1
exit
