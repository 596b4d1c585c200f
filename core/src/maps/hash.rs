//! `hash` and `percpu_hash` (kernel/bpf/hashtab.c, preallocated as by default).
//!
//! At most `max_entries` elements: inserting one more fails with E2BIG, while replacing an
//! existing key always works (the kernel keeps spare elements for that). An update of a
//! `hash` element allocates a new element (a pointer a program got from an earlier lookup
//! keeps the old value); a `percpu_hash` element is updated in place.

use super::{round8, MapDef, MapError, BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST};
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

#[derive(Clone, Debug)]
struct Elem {
    uid: u64,
    /// `value_size` bytes per CPU (one value for a plain hash).
    values: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct HashMap {
    percpu: bool,
    ncpus: usize,
    value_size: usize,
    max_entries: u32,
    elems: BTreeMap<Vec<u8>, Elem>,
    /// uid -> key, for the program side.
    by_uid: BTreeMap<u64, Vec<u8>>,
    next_uid: u64,
}

/// `check_flags` of hashtab.c.
pub(crate) fn check_flags(exists: bool, flags: u64) -> Result<(), MapError> {
    if exists && flags & !BPF_F_LOCK == BPF_NOEXIST {
        return Err(MapError::Exist);
    }
    if !exists && flags & !BPF_F_LOCK == BPF_EXIST {
        return Err(MapError::NoEnt);
    }
    Ok(())
}

/// The next key after `key` in ascending byte order (the first when `key` is absent or not
/// in the map), as `htab_map_get_next_key` does over its buckets.
pub(crate) fn next_key<V>(
    map: &BTreeMap<Vec<u8>, V>,
    key: Option<&[u8]>,
) -> Result<Vec<u8>, MapError> {
    use core::ops::Bound;
    let next = match key {
        Some(k) if map.contains_key(k) => {
            map.range::<[u8], _>((Bound::Excluded(k), Bound::Unbounded)).next()
        }
        _ => map.iter().next(),
    };
    next.map(|(k, _)| k.clone()).ok_or(MapError::NoEnt)
}

impl HashMap {
    pub fn new(def: &MapDef, ncpus: usize) -> HashMap {
        HashMap {
            percpu: def.kind.is_percpu(),
            ncpus,
            value_size: def.value_size as usize,
            max_entries: def.max_entries,
            elems: BTreeMap::new(),
            by_uid: BTreeMap::new(),
            next_uid: 1,
        }
    }

    fn cpus(&self) -> usize {
        if self.percpu {
            self.ncpus
        } else {
            1
        }
    }

    fn cpu_range(&self, cpu: usize) -> core::ops::Range<usize> {
        let c = if self.percpu { cpu.min(self.ncpus - 1) } else { 0 };
        c * self.value_size..(c + 1) * self.value_size
    }

    pub fn uid(&self, key: &[u8]) -> Option<u64> {
        self.elems.get(key).map(|e| e.uid)
    }

    pub fn has_uid(&self, uid: u64) -> bool {
        self.by_uid.contains_key(&uid)
    }

    pub fn value_by_uid(&self, uid: u64, cpu: usize) -> Option<&[u8]> {
        let e = self.elems.get(self.by_uid.get(&uid)?)?;
        Some(&e.values[self.cpu_range(cpu)])
    }

    pub fn set_value_by_uid(&mut self, uid: u64, cpu: usize, value: &[u8]) {
        let r = self.cpu_range(cpu);
        let Some(k) = self.by_uid.get(&uid) else { return };
        if let Some(e) = self.elems.get_mut(k) {
            let n = value.len().min(r.len());
            e.values[r.start..r.start + n].copy_from_slice(&value[..n]);
        }
    }

    pub fn lookup_user(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        let e = self.elems.get(key).ok_or(MapError::NoEnt)?;
        if !self.percpu {
            return Ok(e.values.clone());
        }
        let stride = round8(self.value_size as u64) as usize;
        let mut out = vec![0; stride * self.ncpus];
        for c in 0..self.ncpus {
            out[c * stride..c * stride + self.value_size]
                .copy_from_slice(&e.values[self.cpu_range(c)]);
        }
        Ok(out)
    }

    /// The common part of an update: flags, existence, room. `values` is the whole new
    /// element (every CPU). Returns the element's uid.
    fn update(
        &mut self,
        key: &[u8],
        flags: u64,
        values: impl FnOnce(Option<&[u8]>) -> Vec<u8>,
    ) -> Result<u64, MapError> {
        let bad = if self.percpu { flags > BPF_EXIST } else { flags & !BPF_F_LOCK > BPF_EXIST };
        if bad {
            return Err(MapError::Inval);
        }
        if flags & BPF_F_LOCK != 0 {
            // No bpf_spin_lock in bpfplay's values.
            return Err(MapError::Inval);
        }
        let old = self.elems.get(key);
        check_flags(old.is_some(), flags)?;
        if let Some(old) = old {
            if self.percpu {
                // In place (pcpu_copy_value).
                let uid = old.uid;
                let v = values(Some(&old.values));
                if let Some(e) = self.elems.get_mut(key) {
                    e.values = v;
                }
                return Ok(uid);
            }
        } else if self.elems.len() >= self.max_entries as usize {
            return Err(MapError::TooBig);
        }
        let v = values(old.map(|e| e.values.as_slice()));
        let uid = self.next_uid;
        self.next_uid += 1;
        if let Some(prev) = self.elems.insert(key.to_vec(), Elem { uid, values: v }) {
            self.by_uid.remove(&prev.uid);
        }
        self.by_uid.insert(uid, key.to_vec());
        Ok(uid)
    }

    /// From user space: per-CPU maps take `round_up(value_size, 8)` bytes per CPU.
    pub fn update_user(&mut self, key: &[u8], value: &[u8], flags: u64) -> Result<(), MapError> {
        let (vs, cpus, percpu) = (self.value_size, self.cpus(), self.percpu);
        self.update(key, flags, |_| {
            if !percpu {
                return value.to_vec();
            }
            let stride = round8(vs as u64) as usize;
            (0..cpus).flat_map(|c| value[c * stride..c * stride + vs].iter().copied()).collect()
        })
        .map(|_| ())
    }

    /// From a program on `cpu`: one value. A new per-CPU element has zeros on the other CPUs
    /// (`pcpu_init_value`); an existing one keeps them.
    pub fn update_prog(
        &mut self,
        key: &[u8],
        value: &[u8],
        flags: u64,
        cpu: usize,
    ) -> Result<u64, MapError> {
        let (vs, cpus, percpu) = (self.value_size, self.cpus(), self.percpu);
        let r = self.cpu_range(cpu);
        self.update(key, flags, |old| {
            if !percpu {
                return value.to_vec();
            }
            let mut v = match old {
                Some(o) => o.to_vec(),
                None => vec![0; vs * cpus],
            };
            v[r].copy_from_slice(value);
            v
        })
    }

    /// Removes `key`; returns the removed element's uid.
    pub fn delete(&mut self, key: &[u8]) -> Result<u64, MapError> {
        let e = self.elems.remove(key).ok_or(MapError::NoEnt)?;
        self.by_uid.remove(&e.uid);
        Ok(e.uid)
    }

    pub fn get_next_key(&self, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        next_key(&self.elems, key)
    }

    pub fn entries(&self, cpu: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
        let r = self.cpu_range(cpu);
        self.elems.iter().map(|(k, e)| (k.clone(), e.values[r.clone()].to_vec())).collect()
    }
}
