// title: Rejected: too complex (a million instructions)
// type: socket_filter
// expect: rejected: BPF program is too large. Processed 1000001 insn
// about: A loop bounded only by a value the verifier does not know: each iteration is a new
// about: state, so it walks until the limit of a million processed instructions. The page
// about: stays usable while it works; you can cancel.

    r2 = *(u32 *)(r1 +0)          // skb->len: unknown
    r1 = 0
loop:
    r1 += 1
    if r1 != r2 goto loop
    r0 = 0
    exit
