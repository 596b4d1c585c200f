// type: socket_filter

// what: pkt_type, protocol, ifindex and hash; returns pkt_type + ifindex
r2 = *(u32 *)(r1 +4)
r3 = *(u32 *)(r1 +16)
r4 = *(u32 *)(r1 +40)
r5 = *(u32 *)(r1 +68)
r0 = r2
r0 += r4
exit
