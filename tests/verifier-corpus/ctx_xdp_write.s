// type: xdp

// what: xdp_md is read-only
r2 = 1
*(u32 *)(r1 +12) = r2
r0 = 2
exit
