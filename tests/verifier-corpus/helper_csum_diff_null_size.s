// type: sched_cls

// what: NULL goes only with a size of 0
r1 = 0
r2 = 4
r3 = 0
r4 = 0
r5 = 0
call bpf_csum_diff
exit
