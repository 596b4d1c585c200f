// type: socket_filter
map rb: ringbuf key=0 value=0 max=4096

// what: reserve 8 bytes, write them, submit
r1 = map[rb] ll
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto out
*(u64 *)(r0 +0) = 1
r1 = r0
r2 = 0
call bpf_ringbuf_submit
out:
r0 = 0
exit
