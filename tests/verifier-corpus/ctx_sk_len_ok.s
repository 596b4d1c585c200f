// type: socket_filter

// what: skb->len (offset 0); 50 for the 64-byte test frame
r0 = *(u32 *)(r1 +0)
exit
