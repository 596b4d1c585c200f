// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: a load through the map pointer (reads struct bpf_map via BTF with privileges)
r1 = map[counts] ll
r0 = *(u64 *)(r1 +0)
r0 = 0
exit
