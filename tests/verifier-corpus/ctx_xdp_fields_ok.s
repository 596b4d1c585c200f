// type: xdp

// what: data, data_end, data_meta, ingress_ifindex and rx_queue_index; returns ingress_ifindex (1)
r2 = *(u32 *)(r1 +0)
r3 = *(u32 *)(r1 +4)
r4 = *(u32 *)(r1 +8)
r5 = *(u32 *)(r1 +16)
r0 = *(u32 *)(r1 +12)
exit
