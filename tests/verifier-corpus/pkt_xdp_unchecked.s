// type: xdp

// what: reading the packet without comparing with data_end
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r0 = *(u8 *)(r2 +0)
exit
