// type: xdp

// what: a one-byte load of ingress_ifindex (xdp_md allows no narrow loads)
r0 = *(u8 *)(r1 +12)
exit
