// type: socket_filter
// mode: unpriv

// what: returning the frame pointer without CAP_PERFMON
r0 = r10
exit
