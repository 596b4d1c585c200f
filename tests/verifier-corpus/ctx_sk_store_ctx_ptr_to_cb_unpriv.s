// type: socket_filter
// mode: unpriv
// what: storing the context pointer into skb->cb without CAP_PERFMON
*(u32 *)(r1 +48) = r1
r0 = 0
exit
