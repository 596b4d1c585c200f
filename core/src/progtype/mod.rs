//! Program types. Each type is one module that declares everything about it in a [`Spec`]:
//! its context and the kernel's access rules for it (`*_is_valid_access`), the helpers it
//! may call (measured on the running kernel), what its return value means, libbpf's
//! section names, what a run takes and how `BPF_PROG_TEST_RUN` builds its context. The
//! verifier, the interpreter, the ELF loader, the CLI and the page read the spec.
//!
//! | module | type |
//! |---|---|
//! | `socket_filter` | `BPF_PROG_TYPE_SOCKET_FILTER` |
//! | `xdp` | `BPF_PROG_TYPE_XDP` |
//! | `kprobe` | `BPF_PROG_TYPE_KPROBE` |
//! | `tracepoint` | `BPF_PROG_TYPE_TRACEPOINT` |
//! | `tc` | `BPF_PROG_TYPE_SCHED_CLS`, `BPF_PROG_TYPE_SCHED_ACT` |
//!
//! `skb` has `struct __sk_buff`, which socket filters and tc programs share.

mod kprobe;
pub(crate) mod skb;
mod socket_filter;
mod tc;
mod tracepoint;
mod xdp;

use crate::helpers::host::CtxInfo;
use crate::run::Input;
use crate::vm::Memory;
use alloc::string::String;
use alloc::vec::Vec;

/// The program types bpfplay models, with the kernel's `enum bpf_prog_type` numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProgType {
    SocketFilter = 1,
    Kprobe = 2,
    SchedCls = 3,
    SchedAct = 4,
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

/// What a run of a program of the type starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunInput {
    /// A frame, from the Ethernet header on.
    Packet,
    /// The probed task's registers.
    Regs,
    /// A tracepoint record.
    Record,
}

/// Everything bpfplay knows about a program type.
pub struct Spec {
    /// The kernel's `bpf_prog_type` in lower case without the prefix.
    pub name: &'static str,
    /// For people (the page's picker).
    pub title: &'static str,
    /// libbpf's section names for the type: whole names, and prefixes that need a name
    /// after them (`kprobe/do_sys_open`).
    pub sections: &'static [&'static str],
    pub section_prefixes: &'static [&'static str],
    /// The context structure's size.
    pub ctx_size: u32,
    /// The context struct a function's BTF may name (`btf_is_prog_ctx_type`), and the kernel
    /// struct it projects (`btf_is_projection_of`); "" for none.
    pub ctx_btf: (&'static str, Option<&'static str>),
    /// Is an access of `size` bytes at `off` valid (the access is within the struct and
    /// `size` is not 0), and what does a read give?
    pub ctx_access: fn(u64, u64, bool) -> Option<CtxField>,
    /// Helper ids the type may call, ascending.
    pub helpers: &'static [u16],
    /// What a return value means to the kernel, in words.
    pub retval: fn(u64) -> String,
    pub run_input: RunInput,
    /// Builds the context of a run (the memory's input region) as `BPF_PROG_TEST_RUN` does.
    pub build_ctx: fn(&Input, u32, &mut Memory) -> Result<CtxInfo, String>,
    /// The packet as the test run gives it back.
    pub packet_out: fn(&Input, &CtxInfo, &Memory) -> Vec<u8>,
    /// `is_tracing_prog_type`: loading needs CAP_PERFMON; no spin locks, timers or
    /// workqueues in its maps.
    pub tracing: bool,
    /// `may_access_skb`: `LD_ABS`/`LD_IND`.
    pub ld_abs: bool,
    /// `may_access_direct_pkt_data`: packet pointers, which helpers may take and programs
    /// may write through.
    pub direct_packet: bool,
    /// `may_update_sockmap`: map updates and deletes on socket maps.
    pub may_update_sockmap: bool,
    /// `bpf_enable_priv_stack`: functions with 64 bytes of stack or more get their own.
    pub private_stack: bool,
    /// The context is a socket buffer: the skb helpers (`bpf_skb_load_bytes`, ...) work.
    pub sk_buff: bool,
}

impl ProgType {
    /// Every program type bpfplay models, in the order the page's picker lists them: the one
    /// list that front ends, help texts and messages read.
    pub const ALL: [ProgType; 6] = [
        ProgType::SocketFilter,
        ProgType::Xdp,
        ProgType::SchedCls,
        ProgType::SchedAct,
        ProgType::Kprobe,
        ProgType::Tracepoint,
    ];

    /// The type's [`Spec`].
    pub fn spec(self) -> &'static Spec {
        match self {
            ProgType::SocketFilter => &socket_filter::SPEC,
            ProgType::Xdp => &xdp::SPEC,
            ProgType::Kprobe => &kprobe::SPEC,
            ProgType::Tracepoint => &tracepoint::SPEC,
            ProgType::SchedCls => &tc::SCHED_CLS,
            ProgType::SchedAct => &tc::SCHED_ACT,
        }
    }

    /// The names `parse` accepts, for messages: `socket_filter, xdp, kprobe, tracepoint`.
    pub fn names() -> String {
        let v: Vec<&str> = Self::ALL.iter().map(|t| t.name()).collect();
        v.join(", ")
    }

    /// The type's name for people (the page's picker).
    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// A type by its name (the kernel's `bpf_prog_type` in lower case without the prefix;
    /// `socket` is libbpf's section name for socket filters).
    pub fn parse(s: &str) -> Option<ProgType> {
        if s == "socket" {
            return Some(ProgType::SocketFilter);
        }
        Self::ALL.into_iter().find(|t| t.name() == s)
    }

    /// The type libbpf gives a section (`section_defs`, the types bpfplay models).
    pub fn for_section(name: &str) -> Option<ProgType> {
        Self::ALL.into_iter().find(|t| {
            let s = t.spec();
            s.sections.contains(&name)
                || s.section_prefixes.iter().any(|p| name.starts_with(p) && name.len() > p.len())
        })
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// What a return value means to the kernel, in words.
    pub fn retval_meaning(self, r0: u64) -> String {
        (self.spec().retval)(r0)
    }

    /// Does a run take a packet (rather than registers or a record)?
    pub fn takes_packet(self) -> bool {
        self.spec().run_input == RunInput::Packet
    }

    /// `may_access_skb`: LD_ABS/LD_IND are allowed.
    pub fn may_access_skb(self) -> bool {
        self.spec().ld_abs
    }

    /// Size of the context structure.
    pub fn ctx_size(self) -> u32 {
        self.spec().ctx_size
    }

    /// Is an access of `size` bytes at `off` valid, and what does a read give?
    pub fn ctx_access(self, off: i64, size: u32, write: bool) -> Option<CtxField> {
        if off < 0 || size == 0 {
            return None;
        }
        (self.spec().ctx_access)(off as u64, size as u64, write)
    }
}
