// type: xdp

// what: egress_ifindex (offset 20) needs expected_attach_type BPF_XDP_DEVMAP
r0 = *(u32 *)(r1 +20)
exit
