//! Register state: the kernel's `struct bpf_reg_state`, with its type names
//! (include/linux/bpf.h `enum bpf_reg_type`, kernel/bpf/log.c `reg_type_str`).

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
}

impl RegType {
    pub fn is_pkt(self) -> bool {
        matches!(self, RegType::Pkt | RegType::PktMeta)
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

    // ---- bounds (kernel/bpf/verifier.c: __update_reg_bounds, __reg_deduce_bounds, ...) ----

    pub fn update_reg32_bounds(&mut self) {
        let v = self.var_off.subreg();
        let smin = (v.value | (v.mask & 0x8000_0000)) as u32 as i32;
        let smax = (v.value | (v.mask & 0x7fff_ffff)) as u32 as i32;
        self.s32_min = self.s32_min.max(smin);
        self.s32_max = self.s32_max.min(smax);
        self.u32_min = self.u32_min.max(v.value as u32);
        self.u32_max = self.u32_max.min((v.value | v.mask) as u32);
    }

    pub fn update_reg64_bounds(&mut self) {
        let v = self.var_off;
        self.smin = self.smin.max((v.value | (v.mask & (1u64 << 63))) as i64);
        self.smax = self.smax.min((v.value | (v.mask & !(1u64 << 63))) as i64);
        self.umin = self.umin.max(v.value);
        self.umax = self.umax.min(v.value | v.mask);
    }

    pub fn update_bounds(&mut self) {
        self.update_reg32_bounds();
        self.update_reg64_bounds();
    }

    fn deduce32(&mut self) {
        if (self.umin >> 32) == (self.umax >> 32) {
            self.u32_min = self.u32_min.max(self.umin as u32);
            self.u32_max = self.u32_max.min(self.umax as u32);
            if (self.umin as i32) <= (self.umax as i32) {
                self.s32_min = self.s32_min.max(self.umin as i32);
                self.s32_max = self.s32_max.min(self.umax as i32);
            }
        }
        if (self.smin >> 32) == (self.smax >> 32) {
            self.u32_min = self.u32_min.max(self.smin as u32);
            self.u32_max = self.u32_max.min(self.smax as u32);
            if (self.smin as i32) <= (self.smax as i32) {
                self.s32_min = self.s32_min.max(self.smin as i32);
                self.s32_max = self.s32_max.min(self.smax as i32);
            }
        }
        if ((self.umin >> 32) as u32).wrapping_add(1) == (self.umax >> 32) as u32
            && (self.umin as i32) < 0
            && (self.umax as i32) >= 0
        {
            self.s32_min = self.s32_min.max(self.umin as i32);
            self.s32_max = self.s32_max.min(self.umax as i32);
        }
        if ((self.smin >> 32) as u32).wrapping_add(1) == (self.smax >> 32) as u32
            && (self.smin as i32) < 0
            && (self.smax as i32) >= 0
        {
            self.s32_min = self.s32_min.max(self.smin as i32);
            self.s32_max = self.s32_max.min(self.smax as i32);
        }
        if (self.u32_min as i32) <= (self.u32_max as i32) {
            self.s32_min = self.s32_min.max(self.u32_min as i32);
            self.s32_max = self.s32_max.min(self.u32_max as i32);
        }
        if (self.s32_min as u32) <= (self.s32_max as u32) {
            self.u32_min = self.u32_min.max(self.s32_min as u32);
            self.u32_max = self.u32_max.min(self.s32_max as u32);
        }
    }

    fn deduce64(&mut self) {
        if (self.umin as i64) <= (self.umax as i64) {
            self.smin = self.smin.max(self.umin as i64);
            self.smax = self.smax.min(self.umax as i64);
        }
        if (self.smin as u64) <= (self.smax as u64) {
            self.umin = self.umin.max(self.smin as u64);
            self.umax = self.umax.min(self.smax as u64);
        } else if self.umax < self.smin as u64 {
            self.smin = self.umin as i64;
            self.umax = self.umax.min(self.smax as u64);
        } else if (self.smax as u64) < self.umin {
            self.smax = self.umax as i64;
            self.umin = self.umin.max(self.smin as u64);
        }
    }

    fn deduce_mixed(&mut self) {
        let new_umin = (self.umin & !0xffff_ffffu64) | self.u32_min as u64;
        let new_umax = (self.umax & !0xffff_ffffu64) | self.u32_max as u64;
        self.umin = self.umin.max(new_umin);
        self.umax = self.umax.min(new_umax);
        let new_smin = ((self.smin as u64 & !0xffff_ffffu64) | self.u32_min as u64) as i64;
        let new_smax = ((self.smax as u64 & !0xffff_ffffu64) | self.u32_max as u64) as i64;
        self.smin = self.smin.max(new_smin);
        self.smax = self.smax.min(new_smax);
        if self.s32_min >= 0 && self.smin >= i32::MIN as i64 && self.smax <= i32::MAX as i64 {
            self.smin = self.s32_min as i64;
            self.smax = self.s32_max as i64;
            self.umin = self.s32_min as u64;
            self.umax = self.s32_max as u64;
            self.var_off = self.var_off.intersect(Tnum::range(self.smin as u64, self.smax as u64));
        }
    }

    pub fn deduce_bounds(&mut self) {
        self.deduce32();
        self.deduce64();
        self.deduce_mixed();
    }

    pub fn bound_offset(&mut self) {
        let v64 = self.var_off.intersect(Tnum::range(self.umin, self.umax));
        let v32 = v64.subreg().intersect(Tnum::range(self.u32_min as u64, self.u32_max as u64));
        self.var_off = v64.clear_subreg().or(v32);
    }

    /// `reg_bounds_sync`.
    pub fn sync_bounds(&mut self) {
        self.update_bounds();
        self.deduce_bounds();
        self.deduce_bounds();
        self.bound_offset();
        self.update_bounds();
    }

    /// `__reg_assign_32_into_64`.
    pub fn assign_32_into_64(&mut self) {
        self.umin = self.u32_min as u64;
        self.umax = self.u32_max as u64;
        if self.s32_min >= 0 && self.s32_max >= 0 {
            self.smin = self.s32_min as i64;
            self.smax = self.s32_max as i64;
        } else {
            self.smin = 0;
            self.smax = u32::MAX as i64;
        }
    }

    /// `zext_32_to_64`.
    pub fn zext_32_to_64(&mut self) {
        self.var_off = self.var_off.subreg();
        self.assign_32_into_64();
    }

    /// `coerce_reg_to_size`-like truncation after a narrow load (`coerce_reg_to_size`).
    pub fn coerce_to_size(&mut self, size: u32) {
        self.var_off = self.var_off.cast(size);
        let mask = if size >= 8 { u64::MAX } else { (1u64 << (size * 8)) - 1 };
        if (self.umin & !mask) == (self.umax & !mask) {
            self.umin &= mask;
            self.umax &= mask;
        } else {
            self.umin = 0;
            self.umax = mask;
        }
        self.smin = self.umin as i64;
        self.smax = self.umax as i64;
        if size < 4 {
            self.u32_min = self.umin as u32;
            self.u32_max = self.umax as u32;
            self.s32_min = self.umin as i32;
            self.s32_max = self.umax as i32;
        }
        // reg_bounds_sync follows in the callers.
    }

    /// Width in bits of the largest value (`get_reg_width`).
    pub fn width(&self) -> u32 {
        64 - self.umax.leading_zeros()
    }
}
