// title: Prove the packet is long enough
// type: xdp
// goal: Drop (return 1) IPv4 packets and pass (return 2) all others. The test packet is IPv6,
// goal: so the answer for it is 2. The verifier wants proof that the bytes read are in the packet.
// check: accepted
// check: returns 2
// packet: 02 00 00 00 00 02 02 00 00 00 00 01 86 dd 60 00 00 00 00 00 11 40 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02
// hint: Look at R2 in the register panel: `r=0` means no byte of the packet is proven yet.
// hint: Compute data + 14 in another register and compare it with data_end (r3) before the load.
// hint: `r4 = r2`, `r4 += 14`, `if r4 > r3 goto pass`, with a `pass:` label before `r0 = 2`.

    r2 = *(u32 *)(r1 +0)          // data
    r3 = *(u32 *)(r1 +4)          // data_end
    r5 = *(u16 *)(r2 +12)         // EtherType
    if r5 != 0x8 goto pass
    r0 = 1
    exit
pass:
    r0 = 2
    exit
