// type: xdp

// what: LD_ABS in an XDP program
r6 = r1
r0 = *(u8 *)skb[0]
exit
