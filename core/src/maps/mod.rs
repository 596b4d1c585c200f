//! Maps: kinds, definitions, the kernel's creation rules (kernel/bpf/syscall.c `map_create`,
//! each map type's `map_alloc_check`), and storage with the kernel's semantics.
//!
//! | module | kinds |
//! |---|---|
//! | `array` | `array`, `percpu_array` |
//! | `hash` | `hash`, `percpu_hash` |
//! | `lru` | `lru_hash`, `lru_percpu_hash` (the kernel's LRU lists, evictions included) |
//! | `lpm_trie` | `lpm_trie` (the kernel's trie, node for node) |
//! | `queue_stack` | `queue`, `stack` (push, pop, peek) |
//! | `bloom` | `bloom_filter` (the kernel's bit array and jhash) |
//! | `ringbuf` | `ringbuf` |
//! | `prog_array` | `prog_array` (tail calls), and the slots of `array_of_maps` |
//! | `redirect` | `devmap`, `devmap_hash`, `cpumap` (targets of `bpf_redirect_map`) |
//! | `objects` | `perf_event_array`, `cgroup_array`, `sockmap`, `sockhash`, `xskmap`, `reuseport_sockarray`: fds of objects bpfplay does not simulate, always empty |
//! | `local_storage` | `sk_storage`, `inode_storage`, `task_storage`, `cgrp_storage`, `cgroup_storage`, `percpu_cgroup_storage`: storage of objects bpfplay does not simulate, always empty |
//!
//! An `arena`'s pages are reached through kfuncs; user space sees no elements.
//!
//! `hash_of_maps` keeps its slots in a `hash`. A map of maps holds map numbers (indices in
//! the [`MapStore`]), as a prog_array holds program numbers: the kernel takes an fd on update
//! and gives the map's id on lookup.
//! | `store` | [`MapStore`]: a program's maps by index and name, with the user-space API |
//!
//! Two sides, as in the kernel: the user-space side ([`Map::lookup`], [`Map::update`],
//! [`Map::delete`], [`Map::get_next_key`], the `bpf()` syscall's semantics, per-CPU values as
//! `round_up(value_size, 8)` bytes per CPU) and the program side ([`Map::prog_lookup`],
//! [`Map::prog_update`], [`Map::prog_delete`]: one CPU's value, the LRU reference bit) used
//! by the helpers, and for `queue`, `stack` and `bloom_filter`, which have no keys,
//! [`Map::push`], [`Map::pop`] and [`Map::peek`] (both sides). Every error is a [`MapError`], whose [`MapError::errno`] is what the
//! syscall fails with and whose negation a helper returns to the program.
//!
//! Iteration order: the kernel walks hash buckets, whose order depends on a random hash seed;
//! bpfplay iterates hash-like maps in ascending key byte order, which is one of the orders the
//! kernel may give, and deterministic.

pub(crate) mod array;
pub(crate) mod bloom;
pub(crate) mod hash;
pub(crate) mod local_storage;
pub(crate) mod lpm_trie;
pub(crate) mod lru;
pub(crate) mod objects;
pub(crate) mod prog_array;
pub(crate) mod queue_stack;
pub(crate) mod redirect;
pub(crate) mod ringbuf;
pub(crate) mod stack_trace;
pub(crate) mod store;

pub use store::MapStore;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Map kinds with the kernel's `enum bpf_map_type` numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapKind {
    Hash = 1,
    Array = 2,
    ProgArray = 3,
    PerfEventArray = 4,
    PercpuHash = 5,
    PercpuArray = 6,
    StackTrace = 7,
    CgroupArray = 8,
    LruHash = 9,
    ArrayOfMaps = 12,
    HashOfMaps = 13,
    Devmap = 14,
    Sockmap = 15,
    Cpumap = 16,
    Xskmap = 17,
    Sockhash = 18,
    CgroupStorage = 19,
    ReuseportSockarray = 20,
    PercpuCgroupStorage = 21,
    LruPercpuHash = 10,
    LpmTrie = 11,
    Queue = 22,
    Stack = 23,
    SkStorage = 24,
    DevmapHash = 25,
    Ringbuf = 27,
    InodeStorage = 28,
    TaskStorage = 29,
    /// A ring buffer user space writes and programs drain (`bpf_user_ringbuf_drain`).
    UserRingbuf = 31,
    BloomFilter = 30,
    CgrpStorage = 32,
    Arena = 33,
}

impl MapKind {
    /// Every map kind bpfplay models, in the order messages and pickers list them: the one
    /// list front ends and messages read.
    pub const ALL: [MapKind; 32] = [
        MapKind::Hash,
        MapKind::Array,
        MapKind::PercpuArray,
        MapKind::PercpuHash,
        MapKind::LruHash,
        MapKind::LruPercpuHash,
        MapKind::LpmTrie,
        MapKind::Queue,
        MapKind::Stack,
        MapKind::BloomFilter,
        MapKind::Ringbuf,
        MapKind::UserRingbuf,
        MapKind::ProgArray,
        MapKind::StackTrace,
        MapKind::ArrayOfMaps,
        MapKind::HashOfMaps,
        MapKind::PerfEventArray,
        MapKind::CgroupArray,
        MapKind::Devmap,
        MapKind::DevmapHash,
        MapKind::Cpumap,
        MapKind::Xskmap,
        MapKind::Sockmap,
        MapKind::Sockhash,
        MapKind::ReuseportSockarray,
        MapKind::SkStorage,
        MapKind::InodeStorage,
        MapKind::TaskStorage,
        MapKind::CgrpStorage,
        MapKind::CgroupStorage,
        MapKind::PercpuCgroupStorage,
        MapKind::Arena,
    ];

    /// The kinds with their numbers, for messages: `hash 1, array 2, ...`.
    pub fn numbered() -> alloc::string::String {
        let v: Vec<String> =
            Self::ALL.iter().map(|k| format!("{} {}", k.name(), *k as u32)).collect();
        v.join(", ")
    }

    /// The names `parse` accepts, for messages: `hash, array, percpu_array, ...`.
    pub fn names() -> alloc::string::String {
        let v: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
        v.join(", ")
    }

    pub fn parse(s: &str) -> Option<MapKind> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }
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
            MapKind::ArrayOfMaps => "array_of_maps",
            MapKind::HashOfMaps => "hash_of_maps",
            MapKind::BloomFilter => "bloom_filter",
            MapKind::StackTrace => "stack_trace",
            MapKind::PerfEventArray => "perf_event_array",
            MapKind::CgroupArray => "cgroup_array",
            MapKind::Devmap => "devmap",
            MapKind::DevmapHash => "devmap_hash",
            MapKind::Cpumap => "cpumap",
            MapKind::Xskmap => "xskmap",
            MapKind::Sockmap => "sockmap",
            MapKind::Sockhash => "sockhash",
            MapKind::ReuseportSockarray => "reuseport_sockarray",
            MapKind::SkStorage => "sk_storage",
            MapKind::InodeStorage => "inode_storage",
            MapKind::TaskStorage => "task_storage",
            MapKind::CgrpStorage => "cgrp_storage",
            MapKind::CgroupStorage => "cgroup_storage",
            MapKind::PercpuCgroupStorage => "percpu_cgroup_storage",
            MapKind::Arena => "arena",
        }
    }
    /// The kernel's structure behind a map of this kind (each map type's `map_btf_id`),
    /// which BTF access through a map pointer names.
    pub fn kernel_struct(self) -> &'static str {
        match self {
            MapKind::Hash
            | MapKind::PercpuHash
            | MapKind::LruHash
            | MapKind::LruPercpuHash
            | MapKind::HashOfMaps => "bpf_htab",
            MapKind::Array
            | MapKind::PercpuArray
            | MapKind::ProgArray
            | MapKind::PerfEventArray
            | MapKind::CgroupArray
            | MapKind::ArrayOfMaps => "bpf_array",
            MapKind::Ringbuf | MapKind::UserRingbuf => "bpf_ringbuf_map",
            MapKind::StackTrace => "bpf_stack_map",
            MapKind::LpmTrie => "lpm_trie",
            MapKind::Queue | MapKind::Stack => "bpf_queue_stack",
            MapKind::BloomFilter => "bpf_bloom_filter",
            MapKind::Devmap | MapKind::DevmapHash => "bpf_dtab",
            MapKind::Cpumap => "bpf_cpu_map",
            MapKind::Xskmap => "xsk_map",
            MapKind::Sockmap => "bpf_stab",
            MapKind::Sockhash => "bpf_shtab",
            MapKind::ReuseportSockarray => "reuseport_array",
            MapKind::SkStorage
            | MapKind::InodeStorage
            | MapKind::TaskStorage
            | MapKind::CgrpStorage => "bpf_local_storage_map",
            MapKind::CgroupStorage | MapKind::PercpuCgroupStorage => "bpf_cgroup_storage_map",
            MapKind::Arena => "bpf_arena",
        }
    }
    /// Storage attached to a socket, inode, task or cgroup (`bpf_local_storage`), keyed
    /// from user space by the object's fd.
    pub fn is_local_storage(self) -> bool {
        matches!(
            self,
            MapKind::SkStorage
                | MapKind::InodeStorage
                | MapKind::TaskStorage
                | MapKind::CgrpStorage
        )
    }
    /// Values that are kernel objects bpfplay does not simulate (perf events, cgroups,
    /// sockets): such maps stay empty ([`objects`]).
    pub fn holds_objects(self) -> bool {
        matches!(
            self,
            MapKind::PerfEventArray
                | MapKind::CgroupArray
                | MapKind::Sockmap
                | MapKind::Sockhash
                | MapKind::Xskmap
                | MapKind::ReuseportSockarray
        )
    }
    /// What a map of this kind holds, for people, where the kind's name does not say it.
    pub fn note(self) -> Option<&'static str> {
        Some(match self {
            MapKind::PerfEventArray => "perf event fds, one per CPU: bpfplay simulates no perf events, so it stays empty and bpf_perf_event_output finds no buffer",
            MapKind::CgroupArray => "cgroup fds: bpfplay simulates no cgroups, so it stays empty",
            MapKind::Sockmap | MapKind::Sockhash | MapKind::ReuseportSockarray => "socket fds: bpfplay simulates no sockets, so it stays empty and lookups find nothing",
            MapKind::Xskmap => "AF_XDP socket fds: bpfplay simulates no sockets, so it stays empty and redirects to it fail",
            MapKind::Devmap | MapKind::DevmapHash => "network devices by ifindex (value: ifindex, then an optional program fd); the simulated machine has one device, lo with ifindex 1",
            MapKind::Cpumap => "CPUs by number (value: queue size, then an optional program fd); a queue size of 0 removes the CPU",
            MapKind::SkStorage | MapKind::InodeStorage | MapKind::TaskStorage | MapKind::CgrpStorage => "a value per socket, inode, task or cgroup, keyed by its fd: bpfplay simulates none, so it stays empty",
            MapKind::CgroupStorage | MapKind::PercpuCgroupStorage => "a value per cgroup the program is attached to: bpfplay attaches no programs to cgroups, so it stays empty",
            MapKind::Arena => "pages shared by programs and user space (max is the number of pages); used through kfuncs",
            _ => return None,
        })
    }
    pub fn is_array(self) -> bool {
        matches!(
            self,
            MapKind::Array | MapKind::PercpuArray | MapKind::ProgArray | MapKind::ArrayOfMaps
        )
    }
    /// A map of maps: its values are maps, made like [`MapDef::inner`].
    pub fn is_map_in_map(self) -> bool {
        matches!(self, MapKind::ArrayOfMaps | MapKind::HashOfMaps)
    }
    pub fn is_percpu(self) -> bool {
        matches!(self, MapKind::PercpuArray | MapKind::PercpuHash | MapKind::LruPercpuHash)
    }
    pub fn is_lru(self) -> bool {
        matches!(self, MapKind::LruHash | MapKind::LruPercpuHash)
    }
    /// Maps without keys (key_size 0), used through push, pop and peek.
    pub fn is_keyless(self) -> bool {
        matches!(self, MapKind::Queue | MapKind::Stack | MapKind::BloomFilter)
    }
}

