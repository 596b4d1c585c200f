// type: socket_filter

// what: a store-immediate (BPF_ST) into skb->cb is allowed
*(u32 *)(r1 +48) = 1
r0 = 0
exit
