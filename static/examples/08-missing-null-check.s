// title: Rejected: missing NULL check
// type: socket_filter
// expect: rejected: R0 invalid mem access 'map_value_or_null'
// about: bpf_map_lookup_elem returns NULL when the key is not in the map. The verifier types
// about: its result map_value_or_null and refuses to load through it until a comparison
// about: with 0 has split the two cases. Add `if r0 == 0 goto out` before the load.
map counts: hash key=4 value=8 max=64

    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[counts] ll
    call bpf_map_lookup_elem
    r0 = *(u64 *)(r0 +0)          // may be NULL
    r0 = 0
    exit
