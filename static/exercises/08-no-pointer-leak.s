// title: Keep addresses to yourself
// type: socket_filter
// mode: unpriv
// goal: Unprivileged, store the packet length in the map (key 0) and return 0. The program
// goal: stores the wrong thing into the map.
// check: accepted
// check: returns 0
// check: contains bpf_map_update_elem
// hint: Without CAP_PERFMON no pointer may end up where user space can read it.
// hint: Which register holds the value written to fp-16? It should be skb->len, not r10.
map lens: array key=4 value=8 max=1

    r6 = *(u32 *)(r1 +0)          // skb->len
    *(u32 *)(r10 -4) = 0
    *(u64 *)(r10 -16) = r10       // oops: a pointer
    r1 = map[lens] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 0
    call bpf_map_update_elem
    r0 = 0
    exit
