// type: socket_filter
// mode: unpriv
map s: stack key=0 value=8 max=2

// what: bpf_map_pop_elem's value is MEM_UNINIT | MEM_WRITE: uninitialised stack is fine without privileges, and readable after the call
r1 = map[s] ll
r2 = r10
r2 += -8
call bpf_map_pop_elem
r0 = *(u64 *)(r10 -8)
exit
