// type: sched_cls

// what: bpf_sk_lookup_tcp takes a reference on the socket it finds
*(u64 *)(r10 -8) = 0
*(u64 *)(r10 -16) = 0
r2 = r10
r2 += -16
r3 = 12
r4 = 0
r5 = 0
call bpf_sk_lookup_tcp
r0 = 0
exit
