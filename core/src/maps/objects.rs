//! Maps whose values are kernel objects bpfplay does not simulate: `perf_event_array` and
//! `cgroup_array` (perf event and cgroup fds, kernel/bpf/arraymap.c `fd_array`), `sockmap`
//! and `sockhash` (sockets, net/core/sock_map.c), `xskmap` (AF_XDP sockets,
//! net/xdp/xskmap.c) and `reuseport_sockarray` (kernel/bpf/reuseport_array.c).
//!
//! User space fills them with file descriptors of perf events, cgroups or sockets. bpfplay's
//! simulated machine has none, so every fd names nothing and these maps stay empty: each
//! operation fails as the kernel's does for an empty slot or a bad fd, with the kernel's
//! checks in the kernel's order (flags, index, fd). A program's lookup finds nothing, as it
//! would on a machine where no socket was added yet.

use super::{MapError, MapKind, BPF_ANY, BPF_EXIST};
use alloc::vec::Vec;

#[derive(Clone, Debug)]
pub struct ObjectMap {
    kind: MapKind,
    value_size: u32,
    max_entries: u32,
}

fn index(key: &[u8]) -> u32 {
    u32::from_le_bytes([key[0], key[1], key[2], key[3]])
}

/// The fd in a value, a u32 or a u64, which must fit an int: EINVAL above `S32_MAX`
/// (`sock_map_update_elem_sys` checks both sizes, `bpf_fd_reuseport_array_update_elem`
/// only the u64; a negative int fd is then EBADF).
fn check_fd(value: &[u8], u32_too: bool) -> Result<(), MapError> {
    let fd = if value.len() == 8 {
        u64::from_le_bytes(value.try_into().unwrap_or([0; 8]))
    } else if u32_too {
        u32::from_le_bytes([value[0], value[1], value[2], value[3]]) as u64
    } else {
        0
    };
    if fd > i32::MAX as u64 {
        return Err(MapError::Inval);
    }
    Ok(())
}

impl ObjectMap {
    pub fn new(kind: MapKind, value_size: u32, max_entries: u32) -> ObjectMap {
        ObjectMap { kind, value_size, max_entries }
    }

    /// Keyed by index (all but `sockhash`, whose keys are any bytes).
    fn indexed(&self) -> bool {
        self.kind != MapKind::Sockhash
    }

    /// `BPF_MAP_LOOKUP_ELEM`: perf events and cgroups cannot be read back (no
    /// `map_fd_sys_lookup_elem`: ENOTSUPP), AF_XDP sockets neither (EOPNOTSUPP); a socket
    /// map gives the socket's cookie, which needs 8-byte values (ENOSPC), and here finds
    /// no socket.
    pub fn lookup_user(&self, _key: &[u8]) -> Result<Vec<u8>, MapError> {
        match self.kind {
            MapKind::PerfEventArray | MapKind::CgroupArray => Err(MapError::NotSupp),
            MapKind::Xskmap => Err(MapError::OpNotSupp),
            _ if self.value_size != 8 => Err(MapError::NoSpc),
            _ => Err(MapError::NoEnt),
        }
    }

    /// `BPF_MAP_UPDATE_ELEM`: the checks before the fd is looked up, then EBADF (no fd of
    /// bpfplay's names a perf event, cgroup or socket).
    pub fn update_user(&self, key: &[u8], value: &[u8], flags: u64) -> Result<(), MapError> {
        match self.kind {
            // bpf_fd_array_map_update_elem
            MapKind::PerfEventArray | MapKind::CgroupArray => {
                if flags != BPF_ANY {
                    return Err(MapError::Inval);
                }
                if index(key) >= self.max_entries {
                    return Err(MapError::TooBig);
                }
            }
            // sock_map_update_elem_sys: the fd first; the index and flags after it.
            MapKind::Sockmap | MapKind::Sockhash => check_fd(value, true)?,
            // xsk_map_update_elem, bpf_fd_reuseport_array_update_elem
            _ => {
                if flags > BPF_EXIST {
                    return Err(MapError::Inval);
                }
                if index(key) >= self.max_entries {
                    return Err(MapError::TooBig);
                }
                if self.kind == MapKind::ReuseportSockarray {
                    check_fd(value, false)?;
                }
            }
        }
        Err(MapError::BadF)
    }

    /// `BPF_MAP_DELETE_ELEM` of an empty map.
    pub fn delete(&self, key: &[u8]) -> Result<(), MapError> {
        let out = self.indexed() && index(key) >= self.max_entries;
        match self.kind {
            // __fd_array_map_delete_elem, reuseport_array_delete_elem
            MapKind::PerfEventArray | MapKind::CgroupArray | MapKind::ReuseportSockarray => {
                Err(if out { MapError::TooBig } else { MapError::NoEnt })
            }
            // sock_map_delete_elem: EINVAL out of range and for an empty slot.
            MapKind::Sockmap => Err(MapError::Inval),
            MapKind::Sockhash => Err(MapError::NoEnt),
            // xsk_map_delete_elem: an empty slot is deleted without complaint.
            _ if out => Err(MapError::Inval),
            _ => Ok(()),
        }
    }

    /// `BPF_MAP_GET_NEXT_KEY`: every index for the arrays, nothing for `sockhash`.
    pub fn get_next_key(&self, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        if self.indexed() {
            super::array::next_index(key, self.max_entries)
        } else {
            Err(MapError::NoEnt)
        }
    }
}
