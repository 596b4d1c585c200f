// type: socket_filter
map counts: hash key=4 value=8 max=64

// what: bpf_ringbuf_reserve on a hash map
r1 = map[counts] ll
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
r0 = 0
exit