/// Update flags (`BPF_ANY`, `BPF_NOEXIST`, `BPF_EXIST`, `BPF_F_LOCK`).
pub const BPF_ANY: u64 = 0;
pub const BPF_NOEXIST: u64 = 1;
pub const BPF_EXIST: u64 = 2;
pub const BPF_F_LOCK: u64 = 4;

/// Map creation flags (`map_flags`, include/uapi/linux/bpf.h).
pub mod flags {
    pub const NO_PREALLOC: u32 = 1 << 0;
    pub const NO_COMMON_LRU: u32 = 1 << 1;
    pub const NUMA_NODE: u32 = 1 << 2;
    pub const RDONLY: u32 = 1 << 3;
    pub const WRONLY: u32 = 1 << 4;
    pub const STACK_BUILD_ID: u32 = 1 << 5;
    pub const ZERO_SEED: u32 = 1 << 6;
    pub const RDONLY_PROG: u32 = 1 << 7;
    pub const WRONLY_PROG: u32 = 1 << 8;
    pub const CLONE: u32 = 1 << 9;
    pub const MMAPABLE: u32 = 1 << 10;
    pub const PRESERVE_ELEMS: u32 = 1 << 11;
    pub const INNER_MAP: u32 = 1 << 12;
    pub const SEGV_ON_FAULT: u32 = 1 << 17;
    pub const NO_USER_CONV: u32 = 1 << 18;
    pub const ACCESS_MASK: u32 = RDONLY | RDONLY_PROG | WRONLY | WRONLY_PROG;
    pub const HTAB_CREATE_MASK: u32 =
        NO_PREALLOC | NO_COMMON_LRU | NUMA_NODE | ACCESS_MASK | ZERO_SEED;
    pub const ARRAY_CREATE_MASK: u32 =
        NUMA_NODE | MMAPABLE | ACCESS_MASK | PRESERVE_ELEMS | INNER_MAP;
    pub const RINGBUF_CREATE_MASK: u32 = NUMA_NODE;
    /// kernel/bpf/lpm_trie.c `LPM_CREATE_FLAG_MASK`.
    pub const LPM_CREATE_MASK: u32 = NO_PREALLOC | NUMA_NODE | ACCESS_MASK;
    /// kernel/bpf/queue_stack_maps.c `QUEUE_STACK_CREATE_FLAG_MASK`.
    pub const QUEUE_STACK_CREATE_MASK: u32 = NUMA_NODE | ACCESS_MASK;
    /// kernel/bpf/bloom_filter.c `BLOOM_CREATE_FLAG_MASK`.
    pub const BLOOM_CREATE_MASK: u32 = NUMA_NODE | ZERO_SEED | ACCESS_MASK;
    /// net/core/sock_map.c `SOCK_CREATE_FLAG_MASK`, kernel/bpf/devmap.c
    /// `DEV_CREATE_FLAG_MASK`, and xskmap's.
    pub const SOCK_CREATE_MASK: u32 = NUMA_NODE | RDONLY | WRONLY;
    /// kernel/bpf/bpf_local_storage.c `BPF_LOCAL_STORAGE_CREATE_FLAG_MASK`.
    pub const LOCAL_STORAGE_CREATE_MASK: u32 = NO_PREALLOC | CLONE;
    /// kernel/bpf/local_storage.c `LOCAL_STORAGE_CREATE_FLAG_MASK` (cgroup storage).
    pub const CGROUP_STORAGE_CREATE_MASK: u32 = NUMA_NODE | ACCESS_MASK;
}

/// An error of a map operation, named by the errno the kernel uses for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapError {
    /// EPERM 1: the map is read-only or write-only for user space.
    Perm,
    /// ENOENT 2: no such key (or no next key).
    NoEnt,
    /// E2BIG 7: the map is full, or an array index is out of range on update.
    TooBig,
    /// EBADF 9: a prog_array value that names no program; an fd that names nothing.
    BadF,
    /// EAGAIN 11: no room in a ring buffer.
    Again,
    /// ENOMEM 12: allocation failure (an LRU map with nothing to evict; bpfplay's size cap).
    NoMem,
    /// EFAULT 14.
    Fault,
    /// EEXIST 17: the key exists and `BPF_NOEXIST` was given (always, for arrays).
    Exist,
    /// ENODEV 19: a cpumap entry for a CPU the machine does not have.
    NoDev,
    /// EINVAL 22: bad flags, bad sizes, deleting from an array.
    Inval,
    /// ENOSPC 28: an `lpm_trie` is full; a socket map read with values too small for a
    /// socket cookie.
    NoSpc,
    /// ERANGE 34: an arena's user address range crosses a 4 GiB boundary.
    Range,
    /// EOVERFLOW 75: a cpumap queue larger than 16384.
    Overflow,
    /// EOPNOTSUPP 95: what a `bloom_filter` cannot do (pop, delete, get_next_key).
    OpNotSupp,
    /// ENOTSUPP 524: the operation does not exist for this map kind.
    NotSupp,
}

impl MapError {
    /// The positive errno (the syscall's); a helper returns its negation.
    pub fn errno(self) -> i32 {
        match self {
            MapError::Perm => 1,
            MapError::NoEnt => 2,
            MapError::TooBig => 7,
            MapError::BadF => 9,
            MapError::Again => 11,
            MapError::NoMem => 12,
            MapError::Fault => 14,
            MapError::Exist => 17,
            MapError::NoDev => 19,
            MapError::Inval => 22,
            MapError::NoSpc => 28,
            MapError::Range => 34,
            MapError::Overflow => 75,
            MapError::OpNotSupp => 95,
            MapError::NotSupp => 524,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            MapError::Perm => "EPERM",
            MapError::NoEnt => "ENOENT",
            MapError::TooBig => "E2BIG",
            MapError::BadF => "EBADF",
            MapError::Again => "EAGAIN",
            MapError::NoMem => "ENOMEM",
            MapError::Fault => "EFAULT",
            MapError::Exist => "EEXIST",
            MapError::NoDev => "ENODEV",
            MapError::Inval => "EINVAL",
            MapError::NoSpc => "ENOSPC",
            MapError::Range => "ERANGE",
            MapError::Overflow => "EOVERFLOW",
            MapError::OpNotSupp => "EOPNOTSUPP",
            MapError::NotSupp => "ENOTSUPP",
        }
    }
    /// What a helper returns: `-errno` as a 64-bit register value.
    pub fn helper_ret(self) -> u64 {
        (-(self.errno() as i64)) as u64
    }
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.errno())
    }
}

