    r6 = r1
    call bpf_get_prandom_u32
    r0 = *(u32 *)(r6 +0)
    exit
