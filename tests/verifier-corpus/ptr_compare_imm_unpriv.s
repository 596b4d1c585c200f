// type: socket_filter
// mode: unpriv

// what: comparing a pointer with a constant other than 0 without CAP_PERFMON
r0 = 0
if r1 == 5 goto +1
r0 = 1
exit
