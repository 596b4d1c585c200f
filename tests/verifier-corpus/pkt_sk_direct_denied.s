// type: socket_filter

// what: socket filters cannot read skb->data (direct packet access)
r2 = *(u32 *)(r1 +76)
r3 = *(u32 *)(r1 +80)
r0 = 0
exit
