// type: xdp
map sm: sockmap key=4 value=8 max=4

// what: a socket map's lookup takes a reference on the socket, which must be released
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[sm] ll
call bpf_map_lookup_elem
r0 = 2
exit
