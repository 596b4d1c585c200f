// type: socket_filter
// mode: unpriv

// what: 4 of 8 bytes written, 8 read, without CAP_PERFMON
*(u32 *)(r10 -8) = 0
r0 = *(u64 *)(r10 -8)
r0 = 0
exit
