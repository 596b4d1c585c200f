// type: sched_cls

// what: a size that is not a multiple of 4 (6.18 sums the last bytes zero-padded)
*(u64 *)(r10 -8) = 0
r1 = r10
r1 += -8
r2 = 6
r3 = 0
r4 = 0
r5 = 0
call bpf_csum_diff
exit
