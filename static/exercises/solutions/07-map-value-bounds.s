map counters: array key=4 value=32 max=1
    r6 = *(u32 *)(r1 +0)
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[counters] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r3 = r6
    r3 &= 3
    r3 <<= 3
    r0 += r3
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
out:
    r0 = 0
    exit
