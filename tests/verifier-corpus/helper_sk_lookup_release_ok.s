// type: sched_cls

// what: a looked-up socket released; on the test run's machine none is found
*(u64 *)(r10 -8) = 0
*(u64 *)(r10 -16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
if r0 == 0 goto out
r1 = r0
call bpf_sk_release
r0 = 1
exit
out:
r0 = 2
exit
