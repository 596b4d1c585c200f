//! Programs the editor can start with.

/// The editor's content on first load: a small socket filter in pseudo-C syntax.
pub const STARTER: &str = "\
// A socket filter that keeps IPv4 TCP packets and drops everything else.
// On entry r1 points to the packet's context (struct __sk_buff);
// the return value is how many bytes of the packet to keep.

    r6 = r1                       // ld_abs reads the packet through r6
    r0 = *(u16 *)skb[12]          // EtherType, in network byte order
    if r0 != 0x800 goto drop      // not IPv4
    r0 = *(u8 *)skb[23]           // IPv4 protocol field
    if r0 != 6 goto drop          // not TCP
    r0 = *(u32 *)(r6 +0)          // skb->len: keep the whole packet
    exit

drop:
    r0 = 0                        // keep nothing
    exit
";
