//! Range arithmetic on registers: the bounds a scalar (or a pointer's variable offset) is
//! known to lie in, as kernel/bpf/verifier.c computes them. A register carries five views of
//! one value (the tnum `var_off`, signed and unsigned 64-bit bounds, signed and unsigned
//! 32-bit bounds); each function here either derives the views from one another
//! (`reg_bounds_sync` and its parts) or computes them for the result of an ALU operation
//! (`adjust_scalar_min_max_vals` and the `scalar(32)_min_max_*` rules), in the kernel's order,
//! since the order decides how tight the bounds come out and the log prints them.
//!
//! [`RegState`] itself (its fields, constructors and `__mark_reg_*` setters) is in `reg.rs`;
//! the ALU instruction checks that call this arithmetic are in `alu.rs`.

use super::reg::{RegState, RegType, S64_MAX, S64_MIN};
use super::tnum::Tnum;
use crate::isa::AluOp;

impl RegState {
    /// `__update_reg32_bounds`: the 32-bit bounds can be no wider than the values the
    /// low half of `var_off` allows (known bits fixed, unknown bits 0 or 1).
    pub fn update_reg32_bounds(&mut self) {
        let v = self.var_off.subreg();
        let smin = (v.value | (v.mask & 0x8000_0000)) as u32 as i32;
        let smax = (v.value | (v.mask & 0x7fff_ffff)) as u32 as i32;
        self.s32_min = self.s32_min.max(smin);
        self.s32_max = self.s32_max.min(smax);
        self.u32_min = self.u32_min.max(v.value as u32);
        self.u32_max = self.u32_max.min((v.value | v.mask) as u32);
    }

    /// `__update_reg64_bounds`: the same for the 64-bit bounds and the whole `var_off`.
    pub fn update_reg64_bounds(&mut self) {
        let v = self.var_off;
        self.smin = self.smin.max((v.value | (v.mask & (1u64 << 63))) as i64);
        self.smax = self.smax.min((v.value | (v.mask & !(1u64 << 63))) as i64);
        self.umin = self.umin.max(v.value);
        self.umax = self.umax.min(v.value | v.mask);
    }

    /// `__update_reg_bounds`: both halves, 32 bits first as the kernel does.
    pub fn update_bounds(&mut self) {
        self.update_reg32_bounds();
        self.update_reg64_bounds();
    }

    /// `__reg32_deduce_bounds`: 32-bit bounds from the 64-bit ones where the upper 32 bits
    /// are the same (or differ by one across the sign change) at both ends, then the signed
    /// and unsigned 32-bit bounds from each other: where neither range crosses a sign
    /// boundary, and (as 6.18 does, like `__reg64_deduce_bounds`) where the signed range
    /// wraps and the unsigned one lies within one of its halves.
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
        } else if self.u32_max < self.s32_min as u32 {
            // The s32 range wraps (negative to positive) and the u32 range lies below its
            // negative part: only the non-negative part [u32_min, s32_max] is possible.
            self.s32_min = self.u32_min as i32;
            self.u32_max = self.u32_max.min(self.s32_max as u32);
        } else if (self.s32_max as u32) < self.u32_min {
            // ... or above its non-negative part: only [s32_min, u32_max] (negative) is.
            self.s32_max = self.u32_max as i32;
            self.u32_min = self.u32_min.max(self.s32_min as u32);
        }
    }

    /// `__reg64_deduce_bounds`: signed and unsigned 64-bit bounds from each other, including
    /// the cases where one range wraps around the sign boundary and the other cuts it.
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

    /// `__reg_deduce_mixed_bounds`: 64-bit bounds tightened by the 32-bit ones (same upper
    /// half, the low half bounded), and a non-negative 32-bit range carried into 64 bits
    /// when the 64-bit range fits in s32 (the sign-extending load case).
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

    /// `__reg_deduce_bounds`: 32-bit, then 64-bit, then mixed deductions.
    pub fn deduce_bounds(&mut self) {
        self.deduce32();
        self.deduce64();
        self.deduce_mixed();
    }

    /// `__reg_bound_offset`: `var_off` intersected with what the unsigned bounds allow, the
    /// 64-bit and 32-bit halves separately.
    pub fn bound_offset(&mut self) {
        let v64 = self.var_off.intersect(Tnum::range(self.umin, self.umax));
        let v32 = v64.subreg().intersect(Tnum::range(self.u32_min as u64, self.u32_max as u64));
        self.var_off = v64.clear_subreg().or(v32);
    }

    /// `reg_bounds_sync`: bring all five views into agreement after any of them changed
    /// (bounds from `var_off`, deductions between the bounds, `var_off` from the bounds,
    /// bounds again), in the kernel's sequence.
    pub fn sync_bounds(&mut self) {
        self.update_bounds();
        self.deduce_bounds();
        self.deduce_bounds();
        self.bound_offset();
        self.update_bounds();
    }

    /// `__reg_assign_32_into_64`: after a 32-bit result is zero-extended, the 64-bit bounds
    /// are the unsigned 32-bit ones (and the signed ones where they are non-negative).
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

    /// `zext_32_to_64`: a 32-bit ALU result clears the upper half.
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
}

