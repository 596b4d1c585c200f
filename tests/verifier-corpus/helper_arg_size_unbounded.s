// type: socket_filter

// what: bpf_skb_load_bytes with an unknown length
r4 = *(u32 *)(r1 +0)
r2 = 0
r3 = r10
r3 += -8
call bpf_skb_load_bytes
r0 = 0
exit
