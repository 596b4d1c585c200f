// type: sched_cls

// what: bpf_sk_fullsock needs a socket, not one that may be NULL
r1 = *(u64 *)(r1 +168)
call bpf_sk_fullsock
r0 = 0
exit
