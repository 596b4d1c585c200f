map lens: array key=4 value=8 max=1
    r6 = *(u32 *)(r1 +0)
    *(u32 *)(r10 -4) = 0
    *(u64 *)(r10 -16) = r6
    r1 = map[lens] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 0
    call bpf_map_update_elem
    r0 = 0
    exit
