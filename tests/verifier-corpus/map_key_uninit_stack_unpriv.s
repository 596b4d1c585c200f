// type: socket_filter
// mode: unpriv
map counts: hash key=4 value=8 max=64

// what: the key pointer points at stack nobody wrote, without CAP_PERFMON
r2 = r10
r2 += -4
r1 = map[counts] ll
call bpf_map_lookup_elem
r0 = 0
exit
