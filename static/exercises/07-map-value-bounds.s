// title: Stay inside the map value
// type: socket_filter
// goal: The map's value holds 4 counters of 8 bytes; the program picks one by the low bits
// goal: of skb->len. Make the verifier accept it, and return 0.
// check: accepted
// check: returns 0
// check: contains bpf_map_lookup_elem
// hint: The index can be any number: look at R3's range in the register panel at the error.
// hint: Bound it before scaling: `r3 &= 3` keeps it between 0 and 3.
map counters: array key=4 value=32 max=1

    r6 = *(u32 *)(r1 +0)          // skb->len
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[counters] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r3 = r6
    r3 <<= 3                      // index * 8
    r0 += r3
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
out:
    r0 = 0
    exit
