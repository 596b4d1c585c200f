//! Program types and their contexts: which context fields a program may read or write, and
//! what a load gives (net/core/filter.c `sk_filter_is_valid_access`, `xdp_is_valid_access`;
//! kernel/trace/bpf_trace.c `kprobe_prog_is_valid_access`, `tp_prog_is_valid_access`).

/// The program types bpfplay models, with the kernel's `enum bpf_prog_type` numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProgType {
    SocketFilter = 1,
    Kprobe = 2,
    Tracepoint = 5,
    Xdp = 6,
}

/// What a valid context load produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CtxField {
    Scalar,
    PktData,
    PktMeta,
    PktEnd,
    /// PTR_TO_SOCK_COMMON_OR_NULL (`__sk_buff`'s `sk`).
    SockCommonOrNull,
}

impl ProgType {
    /// Every program type bpfplay models, in the order the page's picker lists them: the one
    /// list that front ends, help texts and messages read.
    pub const ALL: [ProgType; 4] =
        [ProgType::SocketFilter, ProgType::Xdp, ProgType::Kprobe, ProgType::Tracepoint];

    /// The names `parse` accepts, for messages: `socket_filter, xdp, kprobe, tracepoint`.
    pub fn names() -> alloc::string::String {
        let v: alloc::vec::Vec<&str> = Self::ALL.iter().map(|t| t.name()).collect();
        v.join(", ")
    }

    /// The type's name for people (the page's picker).
    pub fn title(self) -> &'static str {
        match self {
            ProgType::SocketFilter => "Socket filter",
            ProgType::Xdp => "XDP",
            ProgType::Kprobe => "kprobe",
            ProgType::Tracepoint => "Tracepoint",
        }
    }

    /// A type by its name (the kernel's `bpf_prog_type` in lower case without the prefix;
    /// `socket` is libbpf's section name for socket filters).
    pub fn parse(s: &str) -> Option<ProgType> {
        if s == "socket" {
            return Some(ProgType::SocketFilter);
        }
        Self::ALL.into_iter().find(|t| t.name() == s)
    }
    pub fn name(self) -> &'static str {
        match self {
            ProgType::SocketFilter => "socket_filter",
            ProgType::Xdp => "xdp",
            ProgType::Kprobe => "kprobe",
            ProgType::Tracepoint => "tracepoint",
        }
    }
    /// What a return value means to the kernel, in words.
    pub fn retval_meaning(self, r0: u64) -> alloc::string::String {
        use alloc::string::ToString;
        match self {
            ProgType::Xdp => match r0 as u32 {
                0 => "XDP_ABORTED: drop, and count it as an error",
                1 => "XDP_DROP: drop the packet",
                2 => "XDP_PASS: hand the packet to the network stack",
                3 => "XDP_TX: send the packet back out of the same interface",
                4 => "XDP_REDIRECT: send the packet to another interface or CPU",
                _ => "unknown XDP action: the kernel treats it as XDP_ABORTED",
            }
            .to_string(),
            ProgType::SocketFilter => match r0 as u32 {
                0 => "drop the packet (keep 0 bytes)".to_string(),
                n => alloc::format!("keep the packet, trimmed to at most {n} bytes"),
            },
            ProgType::Kprobe => "kprobes' return value is ignored by the kernel".to_string(),
            ProgType::Tracepoint => {
                "tracepoints' return value is ignored by the kernel".to_string()
            }
        }
    }

    /// Does a run take a packet (rather than registers or a record)?
    pub fn takes_packet(self) -> bool {
        matches!(self, ProgType::SocketFilter | ProgType::Xdp)
    }

    /// `may_access_skb`: LD_ABS/LD_IND are allowed.
    pub fn may_access_skb(self) -> bool {
        self == ProgType::SocketFilter
    }
    /// Size of the context structure.
    pub fn ctx_size(self) -> u32 {
        match self {
            ProgType::SocketFilter => 192,
            ProgType::Xdp => 24,
            ProgType::Kprobe => 168,
            ProgType::Tracepoint => 8192,
        }
    }

    /// Is an access of `size` bytes at `off` valid, and what does a read give?
    pub fn ctx_access(self, off: i64, size: u32, write: bool) -> Option<CtxField> {
        if off < 0 || size == 0 {
            return None;
        }
        let off = off as u64;
        let size64 = size as u64;
        match self {
            ProgType::SocketFilter => skb_access(off, size64, write),
            ProgType::Xdp => {
                // xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex
                if off == 20 || write || off >= 24 || !off.is_multiple_of(size64) || size != 4 {
                    return None;
                }
                Some(match off {
                    0 => CtxField::PktData,
                    4 => CtxField::PktEnd,
                    8 => CtxField::PktMeta,
                    _ => CtxField::Scalar,
                })
            }
            ProgType::Kprobe => {
                if off >= 168 || write || !off.is_multiple_of(size64) || off + size64 > 168 {
                    return None;
                }
                Some(CtxField::Scalar)
            }
            ProgType::Tracepoint => {
                if !(8..8192).contains(&off) || write || !off.is_multiple_of(size64) {
                    return None;
                }
                Some(CtxField::Scalar)
            }
        }
    }
}

/// `struct __sk_buff` for socket filters.
fn skb_access(off: u64, size: u64, write: bool) -> Option<CtxField> {
    const CB0: u64 = 48;
    const CB_END: u64 = 68;
    if off >= 192 || !off.is_multiple_of(size) {
        return None;
    }
    // Fields a socket filter may not touch: tc_classid, data, data_end, napi_id? (no: allowed),
    // family..local_port, data_meta, tstamp, wire_len, hwtstamp.
    let denied =
        matches!(off, 72..=75 | 76..=83 | 88..=139 | 140..=143 | 152..=159 | 160..=163 | 184..=191);
    if denied {
        return None;
    }
    if write {
        // bpf_skb_is_valid_access: cb[] takes stores of any size aligned to it.
        return if (CB0..CB_END).contains(&off) && off + size <= CB_END {
            Some(CtxField::Scalar)
        } else {
            None
        };
    }
    match off {
        CB0..=67 => (off + size <= CB_END).then_some(CtxField::Scalar),
        // bpf_skb_is_valid_access: `sk` is a whole 8-byte load of a socket pointer.
        168 if size == 8 => Some(CtxField::SockCommonOrNull),
        // flow_keys (144) is a pointer we do not model; tstamp_type and padding.
        144..=151 | 168..=175 => None,
        180..=183 => None,
        _ => {
            // Narrow reads of the u32 fields are allowed at the field's start (little endian).
            let field = off & !3;
            let ok = size <= 4 && (off - field).is_multiple_of(size);
            ok.then_some(CtxField::Scalar)
        }
    }
}