/// `is_safe_to_compute_dst_reg_range`: whether the bounds of `dst op src` can be computed
/// (the other operations, and shifts by an unknown or too large amount, give an unknown
/// scalar). The ALU checks ask it too, for `sanitize_val_alu`.
pub(crate) fn safe_to_compute(src: &RegState, op: AluOp, alu64: bool) -> bool {
    let bits: u64 = if alu64 { 64 } else { 32 };
    let src_const = if alu64 {
        src.var_off.is_const() && src.smin == src.smax && src.umin == src.umax
    } else {
        src.var_off.subreg_is_const() && src.s32_min == src.s32_max && src.u32_min == src.u32_max
    };
    match op {
        AluOp::Add | AluOp::Sub | AluOp::And | AluOp::Xor | AluOp::Or | AluOp::Mul => true,
        AluOp::Lsh | AluOp::Rsh | AluOp::Arsh => src_const && src.umax < bits,
        _ => false,
    }
}

/// `adjust_scalar_min_max_vals` for `dst = dst op src` (`neg` computes 0 - src into dst):
/// `var_off` and the bounds of the result, 32-bit rules before 64-bit ones, then zero
/// extension for a 32-bit operation and `reg_bounds_sync`. Pure arithmetic on the two
/// registers: the instruction's checks (pointers, sanitation) are done by the caller.
pub(crate) fn scalar_op(dst: &mut RegState, src: &RegState, op: AluOp, alu64: bool, neg: bool) {
    if !neg && !safe_to_compute(src, op, alu64) {
        // __mark_reg_unknown and return: no zero extension even for 32-bit operations
        // (`w9 /= 3` leaves R9=scalar() in the kernel's log).
        *dst = RegState::unknown();
        return;
    }
    match op {
        AluOp::Add => {
            add32(dst, src);
            add64(dst, src);
            dst.var_off = dst.var_off.add(src.var_off);
        }
        AluOp::Sub => {
            sub32(dst, src);
            sub64(dst, src);
            dst.var_off = dst.var_off.sub(src.var_off);
        }
        AluOp::Mul => {
            dst.var_off = dst.var_off.mul(src.var_off);
            mul32(dst, src);
            mul64(dst, src);
        }
        AluOp::And => {
            dst.var_off = dst.var_off.and(src.var_off);
            bitop32(dst, src, BitOp::And);
            bitop64(dst, src, BitOp::And);
        }
        AluOp::Or => {
            dst.var_off = dst.var_off.or(src.var_off);
            bitop32(dst, src, BitOp::Or);
            bitop64(dst, src, BitOp::Or);
        }
        AluOp::Xor => {
            dst.var_off = dst.var_off.xor(src.var_off);
            bitop32(dst, src, BitOp::Xor);
            bitop64(dst, src, BitOp::Xor);
        }
        AluOp::Lsh => {
            if alu64 {
                lsh64(dst, src);
            } else {
                lsh32(dst, src);
            }
        }
        AluOp::Rsh => {
            if alu64 {
                rsh64(dst, src);
            } else {
                rsh32(dst, src);
            }
        }
        AluOp::Arsh => {
            if alu64 {
                arsh64(dst, src);
            } else {
                arsh32(dst, src);
            }
        }
        _ => {}
    }
    if !alu64 {
        dst.zext_32_to_64();
    }
    dst.sync_bounds();
}

