// type: sched_cls

// what: tc's packet starts at the Ethernet header; direct reads and writes
r2 = *(u32 *)(r1 +76)
r3 = *(u32 *)(r1 +80)
r4 = r2
r4 += 14
if r4 > r3 goto out
r0 = *(u8 *)(r2 +12)
r5 = 0xaa
*(u8 *)(r2 +0) = r5
exit
out:
r0 = 99
exit
