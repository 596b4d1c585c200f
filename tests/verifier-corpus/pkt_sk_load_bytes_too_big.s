// type: socket_filter

// what: bpf_skb_load_bytes into 8 stack bytes with len 16
r2 = 0
r3 = r10
r3 += -8
r4 = 16
call bpf_skb_load_bytes
r0 = 0
exit
