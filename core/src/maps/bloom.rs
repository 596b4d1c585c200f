//! `bloom_filter` (kernel/bpf/bloom_filter.c) with the kernel's hash (include/linux/jhash.h).
//!
//! `bloom_map_alloc`: `map_extra`'s low 4 bits are the number of hash functions (0 means
//! 5); the bit array has `max_entries * nr_hash_funcs * 7 / 5` bits rounded up to a power
//! of two (at least 64; 2^32 when that overflows or exceeds 2^31). Hash function `i` of a
//! value is `jhash(value, value_size, seed + i) & (bits - 1)` (the kernel uses `jhash2`
//! over u32 words when `value_size` is a multiple of 4, which gives the same number as
//! `jhash` over the same bytes on a little-endian machine).
//!
//! Seed: with `BPF_F_ZERO_SEED` the kernel's seed is 0 and bpfplay's filter answers exactly
//! as the kernel's, false positives included. Without it the kernel draws the seed with
//! `get_random_u32()` and no interface reveals it, so which absent values a kernel filter
//! reports as present cannot be predicted; bpfplay then uses a fixed seed of its own
//! ([`DEFAULT_SEED`]): its answers are those of a kernel filter that happened to draw that
//! seed (true members are always found, as in any kernel).
//!
//! push (`bloom_map_push_elem`) sets the bits (flags other than `BPF_ANY`: EINVAL); peek
//! (`bloom_map_peek_elem`) tests them (ENOENT when a bit is clear); pop, delete and
//! get_next_key are EOPNOTSUPP; lookup/update by key EINVAL (the syscall's lookup is a
//! peek with the value passed in, its update a push).

use super::{MapError, BPF_ANY};
use alloc::vec;
use alloc::vec::Vec;

/// The seed bpfplay uses where the kernel would draw a random one.
pub const DEFAULT_SEED: u32 = 0x5eed_b10f;

const JHASH_INITVAL: u32 = 0xdead_beef;

fn mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(4);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(6);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(8);
    *b = b.wrapping_add(*a);
    *a = a.wrapping_sub(*c);
    *a ^= c.rotate_left(16);
    *c = c.wrapping_add(*b);
    *b = b.wrapping_sub(*a);
    *b ^= a.rotate_left(19);
    *a = a.wrapping_add(*c);
    *c = c.wrapping_sub(*b);
    *c ^= b.rotate_left(4);
    *b = b.wrapping_add(*a);
}

fn final_mix(a: &mut u32, b: &mut u32, c: &mut u32) {
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(14));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(11));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(25));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(16));
    *a ^= *c;
    *a = a.wrapping_sub(c.rotate_left(4));
    *b ^= *a;
    *b = b.wrapping_sub(a.rotate_left(14));
    *c ^= *b;
    *c = c.wrapping_sub(b.rotate_left(24));
}

/// Bob Jenkins' lookup3 hash as include/linux/jhash.h's `jhash` computes it.
pub fn jhash(key: &[u8], initval: u32) -> u32 {
    let len = key.len() as u32;
    let mut a = JHASH_INITVAL.wrapping_add(len).wrapping_add(initval);
    let (mut b, mut c) = (a, a);
    let w = |k: &[u8], i: usize| u32::from_le_bytes([k[i], k[i + 1], k[i + 2], k[i + 3]]);
    let mut k = key;
    while k.len() > 12 {
        a = a.wrapping_add(w(k, 0));
        b = b.wrapping_add(w(k, 4));
        c = c.wrapping_add(w(k, 8));
        mix(&mut a, &mut b, &mut c);
        k = &k[12..];
    }
    if k.is_empty() {
        return c;
    }
    // The last 1..=12 bytes, little-endian into a, b, c (the switch's fallthroughs).
    let mut last = [0u8; 12];
    last[..k.len()].copy_from_slice(k);
    a = a.wrapping_add(w(&last, 0));
    b = b.wrapping_add(w(&last, 4));
    c = c.wrapping_add(w(&last, 8));
    final_mix(&mut a, &mut b, &mut c);
    c
}

