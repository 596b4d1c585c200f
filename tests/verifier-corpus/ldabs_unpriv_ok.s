// type: socket_filter
// mode: unpriv

// what: LD_ABS without CAP_SYS_ADMIN/CAP_PERFMON
r6 = r1
r0 = *(u8 *)skb[1]
exit
