// type: socket_filter

// what: skb->sk is one 8-byte load
r1 = *(u32 *)(r1 +168)
r0 = 0
exit
