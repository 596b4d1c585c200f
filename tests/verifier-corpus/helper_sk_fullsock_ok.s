// type: sched_cls

// what: bpf_sk_fullsock of skb->sk: the dummy socket is full; its type and protocol are readable then
r1 = *(u64 *)(r1 +168)
if r1 == 0 goto out
call bpf_sk_fullsock
if r0 == 0 goto out
r1 = *(u32 *)(r0 +72)
r0 = *(u32 *)(r0 +12)
r0 += r1
exit
out:
r0 = 100
exit
