//! Redirect targets for `bpf_redirect_map`: `devmap` and `devmap_hash` (network devices,
//! kernel/bpf/devmap.c) and `cpumap` (CPUs, kernel/bpf/cpumap.c).
//!
//! A value is `struct bpf_devmap_val` (ifindex, then optionally a program fd that the
//! kernel reads back as the program's id) or `struct bpf_cpumap_val` (queue size, then
//! optionally a program fd). bpfplay's simulated machine has one device, the loopback
//! device with ifindex 1 (the device `BPF_PROG_TEST_RUN` uses), and no programs of the
//! `BPF_XDP_DEVMAP`/`BPF_XDP_CPUMAP` attach types, so a value naming a program fails as the
//! kernel fails for an fd it cannot use.

use super::{MapError, MapKind, BPF_EXIST, BPF_NOEXIST};
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

/// The ifindex of the simulated machine's one device (`lo`).
pub const LOOPBACK_IFINDEX: u32 = 1;
/// cpumap.c: the largest queue a CPU entry may ask for.
const CPUMAP_MAX_QSIZE: u32 = 16384;

#[derive(Clone, Debug)]
pub struct RedirectMap {
    kind: MapKind,
    value_size: u32,
    max_entries: u32,
    /// devmap, cpumap: one slot per index.
    slots: Vec<Option<[u8; 8]>>,
    /// devmap_hash: by key, with a number per element (a new one on every update, as the
    /// kernel allocates a new node).
    hash: BTreeMap<u32, (u64, [u8; 8])>,
    next_uid: u64,
}

