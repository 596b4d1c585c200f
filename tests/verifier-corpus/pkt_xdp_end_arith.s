// type: xdp

// what: arithmetic on data_end
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r3 += 1
r0 = 2
exit
