// type: socket_filter
map rb: ringbuf key=0 value=0 max=4096

// what: a reservation that is never submitted
r1 = map[rb] ll
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
r0 = 0
exit
