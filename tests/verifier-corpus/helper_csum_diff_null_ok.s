// type: sched_cls

// what: bpf_csum_diff takes NULL with a size of 0 for either side
r2 = 0xdeadbeef
*(u32 *)(r10 -8) = r2
r1 = 0
r2 = 0
r3 = r10
r3 += -8
r4 = 4
r5 = 0
call bpf_csum_diff
exit
