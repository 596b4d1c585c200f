    r2 = *(u32 *)(r1 +0)
    r0 = 0xffff
    exit
