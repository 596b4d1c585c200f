//! Register state: the kernel's `struct bpf_reg_state`, with its type names
//! (include/linux/bpf.h `enum bpf_reg_type`, kernel/bpf/log.c `reg_type_str`), constructors
//! and the `__mark_reg_*` setters. The range arithmetic on its bounds (`reg_bounds_sync`,
//! the ALU rules) is in `bounds.rs`.

use super::tnum::{Tnum, UNKNOWN};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RegType {
    NotInit,
    Scalar,
    Ctx,
    /// PTR_TO_STACK ("fp").
    Stack,
    /// CONST_PTR_TO_MAP.
    MapPtr,
    MapValue,
    MapKey,
    Pkt,
    PktMeta,
    PktEnd,
    /// PTR_TO_MEM (with `ringbuf` for MEM_RINGBUF).
    Mem,
    /// PTR_TO_FUNC: a callback's address (`LD_IMM64` BPF_PSEUDO_FUNC); `map` holds the
    /// subprogram's number (`subprogno`).
    Func,
    /// PTR_TO_SOCK_COMMON: `struct bpf_sock`'s common part (`skb->sk`).
    SockCommon,
    /// PTR_TO_SOCKET: a full `struct bpf_sock` (a socket map's lookup, `bpf_sk_lookup_*`).
    Sock,
    /// PTR_TO_TCP_SOCK: `struct bpf_tcp_sock`.
    TcpSock,
    /// PTR_TO_XDP_SOCK: `struct bpf_xdp_sock` (an xskmap's lookup).
    XdpSock,
}

