// type: socket_filter

// what: a 4-byte LD_ABS (network byte order): frame bytes 14..17 = 0x0e0f1011
r6 = r1
r0 = *(u32 *)skb[0]
exit
