// title: Rejected: packet access without a bounds check
// type: xdp
// expect: rejected: invalid access to packet, off=12 size=2, R2(id=0,off=12,r=0)
// about: In XDP the packet is read directly, but only the bytes proven to lie before
// about: data_end. Nothing was compared here, so the verifier knows 0 bytes (r=0). Add
// about: `r4 = r2; r4 += 14; if r4 > r3 goto out` first.

    r2 = *(u32 *)(r1 +0)          // data
    r3 = *(u32 *)(r1 +4)          // data_end, never used
    r0 = *(u16 *)(r2 +12)         // EtherType: not proven to be in the packet
    exit
