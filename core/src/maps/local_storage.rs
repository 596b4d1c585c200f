//! Storage attached to kernel objects: `sk_storage`, `inode_storage`, `task_storage` and
//! `cgrp_storage` (kernel/bpf/bpf_local_storage.c and its users: keyed from user space by a
//! socket, file, pid or cgroup fd), and `cgroup_storage`/`percpu_cgroup_storage`
//! (kernel/bpf/local_storage.c: one value per cgroup a program using the map is attached
//! to, keyed by `struct bpf_cgroup_storage_key` or the cgroup's inode id).
//!
//! bpfplay's simulated machine has no such objects and attaches no programs to cgroups, so
//! these maps hold nothing, and each operation fails as the kernel's does for a bad fd or a
//! missing cgroup.

use super::{MapError, MapKind, BPF_EXIST, BPF_F_LOCK};
use alloc::vec::Vec;

#[derive(Clone, Debug)]
pub struct LocalStorage {
    kind: MapKind,
}

impl LocalStorage {
    pub fn new(kind: MapKind) -> LocalStorage {
        LocalStorage { kind }
    }

    fn cgroup(&self) -> bool {
        matches!(self.kind, MapKind::CgroupStorage | MapKind::PercpuCgroupStorage)
    }

    /// The object stores: the key is an fd that names nothing (EBADF). cgroup storage: no
    /// cgroup has the map attached (ENOENT).
    pub fn lookup_user(&self) -> Result<Vec<u8>, MapError> {
        Err(if self.cgroup() { MapError::NoEnt } else { MapError::BadF })
    }

    /// `cgroup_storage_update_elem` and `bpf_percpu_cgroup_storage_update` check the flags
    /// (only `BPF_EXIST` and, with a spin lock, `BPF_F_LOCK`) before the lookup.
    pub fn update_user(&self, flags: u64, has_spin_lock: bool) -> Result<(), MapError> {
        if !self.cgroup() {
            return Err(MapError::BadF);
        }
        let percpu = self.kind == MapKind::PercpuCgroupStorage;
        let allowed = if percpu { BPF_EXIST } else { BPF_EXIST | BPF_F_LOCK };
        if flags & !allowed != 0 || (flags & BPF_F_LOCK != 0 && !has_spin_lock) {
            return Err(MapError::Inval);
        }
        Err(MapError::NoEnt)
    }

    /// cgroup storage cannot be deleted (`cgroup_storage_delete_elem`: EINVAL).
    pub fn delete(&self) -> Result<(), MapError> {
        Err(if self.cgroup() { MapError::Inval } else { MapError::BadF })
    }

    /// Object stores have no `get_next_key` (`notsupp_get_next_key`); cgroup storage has
    /// no element.
    pub fn get_next_key(&self) -> Result<Vec<u8>, MapError> {
        Err(if self.cgroup() { MapError::NoEnt } else { MapError::NotSupp })
    }
}
