// type: socket_filter

// what: bpf_skb_load_bytes with a length checked to 1..8
r4 = *(u32 *)(r1 +0)
if r4 > 8 goto out
if r4 == 0 goto out
r2 = 0
r3 = r10
r3 += -8
call bpf_skb_load_bytes
out:
r0 = 0
exit