/// `scalar32_min_max_add`: each bound of the sum, or unbounded if it can overflow.
fn add32(d: &mut RegState, s: &RegState) {
    match (d.s32_min.checked_add(s.s32_min), d.s32_max.checked_add(s.s32_max)) {
        (Some(a), Some(b)) => {
            d.s32_min = a;
            d.s32_max = b;
        }
        _ => {
            d.s32_min = i32::MIN;
            d.s32_max = i32::MAX;
        }
    }
    match (d.u32_min.checked_add(s.u32_min), d.u32_max.checked_add(s.u32_max)) {
        (Some(a), Some(b)) => {
            d.u32_min = a;
            d.u32_max = b;
        }
        _ => {
            d.u32_min = 0;
            d.u32_max = u32::MAX;
        }
    }
}

/// `scalar_min_max_add`.
pub(crate) fn add64(d: &mut RegState, s: &RegState) {
    match (d.smin.checked_add(s.smin), d.smax.checked_add(s.smax)) {
        (Some(a), Some(b)) => {
            d.smin = a;
            d.smax = b;
        }
        _ => {
            d.smin = S64_MIN;
            d.smax = S64_MAX;
        }
    }
    match (d.umin.checked_add(s.umin), d.umax.checked_add(s.umax)) {
        (Some(a), Some(b)) => {
            d.umin = a;
            d.umax = b;
        }
        _ => {
            d.umin = 0;
            d.umax = u64::MAX;
        }
    }
}

/// `scalar32_min_max_sub`: min - max and max - min, unbounded if either can overflow.
fn sub32(d: &mut RegState, s: &RegState) {
    match (d.s32_min.checked_sub(s.s32_max), d.s32_max.checked_sub(s.s32_min)) {
        (Some(a), Some(b)) => {
            d.s32_min = a;
            d.s32_max = b;
        }
        _ => {
            d.s32_min = i32::MIN;
            d.s32_max = i32::MAX;
        }
    }
    if d.u32_min < s.u32_max {
        d.u32_min = 0;
        d.u32_max = u32::MAX;
    } else {
        d.u32_min -= s.u32_max;
        d.u32_max -= s.u32_min;
    }
}

/// `scalar_min_max_sub`.
pub(crate) fn sub64(d: &mut RegState, s: &RegState) {
    match (d.smin.checked_sub(s.smax), d.smax.checked_sub(s.smin)) {
        (Some(a), Some(b)) => {
            d.smin = a;
            d.smax = b;
        }
        _ => {
            d.smin = S64_MIN;
            d.smax = S64_MAX;
        }
    }
    if d.umin < s.umax {
        d.umin = 0;
        d.umax = u64::MAX;
    } else {
        d.umin -= s.umax;
        d.umax -= s.umin;
    }
}

/// `scalar32_min_max_mul`: unsigned products of the bounds, signed from the four corner
/// products, unbounded where a product overflows.
fn mul32(d: &mut RegState, s: &RegState) {
    match (d.u32_max.checked_mul(s.u32_max), d.u32_min.checked_mul(s.u32_min)) {
        (Some(a), Some(b)) => {
            d.u32_max = a;
            d.u32_min = b;
        }
        _ => {
            d.u32_min = 0;
            d.u32_max = u32::MAX;
        }
    }
    let p = [
        d.s32_min.checked_mul(s.s32_min),
        d.s32_min.checked_mul(s.s32_max),
        d.s32_max.checked_mul(s.s32_min),
        d.s32_max.checked_mul(s.s32_max),
    ];
    if p.iter().all(|x| x.is_some()) {
        let v = p.map(|x| x.unwrap_or(0));
        d.s32_min = *v.iter().min().unwrap_or(&0);
        d.s32_max = *v.iter().max().unwrap_or(&0);
    } else {
        d.s32_min = i32::MIN;
        d.s32_max = i32::MAX;
    }
}

/// `scalar_min_max_mul`.
fn mul64(d: &mut RegState, s: &RegState) {
    match (d.umax.checked_mul(s.umax), d.umin.checked_mul(s.umin)) {
        (Some(a), Some(b)) => {
            d.umax = a;
            d.umin = b;
        }
        _ => {
            d.umin = 0;
            d.umax = u64::MAX;
        }
    }
    let p = [
        d.smin.checked_mul(s.smin),
        d.smin.checked_mul(s.smax),
        d.smax.checked_mul(s.smin),
        d.smax.checked_mul(s.smax),
    ];
    if p.iter().all(|x| x.is_some()) {
        let v = p.map(|x| x.unwrap_or(0));
        d.smin = *v.iter().min().unwrap_or(&0);
        d.smax = *v.iter().max().unwrap_or(&0);
    } else {
        d.smin = S64_MIN;
        d.smax = S64_MAX;
    }
}

