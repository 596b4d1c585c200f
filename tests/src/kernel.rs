//! A small safe wrapper over the raw `bpf()` syscall of the running kernel (no libbpf), for
//! the differential tests: the kernel's verifier is the specification of bpfplay's.
//!
//! Layouts of `union bpf_attr` follow include/uapi/linux/bpf.h (Linux 6.18); every command
//! builds its attribute block as bytes at the documented offsets, zero elsewhere (the kernel
//! requires unknown trailing bytes to be zero).
//!
//! Everything here fails cleanly where `bpf()` does not work (EPERM, ENOSYS, a seccomp
//! filter...): tests call [`require`] first, which skips with the reason (and fails under CI).

use bpfplay_core::RawInsn;
use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

// Commands (enum bpf_cmd).
const BPF_MAP_CREATE: u32 = 0;
const BPF_MAP_LOOKUP_ELEM: u32 = 1;
const BPF_MAP_UPDATE_ELEM: u32 = 2;
const BPF_MAP_DELETE_ELEM: u32 = 3;
const BPF_MAP_GET_NEXT_KEY: u32 = 4;
const BPF_MAP_LOOKUP_AND_DELETE_ELEM: u32 = 21;
const BPF_PROG_LOAD: u32 = 5;
const BPF_PROG_TEST_RUN: u32 = 10;
const BPF_BTF_LOAD: u32 = 18;

/// Size of the attribute block passed to the kernel; larger than any command needs here.
const ATTR_SIZE: usize = 160;

/// `src_reg` values of `LD_IMM64` that refer to a map by fd.
pub const BPF_PSEUDO_MAP_FD: u8 = 1;
pub const BPF_PSEUDO_MAP_VALUE: u8 = 2;

/// Map update flags.
pub const BPF_ANY: u64 = 0;
pub const BPF_NOEXIST: u64 = 1;
pub const BPF_EXIST: u64 = 2;

/// Initial verifier-log buffer size; grown (up to [`MAX_LOG`]) when the kernel says ENOSPC.
const FIRST_LOG: usize = 1 << 20;
/// The kernel caps `log_size` at `UINT_MAX >> 2`; we stop well before.
const MAX_LOG: usize = 1 << 30;

// Capability numbers (include/uapi/linux/capability.h).
const CAP_SYS_ADMIN: u32 = 21;
const CAP_PERFMON: u32 = 38;
const CAP_BPF: u32 = 39;

/// An `errno` value from a failed syscall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Errno(pub i32);

impl Errno {
    fn last() -> Errno {
        Errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }

    /// The symbolic name (`EACCES`), or `E<number>` for numbers not listed here.
    pub fn name(self) -> String {
        let n = match self.0 {
            libc::EPERM => "EPERM",
            libc::ENOENT => "ENOENT",
            libc::ESRCH => "ESRCH",
            libc::EINTR => "EINTR",
            libc::EIO => "EIO",
            libc::E2BIG => "E2BIG",
            libc::EBADF => "EBADF",
            libc::EAGAIN => "EAGAIN",
            libc::ENOMEM => "ENOMEM",
            libc::EACCES => "EACCES",
            libc::EFAULT => "EFAULT",
            libc::EBUSY => "EBUSY",
            libc::EEXIST => "EEXIST",
            libc::EXDEV => "EXDEV",
            libc::EINVAL => "EINVAL",
            libc::EMFILE => "EMFILE",
            libc::EFBIG => "EFBIG",
            libc::ENOSPC => "ENOSPC",
            libc::ERANGE => "ERANGE",
            libc::ENOSYS => "ENOSYS",
            libc::ELOOP => "ELOOP",
            libc::ENOTSUP => "EOPNOTSUPP",
            // The kernel-internal ENOTSUPP, which does leak to user space from bpf().
            524 => "ENOTSUPP",
            _ => return format!("E{}", self.0),
        };
        n.to_string()
    }

    /// Parses what [`Errno::name`] prints (`EACCES`, `E524`) back.
    pub fn from_name(s: &str) -> Option<Errno> {
        if let Some(n) = s.strip_prefix('E').and_then(|d| d.parse::<i32>().ok()) {
            return Some(Errno(n));
        }
        (1..1024).map(Errno).find(|e| e.name() == s)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = if self.0 == 524 {
            "Unknown error 524 (kernel ENOTSUPP)".to_string()
        } else {
            std::io::Error::from_raw_os_error(self.0).to_string()
        };
        write!(f, "{} ({}): {}", self.name(), self.0, msg)
    }
}

impl std::error::Error for Errno {}

/// An owned file descriptor (a map or a program), closed on drop.
#[derive(Debug)]
pub struct Fd(RawFd);

impl Fd {
    pub fn raw(&self) -> RawFd {
        self.0
    }
}

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

impl AsFd for Fd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: the descriptor stays open as long as `self` lives.
        unsafe { BorrowedFd::borrow_raw(self.0) }
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: we own this descriptor; nothing else closes it.
        unsafe {
            libc::close(self.0);
        }
    }
}

/// Attribute block builder: little-endian fields at the offsets of `union bpf_attr`.
struct Attr([u8; ATTR_SIZE]);

impl Attr {
    fn new() -> Attr {
        Attr([0; ATTR_SIZE])
    }
    fn u32(&mut self, off: usize, v: u32) -> &mut Attr {
        self.0[off..off + 4].copy_from_slice(&v.to_ne_bytes());
        self
    }
    fn u64(&mut self, off: usize, v: u64) -> &mut Attr {
        self.0[off..off + 8].copy_from_slice(&v.to_ne_bytes());
        self
    }
    fn ptr<T>(&mut self, off: usize, p: *const T) -> &mut Attr {
        self.u64(off, p as usize as u64)
    }
    /// `map_name` of `BPF_MAP_CREATE`: at most 15 characters of `[A-Za-z0-9_.]` (others
    /// dropped), as the kernel accepts them.
    fn map_name(&mut self, name: &str) -> &mut Attr {
        let name: Vec<u8> = name
            .bytes()
            .filter(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
            .take(15)
            .collect();
        self.0[28..28 + name.len()].copy_from_slice(&name);
        self
    }
    fn get_u32(&self, off: usize) -> u32 {
        u32::from_ne_bytes(self.0[off..off + 4].try_into().unwrap())
    }
}

/// `bpf(cmd, attr, size)`; the result (an fd or 0) or the errno.
fn sys_bpf(cmd: u32, attr: &mut Attr) -> Result<i64, Errno> {
    // SAFETY: attr is a valid, writable block of ATTR_SIZE bytes; every pointer stored in it
    // points to memory that the caller keeps alive and sized as the attribute says.
    let r = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd as libc::c_long,
            attr.0.as_mut_ptr(),
            ATTR_SIZE as libc::c_long,
        )
    };
    if r < 0 {
        Err(Errno::last())
    } else {
        Ok(r)
    }
}

