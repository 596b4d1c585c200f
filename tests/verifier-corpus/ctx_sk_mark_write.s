// type: socket_filter

// what: skb->mark (offset 8) is read-only for socket filters
r2 = 1
*(u32 *)(r1 +8) = r2
r0 = 0
exit