fn word(b: &[u8], i: usize) -> u32 {
    b.get(i * 4..i * 4 + 4).map_or(0, |w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

impl RedirectMap {
    pub fn new(kind: MapKind, value_size: u32, max_entries: u32) -> RedirectMap {
        let n = if kind == MapKind::DevmapHash { 0 } else { max_entries as usize };
        RedirectMap {
            kind,
            value_size,
            max_entries,
            slots: vec![None; n],
            hash: BTreeMap::new(),
            next_uid: 1,
        }
    }

    fn key(key: &[u8]) -> u32 {
        word(key, 0)
    }

    /// `__dev_map_alloc_node`: the value the kernel keeps for a device entry (the ifindex
    /// and program id 0), or EINVAL for a device or program it cannot find.
    fn dev_entry(value: &[u8]) -> Result<[u8; 8], MapError> {
        let (ifindex, prog_fd) = (word(value, 0), word(value, 1) as i32);
        if ifindex != LOOPBACK_IFINDEX || prog_fd > 0 {
            return Err(MapError::Inval);
        }
        let mut v = [0; 8];
        v[..4].copy_from_slice(&ifindex.to_le_bytes());
        Ok(v)
    }

    /// `BPF_MAP_UPDATE_ELEM` on a machine with `ncpus` possible CPUs.
    pub fn update(
        &mut self,
        key: &[u8],
        value: &[u8],
        flags: u64,
        ncpus: usize,
    ) -> Result<(), MapError> {
        let k = Self::key(key);
        match self.kind {
            MapKind::Devmap => {
                // __dev_map_update_elem
                if flags > BPF_EXIST {
                    return Err(MapError::Inval);
                }
                if k >= self.max_entries {
                    return Err(MapError::TooBig);
                }
                if flags == BPF_NOEXIST {
                    return Err(MapError::Exist);
                }
                self.slots[k as usize] = if word(value, 0) == 0 {
                    // ifindex 0 empties the slot; it cannot come with a program.
                    if word(value, 1) as i32 > 0 {
                        return Err(MapError::Inval);
                    }
                    None
                } else {
                    Some(Self::dev_entry(value)?)
                };
                Ok(())
            }
            MapKind::DevmapHash => {
                // __dev_map_hash_update_elem: BPF_EXIST does not ask for an existing key.
                if flags > BPF_EXIST || word(value, 0) == 0 {
                    return Err(MapError::Inval);
                }
                let old = self.hash.contains_key(&k);
                if old && flags & BPF_NOEXIST != 0 {
                    return Err(MapError::Exist);
                }
                let v = Self::dev_entry(value)?;
                if !old && self.hash.len() as u32 >= self.max_entries {
                    return Err(MapError::TooBig);
                }
                self.hash.insert(k, (self.next_uid, v));
                self.next_uid += 1;
                Ok(())
            }
            _ => {
                // cpu_map_update_elem
                if flags > BPF_EXIST {
                    return Err(MapError::Inval);
                }
                if k >= self.max_entries {
                    return Err(MapError::TooBig);
                }
                if flags == BPF_NOEXIST {
                    return Err(MapError::Exist);
                }
                let (qsize, prog_fd) = (word(value, 0), word(value, 1) as i32);
                if qsize > CPUMAP_MAX_QSIZE {
                    return Err(MapError::Overflow);
                }
                if k as usize >= ncpus {
                    return Err(MapError::NoDev);
                }
                if qsize == 0 {
                    self.slots[k as usize] = None;
                    return Ok(());
                }
                // __cpu_map_entry_alloc fails (ENOMEM) when the program cannot be used.
                if prog_fd > 0 {
                    return Err(MapError::NoMem);
                }
                let mut v = [0; 8];
                v[..4].copy_from_slice(&qsize.to_le_bytes());
                self.slots[k as usize] = Some(v);
                Ok(())
            }
        }
    }

    fn get(&self, k: u32) -> Option<&[u8; 8]> {
        if self.kind == MapKind::DevmapHash {
            self.hash.get(&k).map(|(_, v)| v)
        } else {
            self.slots.get(k as usize).and_then(|s| s.as_ref())
        }
    }

    /// `BPF_MAP_LOOKUP_ELEM`: the value as the kernel keeps it (program id 0).
    pub fn lookup(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        self.get(Self::key(key))
            .map(|v| v[..self.value_size as usize].to_vec())
            .ok_or(MapError::NoEnt)
    }

    /// `dev_map_delete_elem`, `cpu_map_delete_elem` (EINVAL out of range, an empty slot is
    /// fine), `dev_map_hash_delete_elem` (ENOENT for a missing key).
    pub fn delete(&mut self, key: &[u8]) -> Result<(), MapError> {
        let k = Self::key(key);
        if self.kind == MapKind::DevmapHash {
            return self.hash.remove(&k).map(|_| ()).ok_or(MapError::NoEnt);
        }
        let s = self.slots.get_mut(k as usize).ok_or(MapError::Inval)?;
        *s = None;
        Ok(())
    }

    /// A devmap_hash's keys in the kernel's order: by bucket (`key & (n_buckets - 1)`,
    /// `n_buckets` the entries rounded up to a power of 2), and in a bucket the newest
    /// first (`hlist_add_head_rcu`; an update replaces the node at the head).
    fn hash_order(&self) -> Vec<u32> {
        let mask = self.max_entries.next_power_of_two().wrapping_sub(1);
        let mut v: Vec<(u32, core::cmp::Reverse<u64>, u32)> =
            self.hash.iter().map(|(k, (u, _))| (k & mask, core::cmp::Reverse(*u), *k)).collect();
        v.sort();
        v.into_iter().map(|(_, _, k)| k).collect()
    }

    /// Every index for devmap and cpumap; a devmap_hash's keys as
    /// `dev_map_hash_get_next_key` walks them (a missing key starts from the first).
    pub fn get_next_key(&self, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        if self.kind != MapKind::DevmapHash {
            return super::array::next_index(key, self.max_entries);
        }
        let order = self.hash_order();
        let next = match key.map(Self::key).and_then(|k| order.iter().position(|x| *x == k)) {
            Some(i) => order.get(i + 1),
            None => order.first(),
        };
        next.map(|k| k.to_le_bytes().to_vec()).ok_or(MapError::NoEnt)
    }

    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let vs = self.value_size as usize;
        if self.kind == MapKind::DevmapHash {
            return self
                .hash_order()
                .into_iter()
                .map(|k| (k.to_le_bytes().to_vec(), self.hash[&k].1[..vs].to_vec()))
                .collect();
        }
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|v| ((i as u32).to_le_bytes().to_vec(), v[..vs].to_vec())))
            .collect()
    }

    /// A program's lookup (devmap, devmap_hash): the slot of the entry. devmap slots are
    /// indices; devmap_hash elements their numbers.
    pub fn prog_lookup(&self, key: &[u8]) -> Option<super::Slot> {
        let k = Self::key(key);
        match self.kind {
            MapKind::DevmapHash => self.hash.get(&k).map(|(u, _)| super::Slot::Elem(*u)),
            _ => self.get(k).map(|_| super::Slot::Array(k)),
        }
    }

    pub fn slot_value(&self, slot: super::Slot) -> Option<&[u8]> {
        let vs = self.value_size as usize;
        match slot {
            super::Slot::Array(i) => self.get(i).map(|v| &v[..vs]),
            super::Slot::Elem(u) => {
                self.hash.values().find(|(x, _)| *x == u).map(|(_, v)| &v[..vs])
            }
        }
    }

    /// `bpf_redirect_map`'s lookup (`__xdp_map_lookup_elem`): is there a target at `key`?
    pub fn has_target(&self, key: u32) -> bool {
        self.get(key).is_some()
    }
}
