map counts: hash key=4 value=8 max=16
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[counts] ll
    call bpf_map_lookup_elem
    r0 = 0
    exit
