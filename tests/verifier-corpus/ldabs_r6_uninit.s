// type: socket_filter

// what: LD_ABS before r6 is written
r0 = *(u8 *)skb[0]
exit
