// type: socket_filter

// what: storing the context pointer itself into skb->cb (a 4-byte store of a pointer) is allowed with privileges
*(u32 *)(r1 +48) = r1
r0 = 0
exit
