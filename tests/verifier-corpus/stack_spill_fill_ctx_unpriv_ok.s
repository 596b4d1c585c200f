// type: socket_filter
// mode: unpriv

// what: the same without CAP_SYS_ADMIN/CAP_PERFMON
*(u64 *)(r10 -8) = r1
r2 = *(u64 *)(r10 -8)
r0 = *(u32 *)(r2 +0)
exit
