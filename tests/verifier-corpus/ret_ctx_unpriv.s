// type: socket_filter
// mode: unpriv

// what: returning the context pointer without CAP_PERFMON
r0 = r1
exit
