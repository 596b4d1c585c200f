// type: xdp

// what: a 2-byte load of xdp_md->data
r0 = *(u16 *)(r1 +0)
exit
