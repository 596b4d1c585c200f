// type: xdp
map sm: sockmap key=4 value=8 max=4

// what: a released socket is gone
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[sm] ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r6 = r0
r1 = r6
call bpf_sk_release
r1 = r6
call bpf_sk_release
out:
r0 = 2
exit
