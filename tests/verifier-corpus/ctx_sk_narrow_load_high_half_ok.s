// type: socket_filter

// what: a two-byte load of the upper half of skb->len (0 here)
r0 = *(u16 *)(r1 +2)
exit
