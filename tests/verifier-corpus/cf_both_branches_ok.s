// type: socket_filter

// what: both branches set r0; returns 1 for the 50-byte test packet
r2 = *(u32 *)(r1 +0)
r0 = 0
if r2 < 40 goto +1
r0 = 1
exit