/// A map as declared: `map NAME: KIND key=N value=N max=N [flags=N] [extra=N]` or the CLI's
/// `NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:EXTRA]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapDef {
    pub name: String,
    pub kind: MapKind,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
    /// A map of maps: the inner map it was created with (libbpf's `inner_map_fd`, from the
    /// `values` type of a BTF map definition). The kernel keeps a copy of its type, sizes and
    /// flags (`bpf_map_meta_alloc`, kernel/bpf/map_in_map.c): the verifier types a looked-up
    /// inner map by it, and every map stored in the outer one must match it.
    pub inner: Option<alloc::boxed::Box<MapDef>>,
    /// `map_extra` of `BPF_MAP_CREATE`: a `bloom_filter`'s number of hash functions (low 4
    /// bits; 0 means 5); must be 0 for the other kinds bpfplay models.
    pub map_extra: u64,
    /// The special fields the value's BTF type has (objects' maps; `spin_lock=`/`timer=`/
    /// `wq=` in a map declaration).
    pub record: BtfRecord,
}

/// Where a map value holds the kernel's special objects, by byte offset: the kernel's
/// `btf_record` (`btf_parse_fields`, kernel/bpf/btf.c), for the fields bpfplay knows. They
/// decide which program types may use the map (`check_map_prog_compatibility`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BtfRecord {
    /// `struct bpf_spin_lock` (4 bytes).
    pub spin_lock: Option<u32>,
    /// `struct bpf_timer` (16 bytes).
    pub timer: Option<u32>,
    /// `struct bpf_wq` (16 bytes).
    pub wq: Option<u32>,
}

impl BtfRecord {
    /// The fields with their names (`struct` tags) and sizes, in declaration order.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, u32, u32)> {
        [("spin_lock", self.spin_lock, 4), ("timer", self.timer, 16), ("wq", self.wq, 16)]
            .into_iter()
            .filter_map(|(n, o, sz)| o.map(|o| (n, o, sz)))
    }
}

/// Why a map cannot be created: the errno the kernel's BPF_MAP_CREATE returns and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapDefError {
    pub error: MapError,
    pub message: String,
}

impl MapDefError {
    fn new(error: MapError, message: impl Into<String>) -> MapDefError {
        MapDefError { error, message: message.into() }
    }
}

impl fmt::Display for MapDefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.error.name())
    }
}

/// `KMALLOC_MAX_SIZE` on x86-64 (4 MiB) and `sizeof(struct htab_elem)`.
const KMALLOC_MAX_SIZE: u64 = 4 << 20;
const HTAB_ELEM_SIZE: u64 = 48;
/// `PCPU_MIN_UNIT_SIZE`: the largest per-CPU value.
const PCPU_MIN_UNIT_SIZE: u64 = 32 << 10;
/// lpm_trie.c: keys of `struct bpf_lpm_trie_key_u8` (4-byte prefixlen) and 1 to 256 data
/// bytes; values up to `KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - sizeof(struct
/// lpm_trie_node)` (24 bytes in 6.18: two child pointers, prefixlen and flags).
const LPM_KEY_SIZE_MIN: u32 = 4 + 1;
const LPM_KEY_SIZE_MAX: u32 = 4 + 256;
const LPM_VAL_SIZE_MAX: u64 = KMALLOC_MAX_SIZE - 256 - 24;
/// `NR_CPUS` of the kernel's configuration: 256 on these machines' 6.18 (measured: a
/// cpumap of 257 entries is E2BIG).
const NR_CPUS: u32 = 256;
/// `BPF_LOCAL_STORAGE_MAX_VALUE_SIZE`: `U16_MAX` less the 128-byte
/// `struct bpf_local_storage_elem` of x86-64.
const LOCAL_STORAGE_MAX_VALUE: u32 = 65535 - 128;
/// bpfplay's own cap on the memory a map allocates up front (arrays, ring buffers, LRU hashes): larger
/// maps fail with ENOMEM, as they may in the kernel.
pub const MAX_MAP_BYTES: u64 = 64 << 20;

