// type: socket_filter

// what: bpf_skb_load_bytes(skb, 0, fp-8, 8), returning the first byte after the Ethernet header (14)
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = *(u8 *)(r10 -8)
exit
