//! Tristate numbers: each bit known 0, known 1, or unknown (`mask` bit set).
//! The operations follow kernel/bpf/tnum.c.

use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tnum {
    pub value: u64,
    pub mask: u64,
}

pub const UNKNOWN: Tnum = Tnum { value: 0, mask: u64::MAX };

// Named as the kernel's tnum_add, tnum_sub, ... (kernel/bpf/tnum.c): operations on tracked
// numbers, not the arithmetic operators' meaning.
#[allow(clippy::should_implement_trait)]
impl Tnum {
    pub const fn new(value: u64, mask: u64) -> Self {
        Tnum { value, mask }
    }
    pub const fn konst(v: u64) -> Self {
        Tnum { value: v, mask: 0 }
    }
    /// The smallest tnum covering `[min, max]`.
    pub fn range(min: u64, max: u64) -> Self {
        let chi = min ^ max;
        let bits = 64 - chi.leading_zeros();
        if bits > 63 {
            return UNKNOWN;
        }
        let delta = (1u64 << bits) - 1;
        Tnum { value: min & !delta, mask: delta }
    }
    pub fn is_const(self) -> bool {
        self.mask == 0
    }
    pub fn is_unknown(self) -> bool {
        self.mask == u64::MAX
    }
    pub fn lshift(self, s: u32) -> Self {
        Tnum { value: self.value.wrapping_shl(s), mask: self.mask.wrapping_shl(s) }
    }
    pub fn rshift(self, s: u32) -> Self {
        Tnum { value: self.value.wrapping_shr(s), mask: self.mask.wrapping_shr(s) }
    }
    pub fn arshift(self, s: u32, bits: u32) -> Self {
        if bits == 32 {
            Tnum {
                value: ((self.value as u32 as i32) >> (s & 31)) as u32 as u64,
                mask: ((self.mask as u32 as i32) >> (s & 31)) as u32 as u64,
            }
        } else {
            Tnum {
                value: ((self.value as i64) >> (s & 63)) as u64,
                mask: ((self.mask as i64) >> (s & 63)) as u64,
            }
        }
    }
    pub fn add(self, b: Tnum) -> Self {
        let sm = self.mask.wrapping_add(b.mask);
        let sv = self.value.wrapping_add(b.value);
        let sigma = sm.wrapping_add(sv);
        let chi = sigma ^ sv;
        let mu = chi | self.mask | b.mask;
        Tnum { value: sv & !mu, mask: mu }
    }
    pub fn sub(self, b: Tnum) -> Self {
        let dv = self.value.wrapping_sub(b.value);
        let alpha = dv.wrapping_add(self.mask);
        let beta = dv.wrapping_sub(b.mask);
        let chi = alpha ^ beta;
        let mu = chi | self.mask | b.mask;
        Tnum { value: dv & !mu, mask: mu }
    }
    pub fn neg(self) -> Self {
        Tnum::konst(0).sub(self)
    }
    pub fn and(self, b: Tnum) -> Self {
        let alpha = self.value | self.mask;
        let beta = b.value | b.mask;
        let v = self.value & b.value;
        Tnum { value: v, mask: alpha & beta & !v }
    }
    pub fn or(self, b: Tnum) -> Self {
        let v = self.value | b.value;
        let mu = self.mask | b.mask;
        Tnum { value: v, mask: mu & !v }
    }
    pub fn xor(self, b: Tnum) -> Self {
        let v = self.value ^ b.value;
        let mu = self.mask | b.mask;
        Tnum { value: v & !mu, mask: mu }
    }
    /// Long multiplication over known and unknown bits (kernel's `tnum_mul`).
    pub fn mul(self, b: Tnum) -> Self {
        let acc_v = self.value.wrapping_mul(b.value);
        let mut acc_m = Tnum::konst(0);
        let (mut a, mut b) = (self, b);
        while a.value != 0 || a.mask != 0 {
            if a.value & 1 != 0 {
                acc_m = acc_m.add(Tnum::new(0, b.mask));
            } else if a.mask & 1 != 0 {
                acc_m = acc_m.add(Tnum::new(0, b.value | b.mask));
            }
            a = a.rshift(1);
            b = b.lshift(1);
        }
        Tnum::konst(acc_v).add(acc_m)
    }
    pub fn intersect(self, b: Tnum) -> Self {
        let v = self.value | b.value;
        let mu = self.mask & b.mask;
        Tnum { value: v & !mu, mask: mu }
    }
    /// Truncates to `size` bytes.
    pub fn cast(self, size: u32) -> Self {
        if size >= 8 {
            return self;
        }
        let m = (1u64 << (size * 8)) - 1;
        Tnum { value: self.value & m, mask: self.mask & m }
    }
    pub fn is_aligned(self, size: u64) -> bool {
        if size == 0 {
            return true;
        }
        ((self.value | self.mask) & (size - 1)) == 0
    }
    /// Is every value of `b` a value of `self`?
    pub fn contains(self, b: Tnum) -> bool {
        if b.mask & !self.mask != 0 {
            return false;
        }
        (b.value & !self.mask) == self.value
    }
    pub fn subreg(self) -> Self {
        self.cast(4)
    }
    pub fn clear_subreg(self) -> Self {
        self.rshift(32).lshift(32)
    }
    pub fn with_subreg(self, sub: Tnum) -> Self {
        self.clear_subreg().or(sub.subreg())
    }
    pub fn const_subreg(self, v: u32) -> Self {
        self.with_subreg(Tnum::konst(v as u64))
    }
    pub fn subreg_is_const(self) -> bool {
        self.subreg().is_const()
    }
}

impl fmt::Display for Tnum {
    /// The kernel's `tnum_strn`: `(0x0; 0xffffffff)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:#x}; {:#x})", self.value, self.mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_arithmetic() {
        assert_eq!(Tnum::range(0, 10), Tnum::new(0, 0xf));
        assert_eq!(Tnum::range(0, u64::MAX), UNKNOWN);
        assert_eq!(Tnum::konst(3).add(Tnum::konst(4)), Tnum::konst(7));
        assert_eq!(Tnum::new(0, 1).add(Tnum::konst(1)), Tnum::new(0, 3));
        assert_eq!(Tnum::konst(6).mul(Tnum::konst(7)), Tnum::konst(42));
        assert_eq!(Tnum::new(0, 0xff).and(Tnum::konst(0xf)), Tnum::new(0, 0xf));
        assert!(Tnum::new(0, 0xff).contains(Tnum::konst(0x12)));
        assert!(!Tnum::new(0, 0xf).contains(Tnum::konst(0x12)));
        assert_eq!(Tnum::konst(5).neg(), Tnum::konst(5u64.wrapping_neg()));
        assert_eq!(format!("{}", Tnum::new(0, 0xffffffff)), "(0x0; 0xffffffff)");
        assert_eq!(Tnum::new(0x80000000, 0).arshift(4, 32), Tnum::konst(0xf8000000));
    }

    extern crate std;
    use std::format;
}
