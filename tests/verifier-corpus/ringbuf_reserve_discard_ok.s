// type: socket_filter
map rb: ringbuf key=0 value=0 max=4096

// what: reserve, then discard
r1 = map[rb] ll
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto out
r1 = r0
r2 = 0
call bpf_ringbuf_discard
out:
r0 = 0
exit
