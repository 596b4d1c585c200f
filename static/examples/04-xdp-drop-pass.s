// title: XDP: drop UDP to port 9, pass the rest
// type: xdp
// expect: accepted
// about: Direct packet access: data and data_end come from the context, and every read must
// about: be covered by a comparison with data_end. Ethernet (14 bytes) + IPv4 (20, no
// about: options) + the UDP destination port at offset 36. Returns XDP_DROP (1) or XDP_PASS (2).

    r2 = *(u32 *)(r1 +0)          // data
    r3 = *(u32 *)(r1 +4)          // data_end
    r0 = 2                        // XDP_PASS
    r4 = r2
    r4 += 38                      // Ethernet + IPv4 + 4 bytes of UDP
    if r4 > r3 goto out           // too short: pass
    r5 = *(u16 *)(r2 +12)         // EtherType (network order)
    if r5 != 0x8 goto out         // 0x0800 read as little-endian
    r5 = *(u8 *)(r2 +23)          // protocol
    if r5 != 17 goto out          // not UDP
    r5 = *(u16 *)(r2 +36)         // destination port (network order)
    if r5 != 0x900 goto out       // port 9 read as little-endian
    r0 = 1                        // XDP_DROP
out:
    exit
