// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: bpf_tail_call with a hash map
r2 = map[counts] ll
r3 = 0
call bpf_tail_call
r0 = 0
exit
