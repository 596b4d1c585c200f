// type: socket_filter
map rb: ringbuf key=0 value=0 max=4096

// what: bpf_ringbuf_output(rb, fp-8, 8, 0)
*(u64 *)(r10 -8) = 7
r1 = map[rb] ll
r2 = r10
r2 += -8
r3 = 8
r4 = 0
call bpf_ringbuf_output
r0 = 0
exit
