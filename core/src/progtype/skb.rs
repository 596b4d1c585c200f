//! `struct __sk_buff`, the context of the socket-buffer program types: its layout and
//! net/core/filter.c `bpf_skb_is_valid_access`, which each type's own rules refine.

use super::CtxField;

/// Offsets in `struct __sk_buff` (include/uapi/linux/bpf.h).
pub(crate) mod off {
    pub const MARK: u64 = 8;
    pub const QUEUE_MAPPING: u64 = 12;
    pub const PRIORITY: u64 = 32;
    pub const TC_INDEX: u64 = 44;
    pub const CB: u64 = 48;
    pub const CB_END: u64 = 68;
    pub const TC_CLASSID: u64 = 72;
    pub const DATA: u64 = 76;
    pub const DATA_END: u64 = 80;
    pub const FAMILY: u64 = 88;
    pub const LOCAL_PORT_END: u64 = 140;
    pub const DATA_META: u64 = 140;
    pub const FLOW_KEYS: u64 = 144;
    pub const TSTAMP: u64 = 152;
    pub const WIRE_LEN: u64 = 160;
    pub const SK: u64 = 168;
    pub const TSTAMP_TYPE: u64 = 180;
    pub const HWTSTAMP: u64 = 184;
    pub const SIZE: u64 = 192;
}

/// `bpf_skb_is_valid_access`: the rules every `__sk_buff` program type shares (after its
/// own). A valid read gives a scalar, or for `sk` a socket pointer.
pub(super) fn is_valid_access(o: u64, size: u64, write: bool) -> Option<CtxField> {
    use off::*;
    if o >= SIZE || !o.is_multiple_of(size) {
        return None;
    }
    match o {
        CB..CB_END => (o + size <= CB_END).then_some(CtxField::Scalar),
        // data, data_end, data_meta; the IPv4 and IPv6 addresses: whole u32 loads.
        76..=83 | 140..=143 | 92..=131 => (size == 4).then_some(CtxField::Scalar),
        FLOW_KEYS..TSTAMP => None,
        HWTSTAMP..SIZE => (!write && size == 8).then_some(CtxField::Scalar),
        TSTAMP..WIRE_LEN => (size == 8).then_some(CtxField::Scalar),
        SK..176 => (!write && size == 8).then_some(CtxField::SockCommonOrNull),
        // tstamp_type, and the padding after it.
        TSTAMP_TYPE..HWTSTAMP => None,
        // Writes are whole u32s; reads may be narrow (bpf_ctx_narrow_access_ok).
        _ if write => (size == 4).then_some(CtxField::Scalar),
        _ => (size <= 4).then_some(CtxField::Scalar),
    }
}
