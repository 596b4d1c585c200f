// type: socket_filter
map sm: sockmap key=4 value=4 max=4

// what: a socket map's value is a socket, not memory holding an fd
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r3 = r10
r3 += -4
r1 = map[sm] ll
r4 = 0
call bpf_map_update_elem
r0 = 0
exit