/// Which of the kernel's three bitwise rules `bitop32` / `bitop64` apply.
#[derive(Clone, Copy, PartialEq)]
enum BitOp {
    And,
    Or,
    Xor,
}

/// `scalar32_min_max_and` / `_or` / `_xor` (`var_off` already computed): a constant result
/// if both operands are constants, else unsigned bounds from `var_off` and the operands, and
/// signed bounds from them where they do not cross the sign boundary.
fn bitop32(d: &mut RegState, s: &RegState, op: BitOp) {
    let src_known = s.var_off.subreg_is_const();
    let dst_known = d.var_off.subreg_is_const();
    let v = d.var_off.subreg();
    if src_known && dst_known {
        d.mark_reg32_known(v.value);
        return;
    }
    match op {
        BitOp::And => {
            d.u32_min = v.value as u32;
            d.u32_max = d.u32_max.min(s.u32_max);
        }
        BitOp::Or => {
            d.u32_min = d.u32_min.max(s.u32_min);
            d.u32_max = (v.value | v.mask) as u32;
        }
        BitOp::Xor => {
            d.u32_min = v.value as u32;
            d.u32_max = (v.value | v.mask) as u32;
        }
    }
    if (d.u32_min as i32) <= (d.u32_max as i32) {
        d.s32_min = d.u32_min as i32;
        d.s32_max = d.u32_max as i32;
    } else {
        d.s32_min = i32::MIN;
        d.s32_max = i32::MAX;
    }
}

/// `scalar_min_max_and` / `_or` / `_xor`, followed by `__update_reg_bounds`.
fn bitop64(d: &mut RegState, s: &RegState, op: BitOp) {
    let src_known = s.var_off.is_const();
    let dst_known = d.var_off.is_const();
    if src_known && dst_known {
        let v = d.var_off.value;
        d.mark_known(v);
        return;
    }
    let v = d.var_off;
    match op {
        BitOp::And => {
            d.umin = v.value;
            d.umax = d.umax.min(s.umax);
        }
        BitOp::Or => {
            d.umin = d.umin.max(s.umin);
            d.umax = v.value | v.mask;
        }
        BitOp::Xor => {
            d.umin = v.value;
            d.umax = v.value | v.mask;
        }
    }
    if (d.umin as i64) <= (d.umax as i64) {
        d.smin = d.umin as i64;
        d.smax = d.umax as i64;
    } else {
        d.smin = S64_MIN;
        d.smax = S64_MAX;
    }
    d.update_bounds();
}

/// `__scalar32_min_max_lsh`: the 32-bit bounds of a left shift by `umin..=umax`.
fn lsh32_bounds(d: &mut RegState, umin: u64, umax: u64) {
    d.s32_min = i32::MIN;
    d.s32_max = i32::MAX;
    if umax > 31 || d.u32_max as u64 > 1u64 << (31 - umax) {
        d.u32_min = 0;
        d.u32_max = u32::MAX;
    } else {
        d.u32_min <<= umin;
        d.u32_max <<= umax;
    }
}

/// `scalar32_min_max_lsh`.
fn lsh32(d: &mut RegState, s: &RegState) {
    let (umin, umax) = (s.u32_min as u64, s.u32_max as u64);
    let sub = d.var_off.subreg();
    lsh32_bounds(d, umin, umax);
    d.var_off = sub.lshift(umin as u32).subreg();
    d.mark64_unbounded();
    d.update_reg32_bounds();
}

/// `scalar_min_max_lsh` (with `__scalar64_min_max_lsh`; the 32-bit bounds are computed too,
/// since a 64-bit shift by less than 32 keeps the low half's shape).
fn lsh64(d: &mut RegState, s: &RegState) {
    let (umin, umax) = (s.umin, s.umax);
    if umin == 32 && umax == 32 && d.s32_max >= 0 {
        d.smax = (d.s32_max as i64) << 32;
    } else {
        d.smax = S64_MAX;
    }
    if umin == 32 && umax == 32 && d.s32_min >= 0 {
        d.smin = (d.s32_min as i64) << 32;
    } else {
        d.smin = S64_MIN;
    }
    if d.umax > 1u64 << (63 - umax) {
        d.umin = 0;
        d.umax = u64::MAX;
    } else {
        d.umin <<= umin;
        d.umax <<= umax;
    }
    lsh32_bounds(d, umin, umax);
    d.var_off = d.var_off.lshift(umin as u32);
    d.update_bounds();
}

