// title: Rejected: leaked ring-buffer reservation
// type: socket_filter
// expect: rejected: Unreleased reference id=2 alloc_insn=4
// about: A reservation is a reference the program owns. On the path where the reservation
// about: succeeded the program exits without bpf_ringbuf_submit or bpf_ringbuf_discard, so
// about: the memory would leak. Submit it before exit.
map events: ringbuf key=0 value=0 max=4096

    r1 = map[events] ll
    r2 = 8
    r3 = 0
    call bpf_ringbuf_reserve
    if r0 == 0 goto out
    *(u64 *)(r0 +0) = 1
out:
    r0 = 0
    exit
