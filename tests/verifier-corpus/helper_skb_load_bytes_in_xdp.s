// type: xdp

// what: a socket-buffer helper in an XDP program
r2 = 0
r3 = r10
r3 += -8
r4 = 8
call bpf_skb_load_bytes
r0 = 2
exit
