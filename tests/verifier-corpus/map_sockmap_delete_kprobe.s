// type: kprobe
map sm: sockmap key=4 value=4 max=4

// what: tracing programs may not delete from socket maps: they may run with a socket locked
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[sm] ll
call bpf_map_delete_elem
r0 = 0
exit