#[derive(Clone, Debug)]
pub struct Bloom {
    bits: Vec<u64>,
    mask: u32,
    seed: u32,
    nr_hash_funcs: u32,
}

/// The bit array's size in bits (`bloom_map_alloc`), as a u64 (2^32 at most).
pub fn nr_bits(max_entries: u32, map_extra: u64) -> u64 {
    let k = match (map_extra & 0xf) as u32 {
        0 => 5,
        n => n,
    };
    match max_entries.checked_mul(k).and_then(|n| (n / 5).checked_mul(7)) {
        Some(n) if n <= 1 << 31 => {
            if n <= 64 {
                64
            } else {
                (n as u64).next_power_of_two()
            }
        }
        _ => 1 << 32,
    }
}

impl Bloom {
    pub fn new(max_entries: u32, map_extra: u64, zero_seed: bool) -> Bloom {
        let n = nr_bits(max_entries, map_extra);
        Bloom {
            bits: vec![0; n.div_ceil(64) as usize],
            mask: (n - 1) as u32,
            seed: if zero_seed { 0 } else { DEFAULT_SEED },
            nr_hash_funcs: match (map_extra & 0xf) as u32 {
                0 => 5,
                n => n,
            },
        }
    }

    fn hash(&self, value: &[u8], i: u32) -> u32 {
        jhash(value, self.seed.wrapping_add(i)) & self.mask
    }

    /// `bloom_map_push_elem`.
    pub fn push(&mut self, value: &[u8], flags: u64) -> Result<(), MapError> {
        if flags != BPF_ANY {
            return Err(MapError::Inval);
        }
        for i in 0..self.nr_hash_funcs {
            let h = self.hash(value, i);
            self.bits[(h / 64) as usize] |= 1 << (h % 64);
        }
        Ok(())
    }

    /// `bloom_map_peek_elem`: Ok when every bit of `value` is set.
    pub fn peek(&self, value: &[u8]) -> Result<(), MapError> {
        for i in 0..self.nr_hash_funcs {
            let h = self.hash(value, i);
            if self.bits[(h / 64) as usize] & (1 << (h % 64)) == 0 {
                return Err(MapError::NoEnt);
            }
        }
        Ok(())
    }

    /// How many bits are set, and of how many (for the page's inspector).
    pub fn bits_set(&self) -> (u64, u64) {
        (self.bits.iter().map(|w| w.count_ones() as u64).sum(), self.mask as u64 + 1)
    }

    pub fn nr_hash_funcs(&self) -> u32 {
        self.nr_hash_funcs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jhash_known_values() {
        // jhash of no bytes is the initial state's c.
        assert_eq!(jhash(&[], 0), 0xdeadbeef);
        // jhash2 and jhash agree on whole u32 words (little-endian), as the kernel relies on.
        let words = [1u32, 2, 3, 4, 5];
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let h = jhash(&bytes, 7);
        assert_ne!(h, jhash(&bytes, 8));
    }

    #[test]
    fn sizes() {
        assert_eq!(nr_bits(1, 0), 64);
        assert_eq!(nr_bits(100, 0), 1024); // 500 / 5 * 7 = 700 -> 1024
        assert_eq!(nr_bits(100, 3), 512); // 300 / 5 * 7 = 420 -> 512
        assert_eq!(nr_bits(u32::MAX, 0), 1 << 32);
    }

    #[test]
    fn members_are_found() {
        let mut b = Bloom::new(10, 0, true);
        for i in 0u32..10 {
            b.push(&i.to_le_bytes(), 0).unwrap();
        }
        for i in 0u32..10 {
            assert_eq!(b.peek(&i.to_le_bytes()), Ok(()));
        }
        assert_eq!(b.push(&[0; 4], 1), Err(MapError::Inval));
    }
}
