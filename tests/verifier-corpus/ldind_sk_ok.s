// type: socket_filter

// what: LD_IND with r7 = 2: frame bytes 16..17 = 0x1011
r6 = r1
r7 = 2
r0 = *(u16 *)skb[r7 + 0]
exit
