// type: sched_cls

// what: the test run's skb: len (64), pkt_type (3), ifindex (1), protocol (0x88b5 as stored)
r0 = *(u32 *)(r1 +0)
r2 = *(u32 *)(r1 +4)
r0 += r2
r2 = *(u32 *)(r1 +40)
r0 += r2
r2 = *(u16 *)(r1 +16)
r0 += r2
r2 = *(u8 *)(r1 +180)
r0 += r2
exit
