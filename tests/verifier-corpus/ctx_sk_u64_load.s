// type: socket_filter

// what: an 8-byte load of the 4-byte skb->len
r0 = *(u64 *)(r1 +0)
exit
