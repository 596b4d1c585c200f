// type: xdp
map sm: sockmap key=4 value=8 max=4

// what: the socket's fields may be read, and bpf_sk_release gives the reference back
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[sm] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r6 = r0
r7 = *(u32 *)(r6 +4)
r7 = *(u32 *)(r6 +12)
r1 = r6
call bpf_sk_release
out:
r0 = 2
exit
