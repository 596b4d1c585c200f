// type: socket_filter

// what: sock_common has no type, protocol, mark or priority (bpf_sk_fullsock gives them)
r1 = *(u64 *)(r1 +168)
if r1 == 0 goto out
r0 = *(u32 *)(r1 +8)
exit
out:
r0 = 0
exit
