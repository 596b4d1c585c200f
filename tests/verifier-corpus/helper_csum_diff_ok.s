// type: sched_cls

// what: bpf_csum_diff of two words with a seed, folded to 16 bits as 6.18 returns it
r2 = 0x12345678
*(u32 *)(r10 -4) = r2
r2 = 0x0badcafe
*(u32 *)(r10 -8) = r2
r1 = r10
r1 += -4
r2 = 4
r3 = r10
r3 += -8
r4 = 4
r5 = 0x11
call bpf_csum_diff
exit
