// type: socket_filter

// what: LD_ABS with r6 not holding the context
r6 = 0
r0 = *(u8 *)skb[0]
exit
