// type: socket_filter

// what: spill the context pointer, fill it back and use it; returns skb->len
*(u64 *)(r10 -8) = r1
r1 = 0
r2 = *(u64 *)(r10 -8)
r0 = *(u32 *)(r2 +0)
exit
