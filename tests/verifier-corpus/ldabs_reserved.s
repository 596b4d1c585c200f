// type: socket_filter

// what: LD_ABS with a non-zero dst_reg
// patch: 1 dst=1
r6 = r1
r0 = *(u8 *)skb[0]
exit
