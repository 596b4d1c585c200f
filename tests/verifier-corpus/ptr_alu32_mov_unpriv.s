// type: socket_filter
// mode: unpriv

// what: a 32-bit copy of a pointer without CAP_PERFMON
w2 = w10
r0 = 0
exit
