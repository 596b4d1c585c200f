// title: Don't leak the reservation
// type: socket_filter
// goal: Send one 8-byte event through the ring buffer and return 0. The verifier sees a
// goal: reference that is never released.
// check: accepted
// check: returns 0
// check: contains bpf_ringbuf_reserve
// hint: The message names the instruction that acquired the reference (alloc_insn).
// hint: After writing the event, pass it to bpf_ringbuf_submit: `r1 = r0`, `r2 = 0`, `call bpf_ringbuf_submit`.
map events: ringbuf key=0 value=0 max=4096

    r1 = map[events] ll
    r2 = 8
    r3 = 0
    call bpf_ringbuf_reserve
    if r0 == 0 goto out
    *(u64 *)(r0 +0) = 42
out:
    r0 = 0
    exit
