// type: socket_filter
// mode: unpriv

// what: reading stack nobody wrote without CAP_PERFMON
r0 = *(u64 *)(r10 -8)
r0 = 0
exit
