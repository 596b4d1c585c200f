// type: xdp

// what: offset 24, past the end of struct xdp_md
r0 = *(u32 *)(r1 +24)
exit
