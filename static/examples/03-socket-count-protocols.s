// title: Socket filter: counting packets by IP protocol
// type: socket_filter
// expect: accepted
// about: skb->protocol (context offset 16) gives the EtherType; LD_ABS reads the packet
// about: through r6 (the context) from the network header, so the IPv4 protocol is byte 9.
// about: An array map indexed by protocol number (6 TCP, 17 UDP, 1 ICMP) counts the packets;
// about: the filter keeps every packet whole. Run it, then look at the Maps.
map protocols: array key=4 value=8 max=256

    r6 = r1
    r0 = *(u32 *)(r6 +16)         // skb->protocol: the EtherType in network byte order
    if r0 != 0x8 goto keep        // IPv4 only (0x0800 read as little-endian)
    r0 = *(u8 *)skb[9]            // IPv4 protocol
    *(u32 *)(r10 -4) = r0
    r1 = map[protocols] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto keep          // the key is not a constant: the verifier wants the check
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
keep:
    r0 = *(u32 *)(r6 +0)          // skb->len: keep the whole packet
    exit
