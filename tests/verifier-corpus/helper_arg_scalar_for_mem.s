// type: socket_filter

// what: a number where bpf_skb_load_bytes wants a buffer pointer
r2 = 0
r3 = 0
r4 = 8
call bpf_skb_load_bytes
r0 = 0
exit
