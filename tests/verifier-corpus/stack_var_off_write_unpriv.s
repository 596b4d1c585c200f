// type: socket_filter
// mode: unpriv

// what: the variable-offset stack write without CAP_PERFMON
r2 = *(u32 *)(r1 +0)
r2 &= 8
r3 = r10
r3 += -16
r3 += r2
r4 = 0
*(u64 *)(r3 +0) = r4
r0 = 0
exit
