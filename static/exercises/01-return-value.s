// title: Say something before you leave
// type: socket_filter
// goal: The verifier refuses this filter. Make it accept the program, and make the filter
// goal: keep whole packets: return 0xffff.
// check: accepted
// check: returns 65535
// hint: Read the verifier's message: which register is read before it is written?
// hint: exit returns r0 to the kernel. A socket filter returns how many bytes to keep.
// hint: Add `r0 = 0xffff` before `exit`.

    r2 = *(u32 *)(r1 +0)          // skb->len
    exit
