// type: socket_filter

// what: LD_ABS is a call: r1-r5 are unreadable afterwards
r6 = r1
r0 = *(u8 *)skb[0]
r0 = r2
exit
