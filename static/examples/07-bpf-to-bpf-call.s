// title: bpf-to-bpf call
// type: socket_filter
// expect: accepted
// about: A function call inside the program: arguments go in r1-r5, the result comes back in
// about: r0, and r6-r9 survive the call. The callee has its own stack frame (frame 1 in the
// about: stepper). Returns max(len, 60).

    r1 = *(u32 *)(r1 +0)          // skb->len
    r2 = 60
    call max
    exit

max:
    r0 = r1
    if r1 >= r2 goto done
    r0 = r2
done:
    exit