/// The map types the playground models (numbers from `enum bpf_map_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapKind {
    Hash,
    Array,
    ProgArray,
    PercpuHash,
    PercpuArray,
    LruHash,
    LruPercpuHash,
    LpmTrie,
    Queue,
    Stack,
    Ringbuf,
    UserRingbuf,
    BloomFilter,
    StackTrace,
    PerfEventArray,
    CgroupArray,
    Devmap,
    Sockmap,
    Cpumap,
    Xskmap,
    Sockhash,
    CgroupStorage,
    ReuseportSockarray,
    PercpuCgroupStorage,
    SkStorage,
    DevmapHash,
    InodeStorage,
    TaskStorage,
    CgrpStorage,
    Arena,
}

impl MapKind {
    /// The kinds that tests create with sizes and flags alone.
    pub const ALL: [MapKind; 14] = [
        MapKind::Hash,
        MapKind::Array,
        MapKind::ProgArray,
        MapKind::PercpuHash,
        MapKind::PercpuArray,
        MapKind::LruHash,
        MapKind::LruPercpuHash,
        MapKind::LpmTrie,
        MapKind::Queue,
        MapKind::Stack,
        MapKind::Ringbuf,
        MapKind::UserRingbuf,
        MapKind::BloomFilter,
        MapKind::StackTrace,
    ];

    /// The kernel's `BPF_MAP_TYPE_*` number.
    pub fn type_id(self) -> u32 {
        match self {
            MapKind::Hash => 1,
            MapKind::Array => 2,
            MapKind::ProgArray => 3,
            MapKind::PercpuHash => 5,
            MapKind::PercpuArray => 6,
            MapKind::LruHash => 9,
            MapKind::LruPercpuHash => 10,
            MapKind::LpmTrie => 11,
            MapKind::Queue => 22,
            MapKind::Stack => 23,
            MapKind::Ringbuf => 27,
            MapKind::UserRingbuf => 31,
            MapKind::BloomFilter => 30,
            MapKind::StackTrace => 7,
            MapKind::PerfEventArray => 4,
            MapKind::CgroupArray => 8,
            MapKind::Devmap => 14,
            MapKind::Sockmap => 15,
            MapKind::Cpumap => 16,
            MapKind::Xskmap => 17,
            MapKind::Sockhash => 18,
            MapKind::CgroupStorage => 19,
            MapKind::ReuseportSockarray => 20,
            MapKind::PercpuCgroupStorage => 21,
            MapKind::SkStorage => 24,
            MapKind::DevmapHash => 25,
            MapKind::InodeStorage => 28,
            MapKind::TaskStorage => 29,
            MapKind::CgrpStorage => 32,
            MapKind::Arena => 33,
        }
    }

    /// The name used in map declarations (`hash`, `percpu_array`, ...).
    pub fn name(self) -> &'static str {
        match self {
            MapKind::Hash => "hash",
            MapKind::Array => "array",
            MapKind::ProgArray => "prog_array",
            MapKind::PercpuHash => "percpu_hash",
            MapKind::PercpuArray => "percpu_array",
            MapKind::LruHash => "lru_hash",
            MapKind::LruPercpuHash => "lru_percpu_hash",
            MapKind::LpmTrie => "lpm_trie",
            MapKind::Queue => "queue",
            MapKind::Stack => "stack",
            MapKind::Ringbuf => "ringbuf",
            MapKind::UserRingbuf => "user_ringbuf",
            MapKind::BloomFilter => "bloom_filter",
            MapKind::StackTrace => "stack_trace",
            MapKind::PerfEventArray => "perf_event_array",
            MapKind::CgroupArray => "cgroup_array",
            MapKind::Devmap => "devmap",
            MapKind::Sockmap => "sockmap",
            MapKind::Cpumap => "cpumap",
            MapKind::Xskmap => "xskmap",
            MapKind::Sockhash => "sockhash",
            MapKind::CgroupStorage => "cgroup_storage",
            MapKind::ReuseportSockarray => "reuseport_sockarray",
            MapKind::PercpuCgroupStorage => "percpu_cgroup_storage",
            MapKind::SkStorage => "sk_storage",
            MapKind::DevmapHash => "devmap_hash",
            MapKind::InodeStorage => "inode_storage",
            MapKind::TaskStorage => "task_storage",
            MapKind::CgrpStorage => "cgrp_storage",
            MapKind::Arena => "arena",
        }
    }

    pub fn from_name(s: &str) -> Option<MapKind> {
        MapKind::ALL.into_iter().chain(MapKind::MORE).find(|k| k.name() == s)
    }

    /// The kinds of objects bpfplay does not simulate, devices and CPUs.
    pub const MORE: [MapKind; 16] = [
        MapKind::PerfEventArray,
        MapKind::CgroupArray,
        MapKind::Devmap,
        MapKind::Sockmap,
        MapKind::Cpumap,
        MapKind::Xskmap,
        MapKind::Sockhash,
        MapKind::CgroupStorage,
        MapKind::ReuseportSockarray,
        MapKind::PercpuCgroupStorage,
        MapKind::SkStorage,
        MapKind::DevmapHash,
        MapKind::InodeStorage,
        MapKind::TaskStorage,
        MapKind::CgrpStorage,
        MapKind::Arena,
    ];

    pub fn is_percpu(self) -> bool {
        matches!(
            self,
            MapKind::PercpuHash
                | MapKind::PercpuArray
                | MapKind::LruPercpuHash
                | MapKind::PercpuCgroupStorage
        )
    }
}

/// A map created in the kernel. The descriptor closes (and the map goes away, unless a
/// program holds it) on drop.
#[derive(Debug)]
pub struct Map {
    pub fd: Fd,
    pub kind: MapKind,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
}

impl AsRawFd for Map {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.0
    }
}

