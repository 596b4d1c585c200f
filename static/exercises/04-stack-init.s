// title: Initialise the key
// type: socket_filter
// mode: unpriv
// goal: Without privileges the verifier checks that every stack byte passed to a helper was
// goal: written. Make it accept the program (unprivileged) and return 0.
// check: accepted
// check: returns 0
// check: contains bpf_map_lookup_elem
// hint: The key is 4 bytes at fp-4. Which instruction writes them?
// hint: Store a key before the call: `*(u32 *)(r10 -4) = 0`.
map counts: hash key=4 value=8 max=16

    r2 = r10
    r2 += -4
    r1 = map[counts] ll
    call bpf_map_lookup_elem
    r0 = 0
    exit
