    r0 = 0
    r1 = 3000000
loop:
    r0 += r1
    r0 ^= 0x55
    r0 *= 3
    r0 >>= 1
    r1 -= 1
    if r1 != 0 goto loop
    exit