impl AsFd for Map {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// Number of possible CPUs (what per-CPU map values are sized by), from sysfs.
pub fn possible_cpus() -> usize {
    // Format: "0-3" or "0,2-5".
    let s = std::fs::read_to_string("/sys/devices/system/cpu/possible").unwrap_or_default();
    let mut n = 0;
    for part in s.trim().split(',').filter(|p| !p.is_empty()) {
        n += match part.split_once('-') {
            Some((a, b)) => b.parse::<usize>().unwrap_or(0) + 1 - a.parse::<usize>().unwrap_or(0),
            None => 1,
        };
    }
    n.max(1)
}

/// `BPF_MAP_CREATE`. `flags` is `map_flags` (e.g. `BPF_F_NO_PREALLOC` = 1).
pub fn map_create(
    kind: MapKind,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    flags: u32,
) -> Result<Map, Errno> {
    map_create_named(kind, key_size, value_size, max_entries, flags, "")
}

/// `BPF_MAP_CREATE` with a map name (at most 15 characters of `[A-Za-z0-9_.]`; longer names
/// are cut), which the verifier log shows as `map_ptr(map=NAME,...)`.
pub fn map_create_named(
    kind: MapKind,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    flags: u32,
    name: &str,
) -> Result<Map, Errno> {
    map_create_extra(kind, key_size, value_size, max_entries, flags, name, 0)
}

/// [`map_create_named`] with `map_extra` (a bloom filter's number of hash functions).
pub fn map_create_extra(
    kind: MapKind,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    flags: u32,
    name: &str,
    map_extra: u64,
) -> Result<Map, Errno> {
    // struct { map_type, key_size, value_size, max_entries, map_flags, inner_map_fd,
    //          numa_node, char map_name[16], ... }
    let mut a = Attr::new();
    a.u32(0, kind.type_id())
        .u32(4, key_size)
        .u32(8, value_size)
        .u32(12, max_entries)
        .u32(16, flags)
        .u64(64, map_extra);
    a.map_name(name);
    let fd = sys_bpf(BPF_MAP_CREATE, &mut a)?;
    Ok(Map { fd: Fd(fd as RawFd), kind, key_size, value_size, max_entries })
}

/// [`map_create_extra`] with BTF for the key and value, as libbpf gives it for a map
/// declared in C: the key an `int`, the value a `char[value_size]`. Object storage maps
/// (`sk_storage`, `task_storage`, ...) are refused without it.
pub fn map_create_btf(
    kind: MapKind,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    flags: u32,
    name: &str,
) -> Result<Map, Errno> {
    // BTF: [1] int (signed, 32 bits), [2] char (8 bits), [3] char[value_size].
    let strings = b"\0int\0char\0";
    let mut types: Vec<u8> = Vec::new();
    let mut w = |v: u32| types.extend_from_slice(&v.to_ne_bytes());
    w(1);
    w(1 << 24);
    w(4);
    w((1 << 24) | 32);
    w(5);
    w(1 << 24);
    w(1);
    w(8);
    w(0);
    w(3 << 24);
    w(0);
    w(2);
    w(1);
    w(value_size);
    let mut blob: Vec<u8> = Vec::new();
    blob.extend_from_slice(&0xeb9fu16.to_ne_bytes());
    blob.extend_from_slice(&[1, 0]);
    for v in [24u32, 0, types.len() as u32, types.len() as u32, strings.len() as u32] {
        blob.extend_from_slice(&v.to_ne_bytes());
    }
    blob.extend_from_slice(&types);
    blob.extend_from_slice(strings);
    let mut b = Attr::new();
    b.ptr(0, blob.as_ptr()).u32(16, blob.len() as u32);
    let btf = Fd(sys_bpf(BPF_BTF_LOAD, &mut b)? as RawFd);
    let mut a = Attr::new();
    a.u32(0, kind.type_id())
        .u32(4, key_size)
        .u32(8, value_size)
        .u32(12, max_entries)
        .u32(16, flags)
        .u32(48, btf.0 as u32)
        .u32(52, 1)
        .u32(56, 3);
    a.map_name(name);
    let fd = sys_bpf(BPF_MAP_CREATE, &mut a)?;
    Ok(Map { fd: Fd(fd as RawFd), kind, key_size, value_size, max_entries })
}

/// `BPF_MAP_CREATE` of a map of maps (`type_id` 12, array_of_maps, or 13, hash_of_maps)
/// whose inner map is `inner` (`inner_map_fd`); `value_size` is normally 4 (a map fd).
pub fn map_create_of_maps(
    type_id: u32,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    inner: &impl AsRawFd,
    name: &str,
) -> Result<Fd, Errno> {
    let mut a = Attr::new();
    a.u32(0, type_id)
        .u32(4, key_size)
        .u32(8, value_size)
        .u32(12, max_entries)
        .u32(20, inner.as_raw_fd() as u32);
    a.map_name(name);
    sys_bpf(BPF_MAP_CREATE, &mut a).map(|fd| Fd(fd as RawFd))
}

/// `BPF_MAP_UPDATE_ELEM` on any map (a map of maps: `value` is a map fd).
pub fn fd_map_update(
    map: &impl AsRawFd,
    key: &[u8],
    value: &[u8],
    flags: u64,
) -> Result<(), Errno> {
    let mut a = Attr::new();
    a.u32(0, map.as_raw_fd() as u32).ptr(8, key_ptr(key)).ptr(16, value.as_ptr()).u64(24, flags);
    sys_bpf(BPF_MAP_UPDATE_ELEM, &mut a).map(|_| ())
}

/// A key's address for the syscall: NULL for the empty key of a keyless map (queue, stack,
/// bloom filter), whose non-NULL key the kernel refuses (syscall.c `__bpf_copy_key`).
fn key_ptr(key: &[u8]) -> *const u8 {
    if key.is_empty() {
        std::ptr::null()
    } else {
        key.as_ptr()
    }
}

impl Map {
    /// `BPF_MAP_LOOKUP_ELEM` with `value` passed in: a bloom filter reads it (membership
    /// test); `Ok(false)` for ENOENT.
    pub fn lookup_value(&self, key: &[u8], value: &[u8]) -> Result<bool, Errno> {
        self.check_key(key)?;
        let mut v = value.to_vec();
        let mut a = Attr::new();
        a.u32(0, self.fd.0 as u32).ptr(8, key_ptr(key)).ptr(16, v.as_mut_ptr());
        match sys_bpf(BPF_MAP_LOOKUP_ELEM, &mut a) {
            Ok(_) => Ok(true),
            Err(Errno(libc::ENOENT)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// `BPF_MAP_LOOKUP_AND_DELETE_ELEM` (a queue's or stack's pop); `Ok(None)` for ENOENT.
    pub fn lookup_and_delete(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Errno> {
        self.lookup_with(BPF_MAP_LOOKUP_AND_DELETE_ELEM, key)
    }

    /// A lookup-style command: the value of `key`, `Ok(None)` for ENOENT.
    fn lookup_with(&self, cmd: u32, key: &[u8]) -> Result<Option<Vec<u8>>, Errno> {
        self.check_key(key)?;
        let mut value = vec![0u8; self.value_len()];
        // struct { map_fd, pad, key, value, flags }
        let mut a = Attr::new();
        a.u32(0, self.fd.0 as u32).ptr(8, key_ptr(key)).ptr(16, value.as_mut_ptr());
        match sys_bpf(cmd, &mut a) {
            Ok(_) => Ok(Some(value)),
            Err(Errno(libc::ENOENT)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Bytes of a value as user space sees it: per-CPU maps hold one 8-byte-aligned value
    /// per possible CPU.
    pub fn value_len(&self) -> usize {
        if self.kind.is_percpu() {
            (self.value_size as usize).div_ceil(8) * 8 * possible_cpus()
        } else {
            self.value_size as usize
        }
    }

    fn check_key(&self, key: &[u8]) -> Result<(), Errno> {
        if key.len() != self.key_size as usize {
            return Err(Errno(libc::EINVAL));
        }
        Ok(())
    }

    /// `BPF_MAP_LOOKUP_ELEM`: `Ok(None)` where the key is absent (ENOENT).
    pub fn lookup(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Errno> {
        self.lookup_with(BPF_MAP_LOOKUP_ELEM, key)
    }

    /// `BPF_MAP_UPDATE_ELEM` with `flags` ([`BPF_ANY`], [`BPF_NOEXIST`], [`BPF_EXIST`]).
    /// `value` must be [`Map::value_len`] bytes.
    pub fn update(&self, key: &[u8], value: &[u8], flags: u64) -> Result<(), Errno> {
        self.check_key(key)?;
        if value.len() != self.value_len() {
            return Err(Errno(libc::EINVAL));
        }
        fd_map_update(self, key, value, flags)
    }

    /// `BPF_MAP_DELETE_ELEM`.
    pub fn delete(&self, key: &[u8]) -> Result<(), Errno> {
        self.check_key(key)?;
        let mut a = Attr::new();
        a.u32(0, self.fd.0 as u32).ptr(8, key_ptr(key));
        sys_bpf(BPF_MAP_DELETE_ELEM, &mut a).map(|_| ())
    }

    /// `BPF_MAP_GET_NEXT_KEY`: the key after `key` (the first key for `None`), or `Ok(None)`
    /// at the end (ENOENT).
    pub fn next_key(&self, key: Option<&[u8]>) -> Result<Option<Vec<u8>>, Errno> {
        if let Some(k) = key {
            self.check_key(k)?;
        }
        let mut next = vec![0u8; self.key_size as usize];
        let mut a = Attr::new();
        a.u32(0, self.fd.0 as u32)
            .ptr(8, key.map_or(std::ptr::null(), |k| k.as_ptr()))
            .ptr(16, next.as_mut_ptr());
        match sys_bpf(BPF_MAP_GET_NEXT_KEY, &mut a) {
            Ok(_) => Ok(Some(next)),
            Err(Errno(libc::ENOENT)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// All keys, in the kernel's iteration order.
    pub fn keys(&self) -> Result<Vec<Vec<u8>>, Errno> {
        let mut out: Vec<Vec<u8>> = Vec::new();
        while let Some(k) = self.next_key(out.last().map(|k| k.as_slice()))? {
            if out.len() > self.max_entries as usize {
                break; // concurrent modification; do not loop forever
            }
            out.push(k);
        }
        Ok(out)
    }
}

/// The program types the playground models (numbers from `enum bpf_prog_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProgType {
    SocketFilter,
    Kprobe,
    Tracepoint,
    Xdp,
}

impl ProgType {
    pub const ALL: [ProgType; 4] =
        [ProgType::SocketFilter, ProgType::Kprobe, ProgType::Tracepoint, ProgType::Xdp];

    pub fn type_id(self) -> u32 {
        match self {
            ProgType::SocketFilter => 1,
            ProgType::Kprobe => 2,
            ProgType::Tracepoint => 5,
            ProgType::Xdp => 6,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ProgType::SocketFilter => "socket_filter",
            ProgType::Kprobe => "kprobe",
            ProgType::Tracepoint => "tracepoint",
            ProgType::Xdp => "xdp",
        }
    }

    pub fn from_name(s: &str) -> Option<ProgType> {
        ProgType::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// What the kernel said to a `BPF_PROG_LOAD`.
#[derive(Debug)]
pub struct LoadResult {
    pub accepted: bool,
    /// 0 when accepted.
    pub errno: i32,
    /// The verifier log (empty at log level 0, and for loads refused before verification).
    pub log: String,
    /// The loaded program, for [`prog_test_run`]; closed on drop.
    pub fd: Option<Fd>,
}

impl LoadResult {
    pub fn errno_name(&self) -> String {
        Errno(self.errno).name()
    }
    /// [`first_error`] of the log, for a rejected program; `None` if accepted.
    pub fn first_error(&self) -> Option<String> {
        if self.accepted {
            None
        } else {
            first_error(&self.log)
        }
    }
    pub fn processed_insns(&self) -> Option<u64> {
        processed_insns(&self.log)
    }
}

/// Replaces the `imm` of every `LD_IMM64` with `src_reg` MAP_FD or MAP_VALUE (a map index in
/// bpfplay) by the descriptor of `maps[imm]`; an index out of range becomes -1 (the kernel
/// then says `fd -1 is not pointing to valid bpf_map`).
pub fn patch_map_fds<M: AsFd>(insns: &[RawInsn], maps: &[M]) -> Vec<RawInsn> {
    let mut out = insns.to_vec();
    let mut i = 0;
    while i < out.len() {
        let ins = &mut out[i];
        if ins.code == 0x18 {
            if ins.src == BPF_PSEUDO_MAP_FD || ins.src == BPF_PSEUDO_MAP_VALUE {
                ins.imm = usize::try_from(ins.imm)
                    .ok()
                    .and_then(|k| maps.get(k))
                    .map_or(-1, |m| m.as_fd().as_raw_fd());
            }
            i += 2; // skip the second slot
        } else {
            i += 1;
        }
    }
    out
}

/// `BPF_PROG_LOAD` with license "GPL" and the caller's privileges (root here: the permissive
/// checks). Map references are patched by [`patch_map_fds`]. `log_level` 0, 1 or 2 (with
/// 4 = stats or'ed in if wanted); the log buffer grows until the log fits.
pub fn prog_load<M: AsFd>(
    prog_type: ProgType,
    insns: &[RawInsn],
    log_level: u32,
    maps: &[M],
) -> LoadResult {
    let code: Vec<u8> = patch_map_fds(insns, maps).iter().flat_map(|r| r.to_bytes()).collect();
    let license = c"GPL";
    let mut size = FIRST_LOG;
    loop {
        let mut log = if log_level > 0 { vec![0u8; size] } else { Vec::new() };
        // struct { prog_type, insn_cnt, insns, license, log_level, log_size, log_buf,
        //          kern_version, prog_flags, prog_name[16], prog_ifindex,
        //          expected_attach_type, ... @140 log_true_size }
        let mut a = Attr::new();
        a.u32(0, prog_type.type_id())
            .u32(4, insns.len() as u32)
            .ptr(8, code.as_ptr())
            .ptr(16, license.as_ptr());
        if log_level > 0 {
            a.u32(24, log_level).u32(28, log.len() as u32).ptr(32, log.as_mut_ptr());
        }
        let r = sys_bpf(BPF_PROG_LOAD, &mut a);
        let text = || {
            let end = log.iter().position(|&b| b == 0).unwrap_or(log.len());
            String::from_utf8_lossy(&log[..end]).into_owned()
        };
        match r {
            Ok(fd) => {
                return LoadResult {
                    accepted: true,
                    errno: 0,
                    log: text(),
                    fd: Some(Fd(fd as RawFd)),
                }
            }
            Err(Errno(libc::ENOSPC)) if log_level > 0 && size < MAX_LOG => {
                let need = a.get_u32(140) as usize;
                size = if need > size { need + 4096 } else { size * 4 }.min(MAX_LOG);
            }
            Err(e) => return LoadResult { accepted: false, errno: e.0, log: text(), fd: None },
        }
    }
}

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;

/// Drops `caps` from the calling *thread*'s effective, permitted and inheritable sets
/// (Linux credentials are per thread, and `capset` with pid 0 changes only the caller).
fn drop_thread_caps(caps: &[u32]) -> Result<(), String> {
    let mut hdr = CapHeader { version: LINUX_CAPABILITY_VERSION_3, pid: 0 };
    let mut data = [CapData::default(); 2];
    // SAFETY: header and a 2-element data array, as capget(2) version 3 wants.
    if unsafe { libc::syscall(libc::SYS_capget, &mut hdr as *mut CapHeader, data.as_mut_ptr()) }
        != 0
    {
        return Err(format!("capget: {}", Errno::last()));
    }
    let has = |d: &[CapData; 2], c: u32| d[(c / 32) as usize].effective & (1 << (c % 32)) != 0;
    if !has(&data, CAP_BPF) {
        return Err("this process lacks CAP_BPF".into());
    }
    for &c in caps {
        let d = &mut data[(c / 32) as usize];
        let bit = !(1u32 << (c % 32));
        d.effective &= bit;
        d.permitted &= bit;
        d.inheritable &= bit;
    }
    let mut hdr = CapHeader { version: LINUX_CAPABILITY_VERSION_3, pid: 0 };
    // SAFETY: as above.
    if unsafe { libc::syscall(libc::SYS_capset, &mut hdr as *mut CapHeader, data.as_ptr()) } != 0 {
        return Err(format!("capset: {}", Errno::last()));
    }
    let mut check = [CapData::default(); 2];
    let mut hdr = CapHeader { version: LINUX_CAPABILITY_VERSION_3, pid: 0 };
    // SAFETY: as above.
    unsafe { libc::syscall(libc::SYS_capget, &mut hdr as *mut CapHeader, check.as_mut_ptr()) };
    if caps.iter().any(|&c| has(&check, c)) || !has(&check, CAP_BPF) {
        return Err("capset did not take effect".into());
    }
    Ok(())
}

/// Like [`prog_load`], but "unprivileged-like": loads from a fresh thread that has dropped
/// `CAP_SYS_ADMIN` and `CAP_PERFMON` and kept `CAP_BPF`, which makes the verifier apply its
/// strict checks (no pointer leaks, no pointer comparisons, no uninitialised stack reads,
/// Spectre sanitation...). Maps are created by the caller as usual. Note that without
/// `CAP_PERFMON` tracing program types (kprobe, tracepoint) are refused with EPERM.
/// `Err` where the capabilities cannot be dropped (not root, no CAP_BPF).
pub fn prog_load_unpriv<M: AsFd + Sync>(
    prog_type: ProgType,
    insns: &[RawInsn],
    log_level: u32,
    maps: &[M],
) -> Result<LoadResult, String> {
    std::thread::scope(|s| {
        s.spawn(|| {
            drop_thread_caps(&[CAP_SYS_ADMIN, CAP_PERFMON])?;
            Ok(prog_load(prog_type, insns, log_level, maps))
        })
        .join()
        .map_err(|_| "unprivileged load thread panicked".to_string())?
    })
}

/// Whether the calling thread can drop CAP_SYS_ADMIN/CAP_PERFMON and keep CAP_BPF (that is,
/// whether [`prog_load_unpriv`] can work); tried on a throwaway thread.
pub fn unpriv_available() -> Result<(), String> {
    std::thread::spawn(|| drop_thread_caps(&[CAP_SYS_ADMIN, CAP_PERFMON]))
        .join()
        .map_err(|_| "thread panicked".to_string())?
}

/// `BPF_PROG_TEST_RUN`: runs the program `repeat` times (0 counts as 1) on `data_in` (for
/// socket filters and XDP a frame of at least 14 bytes); the return value (32 bits) and the
/// packet as the program left it.
pub fn prog_test_run(fd: &Fd, data_in: &[u8], repeat: u32) -> Result<(u32, Vec<u8>), Errno> {
    let mut out_size = (data_in.len() + 512).max(4096);
    loop {
        let mut out = vec![0u8; out_size];
        // struct { prog_fd, retval, data_size_in, data_size_out, data_in, data_out, repeat,
        //          duration, ctx_size_in, ctx_size_out, ctx_in, ctx_out, flags, cpu, ... }
        let mut a = Attr::new();
        a.u32(0, fd.0 as u32).u32(8, data_in.len() as u32).u32(12, out.len() as u32);
        a.ptr(16, data_in.as_ptr()).ptr(24, out.as_mut_ptr()).u32(32, repeat);
        match sys_bpf(BPF_PROG_TEST_RUN, &mut a) {
            Ok(_) => {
                let retval = a.get_u32(4);
                out.truncate((a.get_u32(12) as usize).min(out.len()));
                return Ok((retval, out));
            }
            Err(Errno(libc::ENOSPC)) if (a.get_u32(12) as usize) > out_size => {
                out_size = a.get_u32(12) as usize
            }
            Err(e) => return Err(e),
        }
    }
}

/// Whether `bpf()` works here: creates an array map and loads `r0 = 0; exit` as a socket
/// filter. `Err` gives a reason to print when skipping.
pub fn available() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Err("bpf() exists only on Linux".into());
    }
    map_create(MapKind::Array, 4, 4, 1, 0)
        .map_err(|e| format!("bpf(BPF_MAP_CREATE) failed: {e}"))?;
    let prog = [RawInsn::new(0xb7, 0, 0, 0, 0), RawInsn::new(0x95, 0, 0, 0, 0)];
    let r = prog_load::<Fd>(ProgType::SocketFilter, &prog, 0, &[]);
    if !r.accepted {
        return Err(format!("bpf(BPF_PROG_LOAD) of `r0 = 0; exit` failed: {}", Errno(r.errno)));
    }
    Ok(())
}

/// Whether the environment says this is a CI run (`CI` set, and not to `false`, `0` or the
/// empty string). CI runs as root, where `bpf()` works, so there a kernel-backed test that
/// cannot reach the kernel is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The one gate of the kernel-backed tests: `true` when `check` (a requirement such as
/// [`available`]) holds. Otherwise, under CI ([`in_ci`]) it panics with `what` and the reason;
/// elsewhere it prints that `what` is skipped, and why, and gives `false`.
#[must_use]
pub fn require_that(what: &str, check: Result<(), String>) -> bool {
    gate(in_ci(), what, check)
}

fn gate(ci: bool, what: &str, check: Result<(), String>) -> bool {
    match check {
        Ok(()) => true,
        Err(why) if ci => panic!("{what}: cannot run under CI (CI is set): {why}"),
        Err(why) => {
            eprintln!("skipping {what}: {why} (under CI this fails)");
            false
        }
    }
}

/// [`require_that`] for the running kernel's `bpf()` ([`available`]); use at the top of every
/// test that asks the kernel: `if !kernel::require("this test") { return; }`.
#[must_use]
pub fn require(what: &str) -> bool {
    require_that(what, available().map_err(|e| format!("the kernel's bpf() is not usable: {e}")))
}

/// [`require`], and also that unprivileged-like loads work ([`unpriv_available`]).
#[must_use]
pub fn require_unpriv(what: &str) -> bool {
    require(what)
        && require_that(
            what,
            unpriv_available().map_err(|e| format!("cannot load unprivileged-like: {e}")),
        )
}

/// Where the `processed N insns (limit ...` statistics start in a verifier log: the line
/// index and the byte column. Usually column 0; but a few kernel messages lack their
/// newline (`expected prog array map for tail call`), so the statistics follow them on the
/// same line.
fn processed_at(log: &str) -> Option<(usize, usize)> {
    for (i, line) in log.lines().enumerate().collect::<Vec<_>>().into_iter().rev() {
        let mut from = 0;
        let mut found = None;
        while let Some(k) = line[from..].find("processed ") {
            let at = from + k;
            let mut words = line[at..].split_whitespace().skip(1);
            if words.next().is_some_and(|n| n.parse::<u64>().is_ok())
                && words.next() == Some("insns")
            {
                found = Some(at);
            }
            from = at + 1;
        }
        if let Some(at) = found {
            return Some((i, at));
        }
    }
    None
}

/// Whether a log line is part of the log's structure rather than a message: an instruction
/// or state line (`3: (07) r1 += 1`, `4: R0=0 R10=fp0`, the `Live regs` table), `func#0 @0`,
/// `from 2 to 4: ...`, and precision-tracking lines (kernel/bpf/log.c, verifier.c).
fn is_structure_line(l: &str) -> bool {
    let t = l.trim_start();
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && t[digits..].starts_with(": ") {
        return true;
    }
    if let Some(rest) = t.strip_prefix('(') {
        // `(0) frame 0 insn 5 +live -8`
        let d = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        if d > 0 && rest[d..].starts_with(") ") {
            return true;
        }
    }
    t.starts_with("func#")
        || t.starts_with("Live regs before insn:")
        || t.starts_with("mark_precise:")
        || t.starts_with("last_idx ")
        || t.starts_with("regs=")
        || t.starts_with("parent ")
        || t.starts_with("propagating ")
        || (t.starts_with("from ") && t.contains(" to ") && t.contains(':'))
}

/// The message lines of a rejected program: the lines before `processed N insns ...` back to
/// the last instruction or state line. Usually one line (`R0 !read_ok`); some checks print
/// two (`invalid access to map value, value_size=8 off=8 size=4` then `R0 min value is
/// outside of the allowed memory range`; `Unreleased reference id=2 alloc_insn=4` then
/// `BPF_EXIT instruction in main prog would lead to reference leak`), and `infinite loop
/// detected at insn N` is followed by `cur state:` and `old state:` lines. A few messages lack
/// their newline and are glued to the statistics (`expected prog array map for tail
/// callprocessed 3 insns ...`): their text before `processed` is the last line. Where no such
/// message precedes the statistics, the last non-empty line before them. Empty for an empty
/// log.
pub fn error_block(log: &str) -> Vec<String> {
    let lines: Vec<&str> = log.lines().collect();
    let (end, col) = processed_at(log).unwrap_or((lines.len(), 0));
    let mut block: Vec<String> = Vec::new();
    if col > 0 && !lines[end][..col].trim().is_empty() {
        block.push(lines[end][..col].trim_end().to_string());
    }
    let mut k = end;
    while k > 0 && !lines[k - 1].trim().is_empty() && !is_structure_line(lines[k - 1]) {
        k -= 1;
        block.insert(0, lines[k].to_string());
    }
    if block.is_empty() {
        if let Some(l) = lines[..end].iter().rev().find(|l| !l.trim().is_empty()) {
            block.push(l.to_string());
        }
    }
    block
}

/// The kernel's error message of a rejected program: the first line of [`error_block`], the
/// most specific one (`R0 !read_ok`, `invalid access to map value, value_size=8 off=8
/// size=4`, `Unreleased reference id=2 alloc_insn=4`, `infinite loop detected at insn 4`).
/// For a one-line message this is the line just before `processed N insns`. `None` for an
/// empty log. (On an accepted program's log this gives the last instruction line, which is
/// not an error.)
pub fn first_error(log: &str) -> Option<String> {
    error_block(log).into_iter().next()
}

/// N of the `processed N insns` statistics.
pub fn processed_insns(log: &str) -> Option<u64> {
    let (i, col) = processed_at(log)?;
    log.lines().nth(i)?[col..].split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> RawInsn {
        RawInsn::new(code, dst, src, off, imm)
    }

    const NO_MAPS: &[Fd] = &[];

    fn skip() -> bool {
        !require("this kernel.rs unit test")
    }

    #[test]
    fn require_skips_outside_ci_and_fails_in_it() {
        assert!(gate(false, "t", Ok(())));
        assert!(gate(true, "t", Ok(())));
        assert!(!gate(false, "t", Err("no bpf()".into())));
        let e = std::panic::catch_unwind(|| gate(true, "t", Err("no bpf()".into())))
            .expect_err("an unusable kernel fails under CI");
        assert_eq!(
            e.downcast_ref::<String>().map(String::as_str),
            Some("t: cannot run under CI (CI is set): no bpf()")
        );
    }

    #[test]
    fn log_parsing() {
        let log = "func#0 @0\n0: R1=ctx() R10=fp0\n0: (95) exit\nR0 !read_ok\nprocessed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n\n";
        assert_eq!(first_error(log).as_deref(), Some("R0 !read_ok"));
        assert_eq!(processed_insns(log), Some(1));
        assert_eq!(first_error(""), None);
        assert_eq!(processed_insns("no such line"), None);
        assert_eq!(first_error("a\nlast words\n\n").as_deref(), Some("last words"));
        let looping = "3: (07) r1 += 1\ninfinite loop detected at insn 4\ncur state: R0=scalar() R10=fp0\nold state: R0=scalar() R10=fp0\nprocessed 38 insns (limit 1000000)\n";
        assert_eq!(first_error(looping).as_deref(), Some("infinite loop detected at insn 4"));
        let glued = "2: (85) call bpf_tail_call#12\nexpected prog array map for tail callprocessed 3 insns (limit 1000000) max_states_per_insn 0\n";
        assert_eq!(first_error(glued).as_deref(), Some("expected prog array map for tail call"));
        assert_eq!(processed_insns(glued), Some(3));
        let two = "7: (61) r1 = *(u32 *)(r0 +8)\ninvalid access to map value, value_size=8 off=8 size=4\nR0 min value is outside of the allowed memory range\nprocessed 7 insns (limit 1000000)\n";
        assert_eq!(
            first_error(two).as_deref(),
            Some("invalid access to map value, value_size=8 off=8 size=4")
        );
        assert_eq!(error_block(two).len(), 2);
        let cfg =
            "func#0 @0\njump out of range from insn 1 to 7\nprocessed 0 insns (limit 1000000)\n";
        assert_eq!(error_block(cfg), vec!["jump out of range from insn 1 to 7".to_string()]);
    }

    #[test]
    fn errno_names_round_trip() {
        for n in [1, 2, 7, 13, 14, 22, 28, 95, 524, 999] {
            assert_eq!(Errno::from_name(&Errno(n).name()), Some(Errno(n)), "{n}");
        }
        assert_eq!(Errno(13).name(), "EACCES");
    }

    #[test]
    fn rejected_program_gives_log_errno_and_first_error() {
        if skip() {
            return;
        }
        let r = prog_load(ProgType::SocketFilter, &[insn(0x95, 0, 0, 0, 0)], 2, NO_MAPS);
        assert!(!r.accepted);
        assert_eq!(r.errno, libc::EACCES);
        assert!(r.fd.is_none());
        assert_eq!(r.first_error().as_deref(), Some("R0 !read_ok"));
        assert_eq!(r.processed_insns(), Some(1));
        assert!(r.log.starts_with("func#0 @0\n"), "{}", r.log);
    }

    #[test]
    fn accepted_program_runs() {
        if skip() {
            return;
        }
        // r0 = *(u32 *)(r1 + 0)  (skb->len); exit
        let r = prog_load(
            ProgType::SocketFilter,
            &[insn(0x61, 0, 1, 0, 0), insn(0x95, 0, 0, 0, 0)],
            1,
            NO_MAPS,
        );
        assert!(r.accepted, "{}", r.log);
        assert_eq!(r.errno, 0);
        assert_eq!(r.processed_insns(), Some(2));
        let mut pkt = vec![0u8; 64];
        pkt[12] = 0x88;
        pkt[13] = 0xb5;
        let (ret, out) = prog_test_run(r.fd.as_ref().unwrap(), &pkt, 1).unwrap();
        assert_eq!(ret, 64 - 14, "a socket filter sees the frame after the Ethernet header");
        assert_eq!(out.len(), 64);
        // XDP: r0 = 2 (XDP_PASS); exit
        let x =
            prog_load(ProgType::Xdp, &[insn(0xb7, 0, 0, 0, 2), insn(0x95, 0, 0, 0, 0)], 0, NO_MAPS);
        assert!(x.accepted);
        assert_eq!(prog_test_run(x.fd.as_ref().unwrap(), &pkt, 3).unwrap().0, 2);
    }

    #[test]
    fn log_buffer_grows() {
        if skip() {
            return;
        }
        // 20000 × `r0 = 0` then exit: a level-2 log of over 1 MiB.
        let mut p = vec![insn(0xb7, 0, 0, 0, 0); 20000];
        p.push(insn(0x95, 0, 0, 0, 0));
        let r = prog_load(ProgType::SocketFilter, &p, 2, NO_MAPS);
        assert!(r.accepted, "errno {}", r.errno);
        assert!(r.log.len() > FIRST_LOG, "log is {} bytes", r.log.len());
        assert_eq!(r.processed_insns(), Some(20001));
    }

    #[test]
    fn maps_crud() {
        if skip() {
            return;
        }
        let h = map_create_named(MapKind::Hash, 4, 8, 4, 0, "counts").unwrap();
        assert_eq!(h.lookup(&1u32.to_ne_bytes()).unwrap(), None);
        h.update(&1u32.to_ne_bytes(), &7u64.to_ne_bytes(), BPF_ANY).unwrap();
        h.update(&2u32.to_ne_bytes(), &9u64.to_ne_bytes(), BPF_NOEXIST).unwrap();
        assert_eq!(
            h.update(&2u32.to_ne_bytes(), &9u64.to_ne_bytes(), BPF_NOEXIST),
            Err(Errno(libc::EEXIST))
        );
        assert_eq!(
            h.update(&3u32.to_ne_bytes(), &9u64.to_ne_bytes(), BPF_EXIST),
            Err(Errno(libc::ENOENT))
        );
        assert_eq!(h.lookup(&1u32.to_ne_bytes()).unwrap(), Some(7u64.to_ne_bytes().to_vec()));
        let mut keys = h.keys().unwrap();
        keys.sort();
        assert_eq!(keys, vec![1u32.to_ne_bytes().to_vec(), 2u32.to_ne_bytes().to_vec()]);
        h.delete(&1u32.to_ne_bytes()).unwrap();
        assert_eq!(h.delete(&1u32.to_ne_bytes()), Err(Errno(libc::ENOENT)));
        assert_eq!(h.keys().unwrap().len(), 1);
        // Full hash map: E2BIG.
        for k in 10u32..13 {
            h.update(&k.to_ne_bytes(), &0u64.to_ne_bytes(), BPF_ANY).unwrap();
        }
        assert_eq!(
            h.update(&20u32.to_ne_bytes(), &0u64.to_ne_bytes(), BPF_ANY),
            Err(Errno(libc::E2BIG))
        );

        let a = map_create(MapKind::Array, 4, 4, 2, 0).unwrap();
        assert_eq!(a.lookup(&1u32.to_ne_bytes()).unwrap(), Some(vec![0; 4]));
        assert_eq!(a.lookup(&2u32.to_ne_bytes()).unwrap(), None);
        assert_eq!(a.delete(&0u32.to_ne_bytes()), Err(Errno(libc::EINVAL)));

        let p = map_create(MapKind::PercpuArray, 4, 4, 1, 0).unwrap();
        assert_eq!(p.lookup(&0u32.to_ne_bytes()).unwrap().unwrap().len(), 8 * possible_cpus());

        for kind in MapKind::ALL {
            let (k, v, m, f) = match kind {
                MapKind::Ringbuf | MapKind::UserRingbuf => (0, 0, 4096, 0),
                MapKind::ProgArray => (4, 4, 4, 0),
                MapKind::Queue | MapKind::Stack | MapKind::BloomFilter => (0, 8, 4, 0),
                MapKind::LpmTrie => (8, 8, 4, 1),
                _ => (4, 8, 4, 0),
            };
            map_create(kind, k, v, m, f).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        }
        assert_eq!(map_create(MapKind::Hash, 0, 8, 4, 0).unwrap_err(), Errno(libc::EINVAL));
    }

    #[test]
    fn map_fds_are_patched_in() {
        if skip() {
            return;
        }
        let m = map_create_named(MapKind::Array, 4, 8, 1, 0, "cfg").unwrap();
        // r1 = map[0] ll; r2 = r10; r2 += -4; *(u32 *)(r10 -4) = 0; call map_lookup_elem;
        // if r0 == 0 goto +2; r1 = 5; *(u64 *)(r0 +0) = r1; r0 = 0; exit
        let p = [
            insn(0x62, 10, 0, -4, 0),
            insn(0x18, 1, 1, 0, 0),
            insn(0, 0, 0, 0, 0),
            insn(0xbf, 2, 10, 0, 0),
            insn(0x07, 2, 0, 0, -4),
            insn(0x85, 0, 0, 0, 1),
            insn(0x15, 0, 0, 2, 0),
            insn(0xb7, 1, 0, 0, 5),
            insn(0x7b, 0, 1, 0, 0),
            insn(0xb7, 0, 0, 0, 0),
            insn(0x95, 0, 0, 0, 0),
        ];
        let r = prog_load(ProgType::SocketFilter, &p, 2, &[&m]);
        assert!(r.accepted, "{}", r.log);
        assert!(r.log.contains("map_ptr(map=cfg,ks=4,vs=8)"), "{}", r.log);
        let mut pkt = vec![0u8; 20];
        pkt[12] = 0x88;
        pkt[13] = 0xb5;
        prog_test_run(r.fd.as_ref().unwrap(), &pkt, 1).unwrap();
        assert_eq!(m.lookup(&0u32.to_ne_bytes()).unwrap(), Some(5u64.to_ne_bytes().to_vec()));
        // Without maps the index is out of range.
        let r = prog_load(ProgType::SocketFilter, &p, 1, NO_MAPS);
        assert!(!r.accepted);
        assert_eq!(
            r.first_error().as_deref(),
            Some("fd -1 is not pointing to valid bpf_map"),
            "{}",
            r.log
        );
    }

    #[test]
    fn unprivileged_like_is_stricter() {
        if !require_unpriv("unprivileged-like load unit test") {
            return;
        }
        // r0 = r10; exit — returning a pointer: fine for root, a leak without CAP_PERFMON.
        let p = [insn(0xbf, 0, 10, 0, 0), insn(0x95, 0, 0, 0, 0)];
        let root = prog_load(ProgType::SocketFilter, &p, 1, NO_MAPS);
        assert!(root.accepted, "{}", root.log);
        let strict = prog_load_unpriv(ProgType::SocketFilter, &p, 1, NO_MAPS).unwrap();
        assert!(!strict.accepted);
        assert_eq!(strict.errno, libc::EACCES);
        assert_eq!(
            strict.first_error().as_deref(),
            Some("R0 leaks addr as return value"),
            "{}",
            strict.log
        );
        // The caller's own thread keeps its privileges.
        assert!(prog_load(ProgType::SocketFilter, &p, 1, NO_MAPS).accepted);
    }
}
