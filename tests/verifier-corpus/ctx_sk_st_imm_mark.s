// type: socket_filter
// what: a store-immediate into the read-only skb->mark
*(u32 *)(r1 +8) = 1
r0 = 0
exit
