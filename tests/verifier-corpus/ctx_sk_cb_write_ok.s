// type: socket_filter

// what: skb->cb[0..4] (offsets 48..67) may be written and read back; returns 7
r2 = 7
*(u32 *)(r1 +48) = r2
r0 = *(u32 *)(r1 +48)
exit
