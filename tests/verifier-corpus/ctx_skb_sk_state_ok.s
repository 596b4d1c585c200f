// type: socket_filter

// what: skb->sk is a socket or NULL; the test run's dummy socket is TCP_CLOSE (7)
r1 = *(u64 *)(r1 +168)
if r1 == 0 goto out
r0 = *(u32 *)(r1 +72)
exit
out:
r0 = 100
exit
