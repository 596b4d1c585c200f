// type: socket_filter

// what: skb->data (offset 76): socket filters have no direct packet access
r0 = *(u32 *)(r1 +76)
exit
