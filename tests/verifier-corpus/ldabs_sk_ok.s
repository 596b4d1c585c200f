// type: socket_filter

// what: LD_ABS reads the packet after the Ethernet header: byte 0 is frame byte 14
r6 = r1
r0 = *(u8 *)skb[0]
exit
