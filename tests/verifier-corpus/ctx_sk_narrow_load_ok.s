// type: socket_filter

// what: a one-byte load of skb->len
r0 = *(u8 *)(r1 +0)
exit
