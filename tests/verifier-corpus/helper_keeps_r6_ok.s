// type: socket_filter

// what: r6-r9 survive a helper call; returns skb->len
r6 = *(u32 *)(r1 +0)
call bpf_ktime_get_ns
r0 = r6
exit