fn parse_num64(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn parse_num(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

impl MapDef {
    pub fn new(
        name: &str,
        kind: MapKind,
        key_size: u32,
        value_size: u32,
        max_entries: u32,
    ) -> MapDef {
        MapDef {
            name: name.into(),
            kind,
            key_size,
            value_size,
            max_entries,
            flags: 0,
            map_extra: 0,
            inner: None,
            record: BtfRecord::default(),
        }
    }

    /// The flags the kernel's map has: the declared ones, and for device maps
    /// `BPF_F_RDONLY_PROG`, which `dev_map_init_map` adds (a lookup points at the kernel's
    /// own copy of the value).
    pub fn prog_flags(&self) -> u32 {
        match self.kind {
            MapKind::Devmap | MapKind::DevmapHash => self.flags | flags::RDONLY_PROG,
            _ => self.flags,
        }
    }

    /// `bpf_map_meta_equal` (kernel/bpf/map_in_map.c), with `array_map_meta_equal`'s
    /// `max_entries` rule for arrays: may `map` be stored in a map of maps whose inner map is
    /// `self`?
    pub fn meta_equal(&self, map: &MapDef) -> bool {
        let same = self.kind == map.kind
            && self.key_size == map.key_size
            && self.value_size == map.value_size
            && self.flags == map.flags;
        let entries_ok = !matches!(self.kind, MapKind::Array | MapKind::PercpuArray)
            || self.flags & flags::INNER_MAP != 0
            || self.max_entries == map.max_entries;
        same && entries_ok
    }

    /// Parses the source header's `KIND key=N value=N max=N [flags=N] [init=HEX]` part (and
    /// checks it); `init` is ignored here (see [`MapDef::parse_spec_init`]).
    pub fn parse_spec(name: &str, spec: &str) -> Result<MapDef, MapDefError> {
        MapDef::parse_spec_init(name, spec).map(|(d, _)| d)
    }

    /// [`MapDef::parse_spec`] with `init=HEX`: the initial value of element 0 of an array
    /// (global data of a C object: `.data`, `.rodata`), at most `value` bytes, zero-padded.
    pub fn parse_spec_init(
        name: &str,
        spec: &str,
    ) -> Result<(MapDef, Option<Vec<u8>>), MapDefError> {
        MapDef::parse_spec_full(name, spec, &|n| {
            Err(MapDefError::new(MapError::BadF, format!("no map `{n}` to be the inner map")))
        })
    }

    /// [`MapDef::parse_spec_init`] with `inner=NAME` for a map of maps: `inner` gives the
    /// definition of the map named (the template the kernel takes as `inner_map_fd`).
    pub fn parse_spec_full(
        name: &str,
        spec: &str,
        inner: &dyn Fn(&str) -> Result<MapDef, MapDefError>,
    ) -> Result<(MapDef, Option<Vec<u8>>), MapDefError> {
        let inval = |m: String| MapDefError::new(MapError::Inval, m);
        let mut it = spec.split_whitespace();
        let kind_s = it.next().ok_or_else(|| inval("expected a map kind".into()))?;
        let kind = MapKind::parse(kind_s)
            .ok_or_else(|| inval(format!("unknown map kind `{kind_s}` ({})", MapKind::names())))?;
        let (mut k, mut v, mut m, mut fl, mut extra) = (None, None, None, 0, 0u64);
        let mut init: Option<Vec<u8>> = None;
        let mut inner_def: Option<MapDef> = None;
        let mut record = BtfRecord::default();
        for kv in it {
            let (key, val) = kv.split_once('=').ok_or_else(|| {
                inval(format!("expected key=N, value=N, max=N, flags=N or extra=N, found `{kv}`"))
            })?;
            if key == "inner" {
                if !kind.is_map_in_map() {
                    return Err(inval(format!("inner= is for maps of maps, not {}", kind.name())));
                }
                if val == name {
                    return Err(inval(String::from("a map of maps cannot hold itself")));
                }
                inner_def = Some(inner(val)?);
                continue;
            }
            if key == "init" {
                let h = val.as_bytes();
                if h.len() % 2 != 0 || !h.iter().all(u8::is_ascii_hexdigit) {
                    return Err(inval(format!("init=`{val}` is not hex bytes")));
                }
                let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                init = Some(h.chunks(2).map(|p| digit(p[0]) << 4 | digit(p[1])).collect());
                continue;
            }
            if key == "extra" || key == "map_extra" {
                extra =
                    parse_num64(val).ok_or_else(|| inval(format!("`{val}` is not a number")))?;
                continue;
            }
            let n = parse_num(val).ok_or_else(|| inval(format!("`{val}` is not a number")))?;
            match key {
                "spin_lock" => record.spin_lock = Some(n),
                "timer" => record.timer = Some(n),
                "wq" => record.wq = Some(n),
                "key" => k = Some(n),
                "value" => v = Some(n),
                "max" | "max_entries" => m = Some(n),
                "flags" => fl = n,
                _ => return Err(inval(format!("unknown map attribute `{key}`"))),
            }
        }
        let def = MapDef {
            name: name.into(),
            kind,
            key_size: k.unwrap_or(match kind {
                MapKind::Ringbuf
                | MapKind::UserRingbuf
                | MapKind::Arena
                | MapKind::Queue
                | MapKind::Stack
                | MapKind::BloomFilter => 0,
                // prefixlen and an IPv4 address
                MapKind::LpmTrie => 8,
                // struct bpf_cgroup_storage_key: the cgroup's inode id and attach type
                MapKind::CgroupStorage | MapKind::PercpuCgroupStorage => 16,
                _ => 4,
            }),
            value_size: v.unwrap_or(match kind {
                MapKind::Ringbuf | MapKind::UserRingbuf | MapKind::Arena => 0,
                MapKind::ProgArray
                | MapKind::ArrayOfMaps
                | MapKind::HashOfMaps
                | MapKind::PerfEventArray
                | MapKind::CgroupArray
                | MapKind::Xskmap
                | MapKind::Devmap
                | MapKind::DevmapHash
                | MapKind::Cpumap => 4,
                _ => 8,
            }),
            // Storage maps have no size of their own: max=0 is theirs.
            max_entries: match m {
                Some(m) => m,
                None if kind.is_local_storage()
                    || matches!(kind, MapKind::CgroupStorage | MapKind::PercpuCgroupStorage) =>
                {
                    0
                }
                None => return Err(inval("missing max=N".into())),
            },
            // Object stores must say BPF_F_NO_PREALLOC; a declaration need not.
            flags: if kind.is_local_storage() { fl | flags::NO_PREALLOC } else { fl },
            inner: inner_def.map(alloc::boxed::Box::new),
            map_extra: extra,
            record,
        };
        for (f, off, size) in record.fields() {
            if off.checked_add(size).is_none_or(|end| end > def.value_size) {
                return Err(inval(format!(
                    "{f}={off}: a {size}-byte field must lie within the value ({} bytes)",
                    def.value_size
                )));
            }
        }
        def.check()?;
        if let Some(d) = &mut init {
            if def.kind != MapKind::Array || d.len() > def.value_size as usize {
                return Err(inval(format!(
                    "init= is for array maps, at most value={} bytes",
                    def.value_size
                )));
            }
            d.resize(def.value_size as usize, 0);
        }
        Ok((def, init))
    }

    /// Parses the CLI's `NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:EXTRA]]` (and
    /// checks it).
    pub fn parse_cli(spec: &str) -> Result<MapDef, MapDefError> {
        let inval = |m: String| MapDefError::new(MapError::Inval, m);
        let parts: Vec<&str> = spec.split(':').collect();
        let (name, kind, k, v, m, fl, ex) = match parts[..] {
            [a, b, c, d, e] => (a, b, c, d, e, "0", "0"),
            [a, b, c, d, e, f] => (a, b, c, d, e, f, "0"),
            [a, b, c, d, e, f, g] => (a, b, c, d, e, f, g),
            _ => {
                return Err(inval(format!(
                    "expected NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:EXTRA]], found `{spec}`"
                )))
            }
        };
        if name.is_empty() {
            return Err(inval("empty map name".into()));
        }
        let kind = MapKind::parse(kind)
            .ok_or_else(|| inval(format!("unknown map kind `{kind}` ({})", MapKind::names())))?;
        let num = |s: &str| parse_num(s).ok_or_else(|| inval(format!("`{s}` is not a number")));
        let def = MapDef {
            name: name.into(),
            kind,
            key_size: num(k)?,
            value_size: num(v)?,
            max_entries: num(m)?,
            flags: num(fl)?,
            map_extra: parse_num64(ex).ok_or_else(|| inval(format!("`{ex}` is not a number")))?,
            inner: None,
            record: BtfRecord::default(),
        };
        def.check()?;
        Ok(def)
    }

    /// The kernel's creation checks, in its order where the order shows (6.18: `map_create`,
    /// `htab_map_alloc_check`/`htab_map_alloc`, `array_map_alloc_check`,
    /// `fd_array_map_alloc_check`, `ringbuf_map_alloc`, lpm_trie.c `trie_alloc`,
    /// queue_stack_maps.c `queue_stack_map_alloc_check`/`queue_stack_map_alloc`,
    /// bloom_filter.c `bloom_map_alloc_check`/`bloom_map_alloc`).
    pub fn check(&self) -> Result<(), MapDefError> {
        use flags::*;
        let e = |err: MapError, s: &str| Err(MapDefError::new(err, s));
        let f = self.flags;
        // map_create: map_extra is for bloom filters and arenas only.
        if self.map_extra != 0 && !matches!(self.kind, MapKind::BloomFilter | MapKind::Arena) {
            return e(MapError::Inval, "extra= (map_extra) is for bloom_filter and arena maps");
        }
        // map_create: read-only and write-only at once; both program-side access flags.
        if f & (RDONLY | WRONLY) == (RDONLY | WRONLY) {
            return e(MapError::Inval, "BPF_F_RDONLY and BPF_F_WRONLY together");
        }
        let access_ok = f & (RDONLY_PROG | WRONLY_PROG) != (RDONLY_PROG | WRONLY_PROG);
        // fd_array_map_alloc_check / fd_htab_map_alloc_check: the values are maps (fds).
        if self.kind.is_map_in_map() {
            if self.value_size != 4 {
                return e(MapError::Inval, "maps of maps have value=4 (a map)");
            }
            if self.kind == MapKind::ArrayOfMaps && f & (RDONLY_PROG | WRONLY_PROG) != 0 {
                return e(MapError::Inval, "array_of_maps maps take no program access flags");
            }
        }
        match self.kind {
            // ringbuf_map_alloc makes both kinds.
            MapKind::Ringbuf | MapKind::UserRingbuf => {
                if f & !RINGBUF_CREATE_MASK != 0 {
                    return e(MapError::Inval, "flags not supported by ringbuf maps");
                }
                if self.key_size != 0 || self.value_size != 0 {
                    return e(MapError::Inval, "ringbuf maps have key=0 value=0");
                }
                if !self.max_entries.is_power_of_two() || !self.max_entries.is_multiple_of(4096) {
                    return e(
                        MapError::Inval,
                        "ringbuf max must be a power of 2 and a multiple of the page size, 4096",
                    );
                }
                if self.max_entries as u64 > MAX_MAP_BYTES {
                    return e(MapError::NoMem, "ring buffer larger than bpfplay's 64 MiB cap");
                }
            }
            MapKind::Array | MapKind::PercpuArray | MapKind::ProgArray | MapKind::ArrayOfMaps => {
                if self.kind == MapKind::ProgArray {
                    if self.value_size != 4 {
                        return e(MapError::Inval, "prog_array maps have value=4");
                    }
                    if f & (RDONLY_PROG | WRONLY_PROG) != 0 {
                        return e(MapError::Inval, "prog_array maps take no program access flags");
                    }
                }
                if self.max_entries == 0
                    || self.key_size != 4
                    || self.value_size == 0
                    || f & !ARRAY_CREATE_MASK != 0
                    || !access_ok
                {
                    return e(
                        MapError::Inval,
                        "array maps need key=4, value>0, max>0 and array flags",
                    );
                }
                if self.kind != MapKind::Array && f & (MMAPABLE | INNER_MAP) != 0 {
                    return e(
                        MapError::Inval,
                        "BPF_F_MMAPABLE and BPF_F_INNER_MAP are for plain arrays",
                    );
                }
                if f & PRESERVE_ELEMS != 0 {
                    return e(MapError::Inval, "BPF_F_PRESERVE_ELEMS is for perf event arrays");
                }
                if self.value_size > i32::MAX as u32 {
                    return e(MapError::TooBig, "value size too large");
                }
                if self.kind == MapKind::PercpuArray
                    && round8(self.value_size as u64) > PCPU_MIN_UNIT_SIZE
                {
                    return e(MapError::TooBig, "per-CPU value larger than 32 KiB");
                }
                if self.max_entries as u64 * round8(self.value_size as u64) > MAX_MAP_BYTES {
                    return e(MapError::NoMem, "array larger than bpfplay's 64 MiB cap");
                }
            }
            MapKind::LpmTrie => {
                // trie_alloc: one EINVAL for every bad attribute.
                if self.max_entries == 0 {
                    return e(MapError::Inval, "max must be positive");
                }
                if f & NO_PREALLOC == 0 {
                    return e(MapError::Inval, "lpm_trie maps need flags=1 (BPF_F_NO_PREALLOC)");
                }
                if f & !LPM_CREATE_MASK != 0 || !access_ok {
                    return e(MapError::Inval, "flags not supported by lpm_trie maps");
                }
                if !(LPM_KEY_SIZE_MIN..=LPM_KEY_SIZE_MAX).contains(&self.key_size) {
                    return e(
                        MapError::Inval,
                        "lpm_trie keys are a 4-byte prefixlen and 1 to 256 data bytes (key=5..260)",
                    );
                }
                if self.value_size == 0 || self.value_size as u64 > LPM_VAL_SIZE_MAX {
                    return e(MapError::Inval, "lpm_trie value size out of range");
                }
            }
            MapKind::Queue | MapKind::Stack => {
                if self.max_entries == 0
                    || self.key_size != 0
                    || self.value_size == 0
                    || f & !QUEUE_STACK_CREATE_MASK != 0
                    || !access_ok
                {
                    return e(
                        MapError::Inval,
                        "queue and stack maps need key=0, value>0, max>0 and no flags but access flags",
                    );
                }
                if self.value_size as u64 > KMALLOC_MAX_SIZE {
                    return e(MapError::TooBig, "value larger than 4 MiB");
                }
                if (self.max_entries as u64 + 1) * self.value_size as u64 > MAX_MAP_BYTES {
                    return e(MapError::NoMem, "queue or stack larger than bpfplay's 64 MiB cap");
                }
            }
            MapKind::StackTrace => {
                // stack_map_alloc.
                use stack_trace::{BUILD_ID_SIZE, CREATE_MASK, PERF_MAX_STACK};
                if f & !CREATE_MASK != 0 {
                    return e(MapError::Inval, "flags not supported by stack_trace maps");
                }
                if self.max_entries == 0
                    || self.key_size != 4
                    || self.value_size < 8
                    || !self.value_size.is_multiple_of(8)
                {
                    return e(
                        MapError::Inval,
                        "stack_trace maps need key=4, a value of 8-byte addresses and max>0",
                    );
                }
                let (each, what) = if f & STACK_BUILD_ID != 0 {
                    (BUILD_ID_SIZE, "build ids")
                } else {
                    (8, "addresses")
                };
                if !self.value_size.is_multiple_of(each) || self.value_size / each > PERF_MAX_STACK
                {
                    return e(
                        MapError::Inval,
                        if what == "addresses" {
                            "a stack_trace value holds at most 127 addresses"
                        } else {
                            "a build-id stack_trace value holds at most 127 32-byte build ids"
                        },
                    );
                }
                if self.max_entries > 1 << 31 {
                    return e(MapError::TooBig, "more than 2^31 entries");
                }
                if self.max_entries as u64 * (self.value_size as u64 + 16) > MAX_MAP_BYTES {
                    return e(MapError::NoMem, "stack_trace larger than bpfplay's 64 MiB cap");
                }
            }
            MapKind::BloomFilter => {
                if self.value_size as u64 > KMALLOC_MAX_SIZE {
                    return e(MapError::TooBig, "value larger than 4 MiB");
                }
                if self.key_size != 0
                    || self.value_size == 0
                    || self.max_entries == 0
                    || f & !BLOOM_CREATE_MASK != 0
                    || !access_ok
                    || self.map_extra & !0xf != 0
                {
                    return e(
                        MapError::Inval,
                        "bloom_filter maps need key=0, value>0, max>0, bloom flags and extra=0..15 (hash functions)",
                    );
                }
                if bloom::nr_bits(self.max_entries, self.map_extra) / 8 > MAX_MAP_BYTES {
                    return e(
                        MapError::NoMem,
                        "bloom filter bit array larger than bpfplay's 64 MiB cap",
                    );
                }
            }
            MapKind::PerfEventArray | MapKind::CgroupArray | MapKind::ReuseportSockarray => {
                // fd_array_map_alloc_check, reuseport_array_alloc_check; then
                // array_map_alloc_check.
                if self.kind == MapKind::ReuseportSockarray {
                    if !matches!(self.value_size, 4 | 8) {
                        return e(MapError::Inval, "reuseport_sockarray values are 4 or 8 bytes");
                    }
                } else if self.value_size != 4 || f & (RDONLY_PROG | WRONLY_PROG) != 0 {
                    return e(
                        MapError::Inval,
                        "fd arrays have value=4 (an fd) and no program access flags",
                    );
                }
                if self.max_entries == 0
                    || self.key_size != 4
                    || f & !ARRAY_CREATE_MASK != 0
                    || !access_ok
                    || f & (MMAPABLE | INNER_MAP) != 0
                    || (f & PRESERVE_ELEMS != 0 && self.kind != MapKind::PerfEventArray)
                {
                    return e(MapError::Inval, "array maps need key=4, max>0 and array flags");
                }
            }
            MapKind::Sockmap | MapKind::Sockhash => {
                // sock_map_alloc, sock_hash_alloc
                let keys_ok = if self.kind == MapKind::Sockmap {
                    self.key_size == 4 && self.max_entries <= i32::MAX as u32
                } else {
                    self.key_size != 0
                };
                if self.max_entries == 0
                    || !keys_ok
                    || !matches!(self.value_size, 4 | 8)
                    || f & !SOCK_CREATE_MASK != 0
                {
                    return e(
                        MapError::Inval,
                        "socket maps need a key (4 bytes for sockmap), value=4 or 8 (a socket fd), max>0 and no flags but BPF_F_NUMA_NODE, BPF_F_RDONLY, BPF_F_WRONLY",
                    );
                }
                if self.kind == MapKind::Sockhash && self.key_size > 512 {
                    return e(MapError::TooBig, "sockhash keys are at most 512 bytes");
                }
            }
            MapKind::Xskmap => {
                if self.max_entries == 0
                    || self.key_size != 4
                    || self.value_size != 4
                    || f & !SOCK_CREATE_MASK != 0
                {
                    return e(
                        MapError::Inval,
                        "xskmap maps need key=4, value=4 (an AF_XDP socket fd), max>0 and no flags but BPF_F_NUMA_NODE, BPF_F_RDONLY, BPF_F_WRONLY",
                    );
                }
            }
            MapKind::Devmap | MapKind::DevmapHash => {
                // dev_map_alloc_check: value struct bpf_devmap_val up to its ifindex or
                // its program fd.
                if self.max_entries == 0
                    || self.key_size != 4
                    || !matches!(self.value_size, 4 | 8)
                    || f & !SOCK_CREATE_MASK != 0
                    || (self.kind == MapKind::DevmapHash && self.max_entries > 1 << 31)
                {
                    return e(
                        MapError::Inval,
                        "device maps need key=4, value=4 or 8 (ifindex, program fd), max>0 and no flags but BPF_F_NUMA_NODE, BPF_F_RDONLY, BPF_F_WRONLY",
                    );
                }
            }
            MapKind::Cpumap => {
                // cpu_map_alloc: value struct bpf_cpumap_val up to its qsize or program fd.
                if self.max_entries == 0
                    || self.key_size != 4
                    || !matches!(self.value_size, 4 | 8)
                    || f & !NUMA_NODE != 0
                {
                    return e(
                        MapError::Inval,
                        "cpumap maps need key=4, value=4 or 8 (queue size, program fd), max>0 and no flags but BPF_F_NUMA_NODE",
                    );
                }
                if self.max_entries > NR_CPUS {
                    return e(MapError::TooBig, "more entries than the kernel's NR_CPUS, 256");
                }
            }
            MapKind::SkStorage
            | MapKind::InodeStorage
            | MapKind::TaskStorage
            | MapKind::CgrpStorage => {
                // bpf_local_storage_map_alloc_check (the BTF the kernel demands for the key
                // and value, an int and the value's type, is what a loader gives).
                if f & !LOCAL_STORAGE_CREATE_MASK != 0
                    || f & NO_PREALLOC == 0
                    || self.max_entries != 0
                    || self.key_size != 4
                    || self.value_size == 0
                {
                    return e(
                        MapError::Inval,
                        "object storage maps need key=4 (an fd), value>0, max=0 and flags=1 (BPF_F_NO_PREALLOC)",
                    );
                }
                if self.value_size > LOCAL_STORAGE_MAX_VALUE {
                    return e(MapError::TooBig, "object storage values are at most 65407 bytes");
                }
            }
            MapKind::CgroupStorage | MapKind::PercpuCgroupStorage => {
                // cgroup_storage_map_alloc
                let max = if self.kind == MapKind::PercpuCgroupStorage {
                    PCPU_MIN_UNIT_SIZE as u32
                } else {
                    LOCAL_STORAGE_MAX_VALUE
                };
                if !matches!(self.key_size, 8 | 16) || self.value_size == 0 {
                    return e(
                        MapError::Inval,
                        "cgroup storage keys are 16 bytes (struct bpf_cgroup_storage_key) or 8 (the cgroup id), and values more than 0",
                    );
                }
                if self.value_size > max {
                    return e(MapError::TooBig, "cgroup storage value too large");
                }
                if f & !CGROUP_STORAGE_CREATE_MASK != 0 || !access_ok || self.max_entries != 0 {
                    return e(
                        MapError::Inval,
                        "cgroup storage maps need max=0 and no flags but BPF_F_NUMA_NODE and access flags",
                    );
                }
            }
            MapKind::Arena => {
                // arena_map_alloc
                if self.key_size != 0
                    || self.value_size != 0
                    || self.max_entries == 0
                    || f & MMAPABLE == 0
                    || f & !(SEGV_ON_FAULT | MMAPABLE | NO_USER_CONV) != 0
                    || self.map_extra & 0xfff != 0
                {
                    return e(
                        MapError::Inval,
                        "arena maps need key=0, value=0, max>0 pages, flags with BPF_F_MMAPABLE (0x400) and a page-aligned extra= (user address)",
                    );
                }
                let range = self.max_entries as u64 * 4096;
                if range > 1 << 32 {
                    return e(MapError::TooBig, "an arena is at most 4 GiB");
                }
                // Its pages come later, one kfunc call at a time: no cap at creation.
                if self.map_extra >> 32 != (self.map_extra.wrapping_add(range - 1)) >> 32 {
                    return e(
                        MapError::Range,
                        "an arena's user addresses may not cross a 4 GiB boundary",
                    );
                }
            }
            MapKind::Hash
            | MapKind::PercpuHash
            | MapKind::LruHash
            | MapKind::LruPercpuHash
            | MapKind::HashOfMaps => {
                let lru = self.kind.is_lru();
                if f & !HTAB_CREATE_MASK != 0 || !access_ok {
                    return e(MapError::Inval, "flags not supported by hash maps");
                }
                if !lru && f & NO_COMMON_LRU != 0 {
                    return e(MapError::Inval, "BPF_F_NO_COMMON_LRU is for LRU maps");
                }
                if lru && f & NO_PREALLOC != 0 {
                    return e(MapError::NotSupp, "LRU maps are always preallocated");
                }
                // htab_map_alloc_check: a NUMA node for per-CPU values or lists.
                if f & NUMA_NODE != 0 && (self.kind.is_percpu() || f & NO_COMMON_LRU != 0) {
                    return e(
                        MapError::Inval,
                        "BPF_F_NUMA_NODE does not go with per-CPU values or LRU lists",
                    );
                }
                if self.max_entries == 0 || self.key_size == 0 || self.value_size == 0 {
                    return e(MapError::Inval, "key, value and max must be positive");
                }
                if self.key_size as u64 + self.value_size as u64
                    >= KMALLOC_MAX_SIZE - HTAB_ELEM_SIZE
                {
                    return e(MapError::TooBig, "key and value too large");
                }
                if self.kind.is_percpu() && round8(self.value_size as u64) > PCPU_MIN_UNIT_SIZE {
                    return e(MapError::TooBig, "per-CPU value larger than 32 KiB");
                }
                if self.max_entries > 1 << 31 {
                    return e(MapError::TooBig, "more than 2^31 entries");
                }
                // LRU maps are preallocated (here as in the kernel): cap them as arrays are,
                // or a declaration alone could ask for tens of GiB and abort the process.
                if lru
                    && self.max_entries as u64
                        * (HTAB_ELEM_SIZE
                            + round8(self.key_size as u64)
                            + round8(self.value_size as u64))
                        > MAX_MAP_BYTES
                {
                    return e(
                        MapError::NoMem,
                        "LRU hash larger than bpfplay's 64 MiB cap (LRU maps are preallocated)",
                    );
                }
            }
        }
        // array_of_map_alloc / htab_of_map_alloc: bpf_map_meta_alloc on the inner map.
        if self.kind.is_map_in_map() {
            let Some(inner) = &self.inner else {
                return e(MapError::BadF, "a map of maps needs an inner map (inner=NAME)");
            };
            if inner.kind.is_map_in_map() {
                return e(MapError::Inval, "an inner map cannot be a map of maps");
            }
            if inner.kind == MapKind::ProgArray {
                // prog_array_map_ops has no map_meta_equal.
                return e(MapError::NotSupp, "a prog_array cannot be an inner map");
            }
            inner.check()?;
        }
        Ok(())
    }
}

pub(crate) fn round8(n: u64) -> u64 {
    (n + 7) & !7
}

/// Where a value lives, for the program side: an array element (its index; the array's
/// storage is one block of `round_up(value_size, 8)`-byte elements) or a hash element
/// (identified by a number unique within the map, which changes when the kernel would
/// allocate a new element: on insertion, and on every update of `hash` and `lru_hash`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    Array(u32),
    Elem(u64),
}

/// A map: its definition and its storage.
#[derive(Clone, Debug)]
pub struct Map {
    pub def: MapDef,
    ncpus: usize,
    storage: Storage,
}

#[derive(Clone, Debug)]
enum Storage {
    Array(array::ArrayMap),
    Hash(hash::HashMap),
    Lru(lru::LruHash),
    Ringbuf(ringbuf::Ringbuf),
    ProgArray(prog_array::ProgArray),
    /// array_of_maps: an fd array as prog_array's (kernel/bpf/arraymap.c).
    MapArray(prog_array::ProgArray),
    Lpm(lpm_trie::LpmTrie),
    QueueStack(queue_stack::QueueStack),
    Bloom(bloom::Bloom),
    StackTrace(stack_trace::StackTrace),
    Redirect(redirect::RedirectMap),
    Objects(objects::ObjectMap),
    Local(local_storage::LocalStorage),
    /// arena.c: no elements (lookup EINVAL; update, delete, get_next_key EOPNOTSUPP).
    Arena,
}

impl Map {
    /// Creates an empty (zeroed, for arrays) map on a machine with `ncpus` possible CPUs.
    pub fn create(def: &MapDef, ncpus: usize) -> Result<Map, MapDefError> {
        def.check()?;
        let ncpus = ncpus.max(1);
        let mut def = def.clone();
        let storage = match def.kind {
            MapKind::Array | MapKind::PercpuArray => {
                Storage::Array(array::ArrayMap::new(&def, ncpus))
            }
            MapKind::Hash | MapKind::PercpuHash | MapKind::HashOfMaps => {
                Storage::Hash(hash::HashMap::new(&def, ncpus))
            }
            MapKind::ArrayOfMaps => Storage::MapArray(prog_array::ProgArray::new(def.max_entries)),
            MapKind::LruHash | MapKind::LruPercpuHash => {
                if def.flags & flags::NO_COMMON_LRU != 0 {
                    // htab_map_alloc: per-CPU LRU lists get an equal share each.
                    let n = def.max_entries as u64;
                    let r = n.div_ceil(ncpus as u64) * ncpus as u64;
                    def.max_entries = if r > u32::MAX as u64 {
                        (n / ncpus as u64 * ncpus as u64) as u32
                    } else {
                        r as u32
                    };
                }
                Storage::Lru(lru::LruHash::new(&def, ncpus))
            }
            MapKind::Ringbuf | MapKind::UserRingbuf => {
                Storage::Ringbuf(ringbuf::Ringbuf::new(def.max_entries))
            }
            MapKind::ProgArray => Storage::ProgArray(prog_array::ProgArray::new(def.max_entries)),
            MapKind::LpmTrie => Storage::Lpm(lpm_trie::LpmTrie::new(def.key_size, def.max_entries)),
            MapKind::Queue | MapKind::Stack => Storage::QueueStack(queue_stack::QueueStack::new(
                def.kind == MapKind::Stack,
                def.max_entries,
                def.value_size,
            )),
            MapKind::StackTrace => {
                Storage::StackTrace(stack_trace::StackTrace::new(def.max_entries, def.value_size))
            }
            MapKind::BloomFilter => Storage::Bloom(bloom::Bloom::new(
                def.max_entries,
                def.map_extra,
                def.flags & flags::ZERO_SEED != 0,
            )),
            MapKind::Devmap | MapKind::DevmapHash | MapKind::Cpumap => {
                def.flags = def.prog_flags();
                Storage::Redirect(redirect::RedirectMap::new(
                    def.kind,
                    def.value_size,
                    def.max_entries,
                ))
            }
            k if k.holds_objects() => {
                Storage::Objects(objects::ObjectMap::new(k, def.value_size, def.max_entries))
            }
            MapKind::Arena => Storage::Arena,
            k => Storage::Local(local_storage::LocalStorage::new(k)),
        };
        Ok(Map { def, ncpus, storage })
    }

    pub fn kind(&self) -> MapKind {
        self.def.kind
    }

    pub fn ncpus(&self) -> usize {
        self.ncpus
    }

    /// Bytes of a value as user space reads and writes it: `value_size`, or for per-CPU maps
    /// `round_up(value_size, 8)` per CPU.
    pub fn user_value_size(&self) -> usize {
        if self.def.kind.is_percpu() || self.def.kind == MapKind::PercpuCgroupStorage {
            round8(self.def.value_size as u64) as usize * self.ncpus
        } else {
            self.def.value_size as usize
        }
    }

    fn check_key(&self, key: &[u8]) -> Result<(), MapError> {
        if key.len() != self.def.key_size as usize {
            return Err(MapError::Inval);
        }
        Ok(())
    }

    /// `BPF_MAP_LOOKUP_ELEM` from user space. A queue or stack gives the element a pop
    /// would take, without taking it; a bloom filter needs the value to test
    /// ([`Map::lookup_value`]).
    pub fn lookup(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        self.lookup_value(key, &[])
    }

    /// `BPF_MAP_LOOKUP_ELEM` with the value buffer's contents, which a bloom filter reads
    /// (syscall.c `map_lookup_elem` copies it in for `BPF_MAP_TYPE_BLOOM_FILTER`): Ok with
    /// that value when every bit is set, ENOENT otherwise.
    pub fn lookup_value(&self, key: &[u8], value: &[u8]) -> Result<Vec<u8>, MapError> {
        if self.def.flags & flags::WRONLY != 0 {
            return Err(MapError::Perm);
        }
        if let Storage::Ringbuf(_) = self.storage {
            return Err(MapError::Inval);
        }
        self.check_key(key)?;
        match &self.storage {
            Storage::Array(a) => a.lookup_user(key),
            Storage::Hash(h) => h.lookup_user(key),
            Storage::Lru(l) => l.lookup_user(key),
            Storage::ProgArray(p) | Storage::MapArray(p) => p.lookup(key),
            Storage::Ringbuf(_) => Err(MapError::Inval),
            Storage::Lpm(t) => t.lookup_user(key),
            Storage::QueueStack(q) => q.clone().get(false).map_err(|(e, _)| e),
            Storage::StackTrace(t) => t.lookup(key),
            Storage::Redirect(r) => r.lookup(key),
            Storage::Objects(o) => o.lookup_user(key),
            Storage::Local(l) => l.lookup_user(),
            Storage::Arena => Err(MapError::Inval),
            Storage::Bloom(b) => {
                if value.len() != self.def.value_size as usize {
                    return Err(MapError::Inval);
                }
                b.peek(value).map(|_| value.to_vec())
            }
        }
    }

    /// `BPF_MAP_LOOKUP_AND_DELETE_ELEM` from user space (syscall.c
    /// `map_lookup_and_delete_elem`): a queue's or stack's pop; for hash maps the value and
    /// the element's removal; ENOTSUPP for the other kinds.
    pub fn lookup_and_delete(&mut self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        if self.def.flags & (flags::RDONLY | flags::WRONLY) != 0 {
            return Err(MapError::Perm);
        }
        self.check_key(key)?;
        if let Storage::QueueStack(q) = &mut self.storage {
            return q.get(true).map_err(|(e, _)| e);
        }
        if matches!(self.storage, Storage::Hash(_) | Storage::Lru(_)) {
            let v = self.lookup(key)?;
            self.delete(key)?;
            return Ok(v);
        }
        Err(MapError::NotSupp)
    }

    /// `BPF_MAP_UPDATE_ELEM` from user space (per-CPU maps: one rounded value per CPU).
    /// `cpu` is the CPU the syscall runs on (it matters to LRU lists).
    pub fn update(
        &mut self,
        key: &[u8],
        value: &[u8],
        flags: u64,
        cpu: usize,
    ) -> Result<(), MapError> {
        if self.def.flags & flags::RDONLY != 0 {
            return Err(MapError::Perm);
        }
        // map_update_elem: BPF_F_LOCK needs a spin lock in the value, for every kind.
        if flags & BPF_F_LOCK != 0 && self.def.record.spin_lock.is_none() {
            return Err(MapError::Inval);
        }
        if let Storage::Ringbuf(_) = self.storage {
            return Err(MapError::Inval);
        }
        self.check_key(key)?;
        if value.len() != self.user_value_size() {
            return Err(MapError::Inval);
        }
        let cpu = cpu.min(self.ncpus - 1);
        match &mut self.storage {
            Storage::Array(a) => a.update_user(key, value, flags),
            Storage::Hash(h) => h.update_user(key, value, flags),
            Storage::Lru(l) if self.def.kind.is_percpu() => {
                l.update_percpu(key, value, true, flags, cpu).map(|_| ())
            }
            Storage::Lru(l) => l.update(key, value, flags, cpu).map(|_| ()),
            Storage::ProgArray(p) | Storage::MapArray(p) => p.update(key, value, flags),
            Storage::Ringbuf(_) => Err(MapError::Inval),
            Storage::Lpm(t) => t.update(key, value, flags).map(|_| ()),
            // bpf_map_update_value: a push.
            Storage::QueueStack(q) => q.push(value, flags),
            Storage::Bloom(b) => b.push(value, flags),
            // stack_map_update_elem
            Storage::StackTrace(_) => Err(MapError::Inval),
            Storage::Redirect(r) => r.update(key, value, flags, self.ncpus),
            Storage::Objects(o) => o.update_user(key, value, flags),
            Storage::Local(l) => l.update_user(flags, self.def.record.spin_lock.is_some()),
            Storage::Arena => Err(MapError::OpNotSupp),
        }
    }

    /// `BPF_MAP_DELETE_ELEM` from user space.
    pub fn delete(&mut self, key: &[u8]) -> Result<(), MapError> {
        if self.def.flags & flags::RDONLY != 0 {
            return Err(MapError::Perm);
        }
        if let Storage::Ringbuf(_) = self.storage {
            return Err(MapError::Inval);
        }
        self.check_key(key)?;
        match &mut self.storage {
            Storage::Array(_) => Err(MapError::Inval),
            Storage::Hash(h) => h.delete(key).map(|_| ()),
            Storage::Lru(l) => l.delete(key).map(|_| ()),
            Storage::ProgArray(p) | Storage::MapArray(p) => p.delete(key),
            Storage::Ringbuf(_) => Err(MapError::Inval),
            Storage::Lpm(t) => t.delete(key).map(|_| ()),
            Storage::QueueStack(_) => Err(MapError::Inval),
            Storage::Bloom(_) => Err(MapError::OpNotSupp),
            Storage::StackTrace(t) => t.delete(key),
            Storage::Redirect(r) => r.delete(key),
            Storage::Objects(o) => o.delete(key),
            Storage::Local(l) => l.delete(),
            Storage::Arena => Err(MapError::OpNotSupp),
        }
    }

    /// `BPF_MAP_GET_NEXT_KEY`: the key after `key`, or the first key when `key` is `None`
    /// or not in the map; `NoEnt` after the last.
    pub fn get_next_key(&self, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        if self.def.flags & flags::WRONLY != 0 {
            return Err(MapError::Perm);
        }
        if let Some(k) = key {
            self.check_key(k)?;
        }
        match &self.storage {
            Storage::Array(_) | Storage::ProgArray(_) | Storage::MapArray(_) => {
                array::next_index(key, self.def.max_entries)
            }
            Storage::Hash(h) => h.get_next_key(key),
            Storage::Lru(l) => l.get_next_key(key),
            Storage::Ringbuf(_) => Err(MapError::NotSupp),
            Storage::Lpm(t) => t.get_next_key(key),
            Storage::QueueStack(_) => Err(MapError::Inval),
            Storage::Bloom(_) => Err(MapError::OpNotSupp),
            Storage::StackTrace(t) => t.get_next_key(key),
            Storage::Redirect(r) => r.get_next_key(key),
            Storage::Objects(o) => o.get_next_key(key),
            Storage::Local(l) => l.get_next_key(),
            Storage::Arena => Err(MapError::OpNotSupp),
        }
    }

    /// Every key, in iteration order.
    pub fn keys(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut k: Option<Vec<u8>> = None;
        while let Ok(n) = self.get_next_key(k.as_deref()) {
            out.push(n.clone());
            k = Some(n);
        }
        out
    }

    /// What a map shows: every (key, value) in iteration order, values as user space reads
    /// them, except that per-CPU maps show CPU `cpu` only (`value_size` bytes). Ring
    /// buffers list their committed records keyed by a 4-byte little-endian sequence number;
    /// program arrays their occupied slots.
    pub fn entries(&self, cpu: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
        match &self.storage {
            Storage::Ringbuf(r) => r
                .records()
                .enumerate()
                .map(|(i, rec)| ((i as u32).to_le_bytes().to_vec(), rec.to_vec()))
                .collect(),
            Storage::ProgArray(p) | Storage::MapArray(p) => p.entries(),
            Storage::Array(a) => (0..self.def.max_entries)
                .map(|i| (i.to_le_bytes().to_vec(), a.value(i, cpu).to_vec()))
                .collect(),
            Storage::Hash(h) => h.entries(cpu),
            Storage::Lru(l) => l.entries(cpu),
            Storage::Lpm(t) => t.entries(),
            Storage::QueueStack(q) => q
                .elements()
                .into_iter()
                .enumerate()
                .map(|(i, v)| ((i as u32).to_le_bytes().to_vec(), v))
                .collect(),
            Storage::Bloom(_) | Storage::Objects(_) | Storage::Local(_) | Storage::Arena => {
                Vec::new()
            }
            Storage::StackTrace(t) => t.entries(),
            Storage::Redirect(r) => r.entries(),
        }
    }

    /// How many elements a queue, stack or LPM trie holds.
    pub fn count(&self) -> Option<usize> {
        match &self.storage {
            Storage::QueueStack(q) => Some(q.len()),
            Storage::Lpm(t) => Some(t.len() as usize),
            _ => None,
        }
    }

    /// A queue's or stack's elements in the order pops take them.
    pub fn queue_elements(&self) -> Option<Vec<Vec<u8>>> {
        match &self.storage {
            Storage::QueueStack(q) => Some(q.elements()),
            _ => None,
        }
    }

    /// A bloom filter's bits set, bits in all and hash functions.
    pub fn bloom_bits(&self) -> Option<(u64, u64, u32)> {
        match &self.storage {
            Storage::Bloom(b) => {
                let (set, all) = b.bits_set();
                Some((set, all, b.nr_hash_funcs()))
            }
            _ => None,
        }
    }

    /// `bpf_map_push_elem` (programs; the syscall's update of a keyless map is the same):
    /// a queue's or stack's push, a bloom filter's add. Other kinds: EINVAL (the verifier
    /// refuses the call for them).
    pub fn push(&mut self, value: &[u8], flags: u64) -> Result<(), MapError> {
        if value.len() != self.def.value_size as usize {
            return Err(MapError::Inval);
        }
        match &mut self.storage {
            Storage::QueueStack(q) => q.push(value, flags),
            Storage::Bloom(b) => b.push(value, flags),
            _ => Err(MapError::Inval),
        }
    }

    /// `bpf_map_pop_elem`: the element and its removal; on an error the zeroed value the
    /// kernel writes to the program's buffer (`__queue_map_get`). A bloom filter's pop is
    /// EOPNOTSUPP (and writes nothing: the value is then `None`).
    pub fn pop(&mut self) -> Result<Vec<u8>, (MapError, Option<Vec<u8>>)> {
        match &mut self.storage {
            Storage::QueueStack(q) => q.get(true).map_err(|(e, v)| (e, Some(v))),
            Storage::Bloom(_) => Err((MapError::OpNotSupp, None)),
            _ => Err((MapError::Inval, None)),
        }
    }

    /// `bpf_map_peek_elem`: a queue's or stack's next element (as [`Map::pop`], without
    /// removing it); for a bloom filter, whether `value` may be a member (`Ok` with `value`,
    /// or ENOENT; the buffer is not written).
    pub fn peek(&self, value: &[u8]) -> Result<Vec<u8>, (MapError, Option<Vec<u8>>)> {
        match &self.storage {
            Storage::QueueStack(q) => q.clone().get(false).map_err(|(e, v)| (e, Some(v))),
            Storage::Bloom(b) => b.peek(value).map(|_| value.to_vec()).map_err(|e| (e, None)),
            _ => Err((MapError::Inval, None)),
        }
    }

    // ---- The program side (helpers). ----

    /// `bpf_map_lookup_elem` from a program on a map of maps: the number of the map stored
    /// under `key` (`array_of_map_lookup_elem`, `htab_of_map_lookup_elem`).
    pub fn prog_lookup_inner(&self, key: &[u8]) -> Option<u32> {
        if key.len() != self.def.key_size as usize {
            return None;
        }
        match &self.storage {
            Storage::MapArray(p) => p.lookup(key).ok(),
            Storage::Hash(h) if self.def.kind == MapKind::HashOfMaps => h.lookup_user(key).ok(),
            _ => None,
        }
        .map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
    }

    /// `bpf_map_lookup_elem` from a program: where the value of `key` is. LRU maps mark the
    /// element referenced. (Maps of maps: [`Map::prog_lookup_inner`].)
    pub fn prog_lookup(&mut self, key: &[u8]) -> Option<Slot> {
        if key.len() != self.def.key_size as usize || self.def.kind.is_map_in_map() {
            return None;
        }
        match &mut self.storage {
            Storage::Array(a) => a.index(key).map(Slot::Array),
            Storage::Hash(h) => h.uid(key).map(Slot::Elem),
            Storage::Lru(l) => l.lookup_mark(key).map(Slot::Elem),
            Storage::Lpm(t) => t.lookup_uid(key).map(Slot::Elem),
            Storage::Redirect(r) => r.prog_lookup(key),
            _ => None,
        }
    }

    /// Where the value of `key` is, without side effects (no LRU reference bit).
    pub fn prog_lookup_quiet(&self, key: &[u8]) -> Option<Slot> {
        if key.len() != self.def.key_size as usize || self.def.kind.is_map_in_map() {
            return None;
        }
        match &self.storage {
            Storage::Array(a) => a.index(key).map(Slot::Array),
            Storage::Hash(h) => h.uid(key).map(Slot::Elem),
            Storage::Lru(l) => l.uid(key).map(Slot::Elem),
            Storage::Lpm(t) => t.lookup_uid(key).map(Slot::Elem),
            Storage::Redirect(r) => r.prog_lookup(key),
            _ => None,
        }
    }

    /// `bpf_map_update_elem` from a program running on `cpu`: `value` is one value
    /// (`value_size` bytes). Returns where the value now lives.
    pub fn prog_update(
        &mut self,
        key: &[u8],
        value: &[u8],
        flags: u64,
        cpu: usize,
    ) -> Result<Slot, MapError> {
        if key.len() != self.def.key_size as usize || value.len() != self.def.value_size as usize {
            return Err(MapError::Inval);
        }
        if self.def.kind.is_map_in_map() {
            return Err(MapError::NotSupp);
        }
        let cpu = cpu.min(self.ncpus - 1);
        match &mut self.storage {
            Storage::Array(a) => a.update_prog(key, value, flags, cpu).map(Slot::Array),
            Storage::Hash(h) => h.update_prog(key, value, flags, cpu).map(Slot::Elem),
            Storage::Lru(l) if self.def.kind.is_percpu() => {
                l.update_percpu(key, value, false, flags, cpu).map(Slot::Elem)
            }
            Storage::Lru(l) => l.update(key, value, flags, cpu).map(Slot::Elem),
            Storage::Lpm(t) => t.update(key, value, flags).map(Slot::Elem),
            Storage::ProgArray(_) | Storage::MapArray(_) | Storage::Ringbuf(_) => {
                Err(MapError::NotSupp)
            }
            Storage::QueueStack(_) | Storage::Bloom(_) => Err(MapError::Inval),
            // Programs may update these only with objects they hold (a socket, for
            // sockmap): bpfplay's programs hold none. The rest have no program update.
            _ => Err(MapError::NotSupp),
        }
    }

    /// `bpf_map_delete_elem` from a program; returns the slot of the removed element.
    pub fn prog_delete(&mut self, key: &[u8]) -> Result<Slot, MapError> {
        if key.len() != self.def.key_size as usize {
            return Err(MapError::Inval);
        }
        if self.def.kind.is_map_in_map() {
            return Err(MapError::NotSupp);
        }
        match &mut self.storage {
            Storage::Array(_) => Err(MapError::Inval),
            Storage::Hash(h) => h.delete(key).map(Slot::Elem),
            Storage::Lru(l) => l.delete(key).map(Slot::Elem),
            Storage::Lpm(t) => t.delete(key).map(Slot::Elem),
            Storage::ProgArray(_) | Storage::MapArray(_) | Storage::Ringbuf(_) => {
                Err(MapError::NotSupp)
            }
            Storage::QueueStack(_) => Err(MapError::Inval),
            Storage::Bloom(_) => Err(MapError::OpNotSupp),
            Storage::Redirect(r) => r.delete(key).map(|_| Slot::Array(0)),
            Storage::Objects(o) => o.delete(key).map(|_| Slot::Array(0)),
            _ => Err(MapError::NotSupp),
        }
    }

    /// Whether `slot` still holds a live element (a deleted or evicted element does not; a
    /// replaced one neither: its key has a new element).
    pub fn slot_live(&self, slot: Slot) -> bool {
        match (&self.storage, slot) {
            (Storage::Array(a), Slot::Array(i)) => i < a.max_entries(),
            (Storage::Hash(h), Slot::Elem(u)) => h.has_uid(u),
            (Storage::Lru(l), Slot::Elem(u)) => l.has_uid(u),
            (Storage::Lpm(t), Slot::Elem(u)) => t.has_uid(u),
            (Storage::Redirect(r), s) => r.slot_value(s).is_some(),
            _ => false,
        }
    }

    /// The value bytes of CPU `cpu` at `slot` (arrays: the element, not the padding).
    pub fn slot_value(&self, slot: Slot, cpu: usize) -> Option<&[u8]> {
        let cpu = cpu.min(self.ncpus - 1);
        match (&self.storage, slot) {
            (Storage::Array(a), Slot::Array(i)) => (i < a.max_entries()).then(|| a.value(i, cpu)),
            (Storage::Hash(h), Slot::Elem(u)) => h.value_by_uid(u, cpu),
            (Storage::Lru(l), Slot::Elem(u)) => l.value_by_uid(u, cpu),
            (Storage::Lpm(t), Slot::Elem(u)) => t.value_by_uid(u),
            (Storage::Redirect(r), s) => r.slot_value(s),
            _ => None,
        }
    }

    /// Overwrites the value bytes of CPU `cpu` at `slot` (a program's stores, written back).
    pub fn set_slot_value(&mut self, slot: Slot, cpu: usize, value: &[u8]) {
        let cpu = cpu.min(self.ncpus - 1);
        match (&mut self.storage, slot) {
            (Storage::Array(a), Slot::Array(i)) => a.set_value(i, cpu, value),
            (Storage::Hash(h), Slot::Elem(u)) => h.set_value_by_uid(u, cpu, value),
            (Storage::Lru(l), Slot::Elem(u)) => l.set_value_by_uid(u, cpu, value),
            (Storage::Lpm(t), Slot::Elem(u)) => t.set_value_by_uid(u, value),
            _ => {}
        }
    }

    /// The whole storage of an array map for CPU `cpu`: `max_entries` elements of
    /// `round_up(value_size, 8)` bytes.
    pub fn array_block(&self, cpu: usize) -> Option<&[u8]> {
        match &self.storage {
            Storage::Array(a) => Some(a.block(cpu.min(self.ncpus - 1))),
            _ => None,
        }
    }

    pub fn set_array_block(&mut self, cpu: usize, data: &[u8]) {
        let cpu = cpu.min(self.ncpus - 1);
        if let Storage::Array(a) = &mut self.storage {
            a.set_block(cpu, data);
        }
    }

    /// A stack_trace map, for `bpf_get_stackid`.
    pub fn stack_trace_mut(&mut self) -> Option<&mut stack_trace::StackTrace> {
        match &mut self.storage {
            Storage::StackTrace(t) => Some(t),
            _ => None,
        }
    }

    pub fn ringbuf(&self) -> Option<&ringbuf::Ringbuf> {
        match &self.storage {
            Storage::Ringbuf(r) => Some(r),
            _ => None,
        }
    }

    pub fn ringbuf_mut(&mut self) -> Option<&mut ringbuf::Ringbuf> {
        match &mut self.storage {
            Storage::Ringbuf(r) => Some(r),
            _ => None,
        }
    }

    /// `bpf_redirect_map`: is there a device, CPU or socket at `key`? (bpfplay's
    /// socket maps are always empty.)
    pub fn redirect_target(&self, key: u32) -> bool {
        match &self.storage {
            Storage::Redirect(r) => r.has_target(key),
            _ => false,
        }
    }

    pub fn prog_array(&self) -> Option<&prog_array::ProgArray> {
        match &self.storage {
            Storage::ProgArray(p) => Some(p),
            _ => None,
        }
    }

    pub fn prog_array_mut(&mut self) -> Option<&mut prog_array::ProgArray> {
        match &mut self.storage {
            Storage::ProgArray(p) => Some(p),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
