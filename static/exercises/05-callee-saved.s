// title: Registers after a call
// type: socket_filter
// goal: Return the packet length (skb->len, 50 for the test packet) after calling
// goal: bpf_get_prandom_u32. The verifier refuses to read the saved context.
// check: accepted
// check: returns 50
// check: contains bpf_get_prandom_u32
// hint: A helper call clears r1-r5: step over the call and watch R1 in the register panel.
// hint: r6-r9 survive calls. Keep the context in r6 (`r6 = r1`) before the call.

    call bpf_get_prandom_u32
    r0 = *(u32 *)(r1 +0)          // skb->len
    exit
