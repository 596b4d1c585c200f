// title: Ring buffer: one event per call
// type: kprobe
// expect: accepted
// about: bpf_ringbuf_reserve returns room in the ring buffer or NULL; the program fills it
// about: and submits it. The verifier tracks the reservation as a reference: it must be
// about: submitted or discarded on every path.
map events: ringbuf key=0 value=0 max=4096

    r6 = r1
    r1 = map[events] ll
    r2 = 16                       // event size
    r3 = 0
    call bpf_ringbuf_reserve
    if r0 == 0 goto out           // full: no event
    r7 = r0
    call bpf_get_current_pid_tgid
    *(u64 *)(r7 +0) = r0          // pid and tgid
    call bpf_ktime_get_ns
    *(u64 *)(r7 +8) = r0          // time
    r1 = r7
    r2 = 0
    call bpf_ringbuf_submit
out:
    r0 = 0
    exit
