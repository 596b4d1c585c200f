//! `stack_trace` (kernel/bpf/stackmap.c): buckets of call stacks that `bpf_get_stackid`
//! fills, keyed by the stack's hash. User space reads and deletes them; it cannot write them
//! (`stack_map_update_elem` is EINVAL), and programs cannot look them up (the verifier allows
//! only `bpf_get_stackid` on this map).

use super::{flags, MapError};
use alloc::vec;
use alloc::vec::Vec;

/// `BPF_F_SKIP_FIELD_MASK`, `BPF_F_USER_STACK`, `BPF_F_FAST_STACK_CMP`,
/// `BPF_F_REUSE_STACKID` (include/uapi/linux/bpf.h).
pub const SKIP_FIELD_MASK: u64 = 0xff;
pub const USER_STACK: u64 = 1 << 8;
pub const FAST_STACK_CMP: u64 = 1 << 9;
pub const REUSE_STACKID: u64 = 1 << 10;

/// `sysctl_perf_event_max_stack`'s default.
pub const PERF_MAX_STACK: u32 = 127;
/// `sizeof(struct bpf_stack_build_id)`.
pub const BUILD_ID_SIZE: u32 = 32;
/// `STACK_CREATE_FLAG_MASK`.
pub const CREATE_MASK: u32 =
    flags::NUMA_NODE | flags::RDONLY | flags::WRONLY | flags::STACK_BUILD_ID;

#[derive(Clone, Debug)]
pub struct StackTrace {
    /// `n_buckets` (max_entries rounded up to a power of two); each the stack's addresses.
    buckets: Vec<Option<Vec<u64>>>,
    value_size: u32,
}

fn id_of(key: &[u8]) -> u32 {
    u32::from_le_bytes([key[0], key[1], key[2], key[3]])
}

/// The kernel's `jhash2` over 32-bit words with seed 0 (include/linux/jhash.h), which
/// `__bpf_get_stackid` hashes the addresses with.
fn jhash2(words: &[u32], initval: u32) -> u32 {
    let rot = |x: u32, k: u32| x.rotate_left(k);
    let mut a = 0xdead_beefu32.wrapping_add((words.len() as u32) << 2).wrapping_add(initval);
    let (mut b, mut c) = (a, a);
    let mut k = words;
    while k.len() > 3 {
        a = a.wrapping_add(k[0]);
        b = b.wrapping_add(k[1]);
        c = c.wrapping_add(k[2]);
        // __jhash_mix
        a = a.wrapping_sub(c);
        a ^= rot(c, 4);
        c = c.wrapping_add(b);
        b = b.wrapping_sub(a);
        b ^= rot(a, 6);
        a = a.wrapping_add(c);
        c = c.wrapping_sub(b);
        c ^= rot(b, 8);
        b = b.wrapping_add(a);
        a = a.wrapping_sub(c);
        a ^= rot(c, 16);
        c = c.wrapping_add(b);
        b = b.wrapping_sub(a);
        b ^= rot(a, 19);
        a = a.wrapping_add(c);
        c = c.wrapping_sub(b);
        c ^= rot(b, 4);
        b = b.wrapping_add(a);
        k = &k[3..];
    }
    if k.is_empty() {
        return c;
    }
    if k.len() >= 3 {
        c = c.wrapping_add(k[2]);
    }
    if k.len() >= 2 {
        b = b.wrapping_add(k[1]);
    }
    a = a.wrapping_add(k[0]);
    // __jhash_final
    c ^= b;
    c = c.wrapping_sub(rot(b, 14));
    a ^= c;
    a = a.wrapping_sub(rot(c, 11));
    b ^= a;
    b = b.wrapping_sub(rot(a, 25));
    c ^= b;
    c = c.wrapping_sub(rot(b, 16));
    a ^= c;
    a = a.wrapping_sub(rot(c, 4));
    b ^= a;
    b = b.wrapping_sub(rot(a, 14));
    c ^= b;
    c.wrapping_sub(rot(b, 24))
}

impl StackTrace {
    pub fn new(max_entries: u32, value_size: u32) -> StackTrace {
        let n = max_entries.max(1).next_power_of_two();
        StackTrace { buckets: vec![None; n as usize], value_size }
    }

