// type: socket_filter
map sm: sockmap key=4 value=4 max=4

// what: a socket filter may delete from a socket map (here an empty slot: EINVAL)
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[sm] ll
call bpf_map_delete_elem
exit
