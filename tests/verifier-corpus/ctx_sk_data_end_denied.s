// type: socket_filter

// what: skb->data_end (offset 80)
r0 = *(u32 *)(r1 +80)
exit
