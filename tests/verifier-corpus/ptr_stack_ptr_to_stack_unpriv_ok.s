// type: socket_filter
// mode: unpriv

// what: spilling the frame pointer to the stack is fine without CAP_PERFMON
*(u64 *)(r10 -8) = r10
r0 = 0
exit
