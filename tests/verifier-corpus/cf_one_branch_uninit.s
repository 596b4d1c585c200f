// type: socket_filter

// what: r0 is set on one path only
r2 = *(u32 *)(r1 +0)
if r2 < 40 goto +1
r0 = 1
exit
