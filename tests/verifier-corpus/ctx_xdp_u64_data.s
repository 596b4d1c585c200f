// type: xdp

// what: an 8-byte load of xdp_md->data
r0 = *(u64 *)(r1 +0)
exit
