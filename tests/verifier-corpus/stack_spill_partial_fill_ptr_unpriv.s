// type: socket_filter
// mode: unpriv

// what: a 4-byte fill of a spilled pointer without CAP_PERFMON
*(u64 *)(r10 -8) = r1
r2 = *(u32 *)(r10 -8)
r0 = 0
exit