impl RegType {
    pub fn is_pkt(self) -> bool {
        matches!(self, RegType::Pkt | RegType::PktMeta)
    }
    /// `type_is_sk_pointer`.
    pub fn is_sk_pointer(self) -> bool {
        matches!(self, RegType::SockCommon | RegType::Sock | RegType::TcpSock | RegType::XdpSock)
    }
    pub fn is_ptr(self) -> bool {
        !matches!(self, RegType::NotInit | RegType::Scalar)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RegState {
    pub typ: RegType,
    /// PTR_MAYBE_NULL.
    pub maybe_null: bool,
    /// MEM_RINGBUF (with `Mem`).
    pub ringbuf: bool,
    /// MEM_RDONLY.
    pub rdonly: bool,
    /// Fixed part of a pointer's offset.
    pub off: i32,
    pub var_off: Tnum,
    pub smin: i64,
    pub smax: i64,
    pub umin: u64,
    pub umax: u64,
    pub s32_min: i32,
    pub s32_max: i32,
    pub u32_min: u32,
    pub u32_max: u32,
    /// Null-check and linked-scalar id.
    pub id: u32,
    pub ref_obj_id: u32,
    /// Map index for map pointers and values.
    pub map: u32,
    /// Proven packet range (pkt pointers) or memory size (mem).
    pub range: i32,
    pub mem_size: u32,
    /// Frame a stack pointer points into.
    pub frameno: u8,
    pub precise: bool,
}

impl Default for RegState {
    fn default() -> Self {
        RegState::not_init()
    }
}

pub const S64_MIN: i64 = i64::MIN;
pub const S64_MAX: i64 = i64::MAX;

/// The kernel's `BPF_ADD_CONST` flag in scalar ids (linked registers with a constant delta).
pub const ADD_CONST: u32 = 1 << 31;

impl RegState {
    pub fn not_init() -> Self {
        let mut r = RegState {
            typ: RegType::NotInit,
            maybe_null: false,
            ringbuf: false,
            rdonly: false,
            off: 0,
            var_off: UNKNOWN,
            smin: 0,
            smax: 0,
            umin: 0,
            umax: 0,
            s32_min: 0,
            s32_max: 0,
            u32_min: 0,
            u32_max: 0,
            id: 0,
            ref_obj_id: 0,
            map: 0,
            range: 0,
            mem_size: 0,
            frameno: 0,
            precise: false,
        };
        r.mark_unbounded();
        r
    }

    /// `__mark_reg_unknown`: a scalar with nothing known.
    pub fn unknown() -> Self {
        let mut r = RegState::not_init();
        r.typ = RegType::Scalar;
        r
    }

    pub fn known(v: u64) -> Self {
        let mut r = RegState::unknown();
        r.mark_known(v);
        r
    }

    /// A pointer of `typ` with offset 0 and everything else zero (`mark_reg_known_zero`).
    pub fn ptr(typ: RegType) -> Self {
        let mut r = RegState::known(0);
        r.typ = typ;
        r
    }

    pub fn mark_known(&mut self, v: u64) {
        self.var_off = Tnum::konst(v);
        self.smin = v as i64;
        self.smax = v as i64;
        self.umin = v;
        self.umax = v;
        self.s32_min = v as u32 as i32;
        self.s32_max = v as u32 as i32;
        self.u32_min = v as u32;
        self.u32_max = v as u32;
    }

    pub fn mark_reg32_known(&mut self, v: u64) {
        self.var_off = self.var_off.const_subreg(v as u32);
        self.s32_min = v as u32 as i32;
        self.s32_max = v as u32 as i32;
        self.u32_min = v as u32;
        self.u32_max = v as u32;
    }

    pub fn mark_unbounded(&mut self) {
        self.mark64_unbounded();
        self.mark32_unbounded();
    }
    pub fn mark64_unbounded(&mut self) {
        self.smin = S64_MIN;
        self.smax = S64_MAX;
        self.umin = 0;
        self.umax = u64::MAX;
    }
    pub fn mark32_unbounded(&mut self) {
        self.s32_min = i32::MIN;
        self.s32_max = i32::MAX;
        self.u32_min = 0;
        self.u32_max = u32::MAX;
    }

    pub fn is_scalar(&self) -> bool {
        self.typ == RegType::Scalar
    }
    pub fn is_const(&self) -> bool {
        self.typ == RegType::Scalar && self.var_off.is_const()
    }
    pub fn is_const32(&self, jmp32: bool) -> bool {
        self.typ == RegType::Scalar
            && if jmp32 { self.var_off.subreg_is_const() } else { self.var_off.is_const() }
    }
    pub fn const_value(&self, jmp32: bool) -> u64 {
        if jmp32 {
            self.var_off.value as u32 as u64
        } else {
            self.var_off.value
        }
    }

    /// The name `reg_type_str` gives the type, with `_or_null` and prefixes.
    pub fn type_name(&self) -> &'static str {
        match (self.typ, self.maybe_null) {
            (RegType::NotInit, _) => "?",
            (RegType::Scalar, _) => "scalar",
            (RegType::Ctx, _) => "ctx",
            (RegType::Stack, _) => "fp",
            (RegType::MapPtr, _) => "map_ptr",
            (RegType::MapValue, false) => "map_value",
            (RegType::MapValue, true) => "map_value_or_null",
            (RegType::MapKey, _) => "map_key",
            (RegType::Pkt, _) => "pkt",
            (RegType::PktMeta, _) => "pkt_meta",
            (RegType::PktEnd, _) => "pkt_end",
            (RegType::Func, _) => "func",
            (RegType::SockCommon, false) => "sock_common",
            (RegType::SockCommon, true) => "sock_common_or_null",
            (RegType::Sock, false) => "sock",
            (RegType::Sock, true) => "sock_or_null",
            (RegType::TcpSock, false) => "tcp_sock",
            (RegType::TcpSock, true) => "tcp_sock_or_null",
            (RegType::XdpSock, false) => "xdp_sock",
            (RegType::XdpSock, true) => "xdp_sock_or_null",
            (RegType::Mem, n) => match (self.ringbuf, self.rdonly, n) {
                (true, _, false) => "ringbuf_mem",
                (true, _, true) => "ringbuf_mem_or_null",
                (false, true, false) => "rdonly_mem",
                (false, true, true) => "rdonly_mem_or_null",
                (false, false, false) => "mem",
                (false, false, true) => "mem_or_null",
            },
        }
    }

    /// Width in bits of the largest value (`get_reg_width`).
    pub fn width(&self) -> u32 {
        64 - self.umax.leading_zeros()
    }
}