/// `scalar32_min_max_rsh`.
fn rsh32(d: &mut RegState, s: &RegState) {
    let sub = d.var_off.subreg();
    let (umin, umax) = (s.u32_min, s.u32_max);
    d.s32_min = i32::MIN;
    d.s32_max = i32::MAX;
    d.var_off = sub.rshift(umin);
    d.u32_min >>= umax;
    d.u32_max >>= umin;
    d.mark64_unbounded();
    d.update_reg32_bounds();
}

/// `scalar_min_max_rsh`.
fn rsh64(d: &mut RegState, s: &RegState) {
    let (umin, umax) = (s.umin, s.umax);
    d.smin = S64_MIN;
    d.smax = S64_MAX;
    d.var_off = d.var_off.rshift(umin as u32);
    d.umin >>= umax;
    d.umax >>= umin;
    d.mark32_unbounded();
    d.update_bounds();
}

/// `scalar32_min_max_arsh`.
fn arsh32(d: &mut RegState, s: &RegState) {
    let umin = s.u32_min;
    d.s32_min >>= umin;
    d.s32_max >>= umin;
    d.var_off = d.var_off.subreg().arshift(umin, 32);
    d.u32_min = 0;
    d.u32_max = u32::MAX;
    d.mark64_unbounded();
    d.update_reg32_bounds();
}

/// `scalar_min_max_arsh`.
fn arsh64(d: &mut RegState, s: &RegState) {
    let umin = s.umin as u32;
    d.smin >>= umin;
    d.smax >>= umin;
    d.var_off = d.var_off.arshift(umin, 64);
    d.umin = 0;
    d.umax = u64::MAX;
    d.mark32_unbounded();
    d.update_bounds();
}

/// `coerce_reg_to_size_sx`: sign-extend the low `size` bytes (64-bit result).
pub(crate) fn coerce_sx(r: &mut RegState, size: u32) {
    let bits = size * 8;
    if r.var_off.is_const() {
        let v = sext(r.var_off.value, bits);
        r.mark_known(v as u64);
        return;
    }
    let (lo, hi) = (sext(r.umin, bits), sext(r.umax, bits));
    let fits = r.umax - r.umin < (1u64 << bits) && (r.umin >> bits) == (r.umax >> bits);
    *r = RegState { typ: RegType::Scalar, ..RegState::unknown() };
    if fits && lo <= hi {
        r.smin = lo;
        r.smax = hi;
        r.var_off = Tnum::range(lo as u64, hi as u64);
        if lo >= 0 {
            r.umin = lo as u64;
            r.umax = hi as u64;
        }
    } else {
        let m = 1i64 << (bits - 1);
        r.smin = -m;
        r.smax = m - 1;
    }
    r.sync_bounds();
}

/// `coerce_subreg_to_size_sx`: sign-extend into the low 32 bits.
pub(crate) fn coerce_subreg_sx(r: &mut RegState, size: u32) {
    let bits = size * 8;
    let m = 1i64 << (bits - 1);
    if r.var_off.is_const() {
        let v = sext(r.var_off.value, bits) as i32;
        r.mark_known(v as u32 as u64);
        return;
    }
    let v = *r;
    *r = RegState::unknown();
    let (lo, hi) = (sext(v.u32_min as u64, bits), sext(v.u32_max as u64, bits));
    if v.u32_max - v.u32_min < (1u32 << bits.min(31))
        && (v.u32_min as u64 >> bits) == (v.u32_max as u64 >> bits)
        && lo <= hi
    {
        r.s32_min = lo as i32;
        r.s32_max = hi as i32;
    } else {
        r.s32_min = -m as i32;
        r.s32_max = (m - 1) as i32;
    }
    r.sync_bounds();
}

/// The low `bits` bits of `v`, sign-extended.
fn sext(v: u64, bits: u32) -> i64 {
    let sh = 64 - bits;
    ((v << sh) as i64) >> sh
}
