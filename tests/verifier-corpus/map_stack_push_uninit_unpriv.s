// type: socket_filter
// mode: unpriv
map s: stack key=0 value=8 max=2

// what: bpf_map_push_elem reads its value: uninitialised stack is refused without privileges
r1 = map[s] ll
r2 = r10
r2 += -8
r3 = 0
call bpf_map_push_elem
r0 = 0
exit
