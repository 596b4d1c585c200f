// type: socket_filter
map rb: ringbuf key=0 value=0 max=4096

// what: submitted on one path only
r6 = *(u32 *)(r1 +0)
r1 = map[rb] ll
r2 = 8
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto out
if r6 > 10 goto out
r1 = r0
r2 = 0
call bpf_ringbuf_submit
out:
r0 = 0
exit
