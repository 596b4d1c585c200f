map events: ringbuf key=0 value=0 max=4096
    r1 = map[events] ll
    r2 = 8
    r3 = 0
    call bpf_ringbuf_reserve
    if r0 == 0 goto out
    *(u64 *)(r0 +0) = 42
    r1 = r0
    r2 = 0
    call bpf_ringbuf_submit
out:
    r0 = 0
    exit