    /// `stack_map_lookup_elem` from user space: the stack's addresses, zero-padded to the
    /// value size.
    pub fn lookup(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        let ips = self.buckets.get(id_of(key) as usize).and_then(|b| b.as_ref());
        let ips = ips.ok_or(MapError::NoEnt)?;
        let mut v: Vec<u8> = ips.iter().flat_map(|ip| ip.to_le_bytes()).collect();
        v.resize(self.value_size as usize, 0);
        Ok(v)
    }

    /// `stack_map_delete_elem`.
    pub fn delete(&mut self, key: &[u8]) -> Result<(), MapError> {
        let b = self.buckets.get_mut(id_of(key) as usize).ok_or(MapError::Inval)?;
        b.take().map(|_| ()).ok_or(MapError::NoEnt)
    }

    /// `stack_map_get_next_key`: the next occupied bucket after `key` (from the start when
    /// `key` is absent, out of range or empty).
    pub fn get_next_key(&self, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        let n = self.buckets.len();
        let mut id = match key.map(id_of) {
            Some(k) if (k as usize) < n && self.buckets[k as usize].is_some() => k as usize + 1,
            _ => 0,
        };
        while id < n && self.buckets[id].is_none() {
            id += 1;
        }
        if id >= n {
            return Err(MapError::NoEnt);
        }
        Ok((id as u32).to_le_bytes().to_vec())
    }

    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        (0..self.buckets.len() as u32)
            .filter_map(|i| Some((i.to_le_bytes().to_vec(), self.lookup(&i.to_le_bytes()).ok()?)))
            .collect()
    }

    /// `__bpf_get_stackid`: stores `ips` (already skipped and cut to the value size) in the
    /// bucket of their hash; the bucket's id, or EEXIST when another stack holds it and
    /// `BPF_F_REUSE_STACKID` is not given. An empty stack is EFAULT.
    pub fn get_stackid(&mut self, ips: &[u64], flags: u64) -> Result<u32, MapError> {
        if ips.is_empty() {
            return Err(MapError::Fault);
        }
        let words: Vec<u32> = ips.iter().flat_map(|ip| [*ip as u32, (*ip >> 32) as u32]).collect();
        let id = jhash2(&words, 0) & (self.buckets.len() as u32 - 1);
        let slot = &mut self.buckets[id as usize];
        match slot {
            Some(old) if old.as_slice() == ips => Ok(id),
            Some(_) if flags & REUSE_STACKID == 0 => Err(MapError::Exist),
            _ => {
                *slot = Some(ips.to_vec());
                Ok(id)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jhash2_is_deterministic_and_spreads() {
        // No words: the initial value (0xdeadbeef + length + seed), as the kernel returns it.
        assert_eq!(jhash2(&[], 0), 0xdead_beef);
        let a = jhash2(&[1, 2, 3], 0);
        assert_eq!(a, jhash2(&[1, 2, 3], 0));
        assert_ne!(a, jhash2(&[1, 2, 4], 0));
    }

    #[test]
    fn buckets_hold_stacks_by_hash() {
        let mut m = StackTrace::new(3, 16);
        assert_eq!(m.buckets.len(), 4);
        let id = m.get_stackid(&[0xffff_ffff_8100_0010, 0xffff_ffff_8100_0020], 0).unwrap();
        assert_eq!(m.get_stackid(&[0xffff_ffff_8100_0010, 0xffff_ffff_8100_0020], 0), Ok(id));
        let v = m.lookup(&id.to_le_bytes()).unwrap();
        assert_eq!(v.len(), 16);
        assert_eq!(m.get_next_key(None), Ok(id.to_le_bytes().to_vec()));
        assert_eq!(m.get_next_key(Some(&id.to_le_bytes())), Err(MapError::NoEnt));
        assert_eq!(m.delete(&id.to_le_bytes()), Ok(()));
        assert_eq!(m.lookup(&id.to_le_bytes()), Err(MapError::NoEnt));
        assert_eq!(m.get_stackid(&[], 0), Err(MapError::Fault));
    }
}
