// type: socket_filter
// mode: unpriv

// what: an atomic add on stack nobody wrote, without CAP_PERFMON
r1 = 1
lock *(u64 *)(r10 -8) += r1
r0 = 0
exit
