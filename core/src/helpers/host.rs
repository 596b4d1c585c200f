//! [`KernelHost`]: the helpers with the kernel's ids and behaviour, and the map references of
//! `LD_IMM64`, as a [`Host`] for the interpreter.
//!
//! Map values are real memory of the run: a program's `bpf_map_lookup_elem` gives the
//! address of a region of the virtual machine, so that its loads and stores through the
//! pointer hit the value. The storage itself stays in the [`MapStore`]; a region is made on
//! the first lookup (one per array map and CPU, holding all its elements in 8-byte strides
//! as the kernel lays them out; one per hash element), is authoritative while the run goes
//! on, and is written back by [`KernelHost::sync`]. When an element stops existing
//! (deleted, evicted from an LRU map) its region is killed: a stale pointer faults instead
//! of reading or corrupting another element. When a `hash`/`lru_hash` update replaces an
//! element, the old region stays readable with the old value and no longer belongs to the
//! map, as the kernel's old element does.

use super::prandom::Prandom;
use super::printk::{self, PrintkMemory, StrKind};
use super::world::{self, World, KERNEL_MIN, TASK_SIZE};
use crate::maps::prog_array::MAX_TAIL_CALL_CNT;
use crate::maps::{flags as map_flags, MapKind, MapStore, Slot};
use crate::progtype::ProgType;
use crate::vm::{HelperResult, Host, HostError, Memory, RegionId, LOW_BASE};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// Nanoseconds per jiffy at CONFIG_HZ=250.
const JIFFY_NS: u64 = 1_000_000_000 / 250;

/// Size of the read-only model of `struct bpf_map` a map pointer points to.
pub const BPF_MAP_STRUCT_SIZE: usize = 256;

const EFAULT: u64 = (-14i64) as u64;
const EINVAL: u64 = (-22i64) as u64;
const ENOENT: u64 = (-2i64) as u64;
const E2BIG: u64 = (-7i64) as u64;
const EACCES: u64 = (-13i64) as u64;
const ERANGE: u64 = (-34i64) as u64;
const EAGAIN: u64 = (-11i64) as u64;

/// XDP return codes.
pub const XDP_ABORTED: u64 = 0;
pub const XDP_REDIRECT: u64 = 4;
/// `sizeof(struct xdp_frame)`: the bottom of the headroom `bpf_xdp_adjust_head` may use
/// (measured: 256 - 216).
pub const XDP_FRAME_SIZE: u64 = 40;
const ETH_HLEN: u64 = 14;

/// A `bpf_redirect` that took effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Redirect {
    pub ifindex: u32,
    pub flags: u64,
}

/// The context of the run, as the helpers that take `ctx` need it.
#[derive(Clone, Debug, Default)]
pub struct CtxInfo {
    /// The region of the context structure (`__sk_buff`, `xdp_md`, `pt_regs`, the record).
    pub ctx: Option<RegionId>,
    /// The packet region: for socket filters the bytes after the Ethernet header
    /// (`skb->data`), for XDP the whole buffer with its headroom, at [`LOW_BASE`].
    pub packet: Option<RegionId>,
}

/// The helpers' state for one run.
pub struct KernelHost {
    pub maps: MapStore,
    pub world: World,
    pub prog_type: ProgType,
    pub ctx: CtxInfo,
    pub printk: Vec<String>,
    pub redirect: Option<Redirect>,
    pub tail_calls: u32,
    /// Programs the machine holds: prog_array values below this are tail-call targets.
    pub programs: usize,
    cpu: usize,
    clock: u64,
    rng: Prandom,
    /// Bound array blocks: map -> region.
    arrays: BTreeMap<usize, RegionId>,
    /// Bound hash elements: (map, uid) -> region.
    elems: BTreeMap<(usize, u64), RegionId>,
    /// Reserved ring-buffer records: region -> (map, data position).
    records: BTreeMap<u32, (usize, u64)>,
    /// Map pointers: the base of each map's `struct bpf_map` region -> map.
    map_ptrs: BTreeMap<u64, usize>,
}

fn fail<T>(msg: String) -> Result<T, HostError> {
    Err(HostError::Failed(msg))
}

fn ret(v: u64) -> Result<HelperResult, HostError> {
    Ok(HelperResult::Return(v))
}

/// Above this many bytes a helper first checks that the memory is there before allocating a
/// buffer of the program's size (up to 4 GiB from a 32-bit size: fuzzing found
/// `bpf_probe_read` with a huge size aborting the process on the allocation).
const LARGE: usize = 64 << 10;

/// `Err` (as a failed read or write of `what` would give) when `len` bytes at `addr` are not
/// all mapped; checked only for large sizes, where the buffer itself would be the problem.
fn room(mem: &Memory, addr: u64, len: usize, what: &str, write: bool) -> Result<(), HostError> {
    if len > LARGE && mem.slice(addr, len).is_none() {
        return fail(format!(
            "cannot {} {len} bytes of {what} at {addr:#x}",
            if write { "write" } else { "read" }
        ));
    }
    Ok(())
}

fn read(mem: &Memory, addr: u64, len: usize, what: &str) -> Result<Vec<u8>, HostError> {
    room(mem, addr, len, what, false)?;
    let mut b = vec![0; len];
    match mem.read(addr, &mut b) {
        Ok(()) => Ok(b),
        Err(_) => fail(format!("cannot read {len} bytes of {what} at {addr:#x}")),
    }
}

fn write(mem: &mut Memory, addr: u64, data: &[u8], what: &str) -> Result<(), HostError> {
    mem.write(addr, data).map_err(|_| {
        HostError::Failed(format!("cannot write {} bytes of {what} at {addr:#x}", data.len()))
    })
}

impl KernelHost {
    pub fn new(maps: MapStore, world: World, prog_type: ProgType) -> KernelHost {
        let cpu = world.cpu as usize;
        let clock = world.ktime_ns;
        let rng = Prandom::new(world.prandom_seed);
        KernelHost {
            maps,
            world,
            prog_type,
            ctx: CtxInfo::default(),
            printk: Vec::new(),
            redirect: None,
            tail_calls: 0,
            programs: 1,
            cpu,
            clock,
            rng,
            arrays: BTreeMap::new(),
            elems: BTreeMap::new(),
            records: BTreeMap::new(),
            map_ptrs: BTreeMap::new(),
        }
    }

    /// The map a map pointer names.
    fn map_index(&self, ptr: u64) -> Result<usize, HostError> {
        self.map_ptrs
            .get(&ptr)
            .copied()
            .ok_or_else(|| HostError::Failed(format!("{ptr:#x} is not a map pointer")))
    }

    /// The pointer of map `i`: a read-only region holding a model of its `struct bpf_map`
    /// (include/linux/bpf.h, x86-64 with CONFIG_SECURITY and CONFIG_MEMCG), which privileged
    /// programs may read: `map_type` at 24, `key_size` 28, `value_size` 32, `max_entries`
    /// 36, `map_flags` 48, `id` 52, `numa_node` 64 (-1), `name` 96; other fields 0, `ops`
    /// a made-up kernel address.
    fn map_ptr(&mut self, mem: &mut Memory, i: usize) -> Result<u64, HostError> {
        if let Some((&base, _)) = self.map_ptrs.iter().find(|(_, &m)| m == i) {
            return Ok(base);
        }
        let map = self.maps.get(i).ok_or(HostError::Unsupported)?;
        let mut b = vec![0u8; BPF_MAP_STRUCT_SIZE];
        let ops = 0xffff_ffff_8220_0000u64 + (map.kind() as u64) * 0x200;
        b[0..8].copy_from_slice(&ops.to_le_bytes());
        for (off, v) in [
            (24, map.kind() as u32),
            (28, map.def.key_size),
            (32, map.def.value_size),
            (36, map.def.max_entries),
            (48, map.def.flags),
            (52, i as u32 + 1),
            (64, u32::MAX),
        ] {
            b[off..off + 4].copy_from_slice(&v.to_le_bytes());
        }
        let name = map.def.name.as_bytes();
        let n = name.len().min(15);
        b[96..96 + n].copy_from_slice(&name[..n]);
        let label = format!("struct bpf_map {}", map.def.name);
        let (_, base) = mem
            .add_region(&label, b, false)
            .ok_or_else(|| HostError::Failed("address space full".into()))?;
        self.map_ptrs.insert(base, i);
        Ok(base)
    }

    /// The region of array map `m` on this CPU (made on first use).
    fn array_region(&mut self, mem: &mut Memory, m: usize) -> Result<u64, HostError> {
        if let Some(&id) = self.arrays.get(&m) {
            return Ok(mem.region(id).map(|r| r.base).unwrap_or(0));
        }
        let map = self.maps.get(m).ok_or(HostError::Unsupported)?;
        let data = map.array_block(self.cpu).ok_or(HostError::Unsupported)?.to_vec();
        let writable = map.def.flags & map_flags::RDONLY_PROG == 0;
        let name = format!("map {} (cpu {})", map.def.name, self.cpu);
        let (id, base) = mem
            .add_region(&name, data, writable)
            .ok_or_else(|| HostError::Failed("address space full".into()))?;
        self.arrays.insert(m, id);
        Ok(base)
    }

    /// The region of element `uid` of hash-like map `m` (made on first use).
    fn elem_region(&mut self, mem: &mut Memory, m: usize, uid: u64) -> Result<u64, HostError> {
        if let Some(&id) = self.elems.get(&(m, uid)) {
            return Ok(mem.region(id).map(|r| r.base).unwrap_or(0));
        }
        let map = self.maps.get(m).ok_or(HostError::Unsupported)?;
        let data =
            map.slot_value(Slot::Elem(uid), self.cpu).ok_or(HostError::Unsupported)?.to_vec();
        let writable = map.def.flags & map_flags::RDONLY_PROG == 0;
        let name = format!("map {} element", map.def.name);
        let (id, base) = mem
            .add_region(&name, data, writable)
            .ok_or_else(|| HostError::Failed("address space full".into()))?;
        self.elems.insert((m, uid), id);
        Ok(base)
    }

    /// Kills the regions of elements of map `m` that no longer exist.
    fn reconcile(&mut self, mem: &mut Memory, m: usize) {
        let Some(map) = self.maps.get(m) else { return };
        let dead: Vec<(usize, u64)> = self
            .elems
            .range((m, 0)..=(m, u64::MAX))
            .filter(|(&(_, uid), _)| !map.slot_live(Slot::Elem(uid)))
            .map(|(&k, _)| k)
            .collect();
        for k in dead {
            if let Some(id) = self.elems.remove(&k) {
                mem.kill_region(id);
            }
        }
    }

    /// Writes what the program stored in map values back into the maps (and reserved but
    /// unsubmitted ring-buffer records into their rings). The regions stay bound.
    pub fn sync(&mut self, mem: &Memory) {
        for (&m, &id) in &self.arrays {
            if let (Some(map), Some(r)) = (self.maps.get_mut(m), mem.region(id)) {
                map.set_array_block(self.cpu, &r.data);
            }
        }
        for (&(m, uid), &id) in &self.elems {
            if let (Some(map), Some(r)) = (self.maps.get_mut(m), mem.region(id)) {
                if map.slot_live(Slot::Elem(uid)) {
                    map.set_slot_value(Slot::Elem(uid), self.cpu, &r.data);
                }
            }
        }
        for (&rid, &(m, pos)) in &self.records {
            if let (Some(rb), Some(r)) =
                (self.maps.get_mut(m).and_then(|x| x.ringbuf_mut()), mem.region(RegionId(rid)))
            {
                rb.write(pos, &r.data);
            }
        }
    }

    fn map_lookup(&mut self, a: [u64; 5], mem: &mut Memory) -> Result<HelperResult, HostError> {
        let m = self.map_index(a[0])?;
        let map = self.maps.get_mut(m).ok_or(HostError::Unsupported)?;
        let key = read(mem, a[1], map.def.key_size as usize, "map key")?;
        if map.def.kind.is_map_in_map() {
            // The inner map's pointer (what the verifier types as CONST_PTR_TO_MAP).
            return match map.prog_lookup_inner(&key) {
                Some(inner) if (inner as usize) < self.maps.len() => {
                    ret(self.map_ptr(mem, inner as usize)?)
                }
                _ => ret(0),
            };
        }
        match map.prog_lookup(&key) {
            None => ret(0),
            Some(Slot::Array(i)) => {
                let stride = crate::maps::round8(map.def.value_size as u64);
                let base = self.array_region(mem, m)?;
                ret(base + i as u64 * stride)
            }
            Some(Slot::Elem(uid)) => ret(self.elem_region(mem, m, uid)?),
        }
    }

    fn map_update(&mut self, a: [u64; 5], mem: &mut Memory) -> Result<HelperResult, HostError> {
        let m = self.map_index(a[0])?;
        let map = self.maps.get_mut(m).ok_or(HostError::Unsupported)?;
        let key = read(mem, a[1], map.def.key_size as usize, "map key")?;
        let value = read(mem, a[2], map.def.value_size as usize, "map value")?;
        let old = map.prog_lookup_quiet(&key);
        let r = map.prog_update(&key, &value, a[3], self.cpu);
        // An lpm_trie's lookup finds the longest prefix, which may be another, live element.
        let old_live = old.is_some_and(|s| map.slot_live(s));
        let stride = crate::maps::round8(map.def.value_size as u64) as usize;
        match r {
            Ok(Slot::Array(i)) => {
                if let Some(&id) = self.arrays.get(&m) {
                    if let Some(reg) = mem.region_mut(id) {
                        let at = i as usize * stride;
                        reg.data[at..at + value.len()].copy_from_slice(&value);
                    }
                }
            }
            Ok(Slot::Elem(uid)) => {
                if old == Some(Slot::Elem(uid)) {
                    // Updated in place (percpu_hash): the bound region sees the new value.
                    if let Some(&id) = self.elems.get(&(m, uid)) {
                        if let Some(reg) = mem.region_mut(id) {
                            reg.data.copy_from_slice(&value);
                        }
                    }
                } else if let (Some(Slot::Elem(o)), false) = (old, old_live) {
                    // A new element replaced the old one: the old region lives on, detached.
                    self.elems.remove(&(m, o));
                }
            }
            Err(_) => {}
        }
        self.reconcile(mem, m);
        ret(match r {
            Ok(_) => 0,
            Err(e) => e.helper_ret(),
        })
    }

    fn map_delete(&mut self, a: [u64; 5], mem: &mut Memory) -> Result<HelperResult, HostError> {
        let m = self.map_index(a[0])?;
        let map = self.maps.get_mut(m).ok_or(HostError::Unsupported)?;
        let key = read(mem, a[1], map.def.key_size as usize, "map key")?;
        let r = map.prog_delete(&key);
        self.reconcile(mem, m);
        ret(match r {
            Ok(_) => 0,
            Err(e) => e.helper_ret(),
        })
    }

    /// `bpf_map_push_elem`, `bpf_map_pop_elem`, `bpf_map_peek_elem` (kernel/bpf/helpers.c,
    /// through the map's `map_push_elem`/`map_pop_elem`/`map_peek_elem`): a queue's or
    /// stack's push and pop, a bloom filter's add and membership test. Pop and peek write
    /// the value (zeros when a queue or stack is empty); a bloom filter's peek only reads.
    fn map_push_pop(
        &mut self,
        id: u32,
        a: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        let m = self.map_index(a[0])?;
        let map = self.maps.get_mut(m).ok_or(HostError::Unsupported)?;
        let vs = map.def.value_size as usize;
        let r = match id {
            87 => {
                let value = read(mem, a[1], vs, "map value")?;
                map.push(&value, a[2]).map(|_| None).map_err(|e| (e, None))
            }
            88 => map.pop().map(Some),
            _ => {
                let value = read(mem, a[1], vs, "map value")?;
                let bloom = map.kind() == crate::maps::MapKind::BloomFilter;
                map.peek(&value).map(|v| (!bloom).then_some(v))
            }
        };
        let (rv, out) = match r {
            Ok(v) => (0, v),
            Err((e, v)) => (e.helper_ret(), v),
        };
        if let Some(v) = out {
            room(mem, a[1], vs, "map value", true)?;
            write(mem, a[1], &v, "map value")?;
        }
        ret(rv)
    }

    /// Kernel memory as a helper sees it: the program's own memory, then the world's.
    fn kernel_bytes(&self, mem: &Memory, addr: u64, len: usize) -> Result<Vec<u8>, u64> {
        if let Some(s) = mem.slice(addr, len) {
            return Ok(s.to_vec());
        }
        if len == 0 {
            return Ok(Vec::new());
        }
        if addr < KERNEL_MIN {
            return Err(ERANGE);
        }
        world::read_blocks(&self.world.kernel_memory, addr, len).map(|s| s.to_vec()).ok_or(EFAULT)
    }

    fn user_bytes(&self, addr: u64, len: usize) -> Result<Vec<u8>, u64> {
        if len == 0 {
            return Ok(Vec::new());
        }
        if addr.checked_add(len as u64).is_none_or(|e| e > TASK_SIZE) {
            return Err(EFAULT);
        }
        world::read_blocks(&self.world.user_memory, addr, len).map(|s| s.to_vec()).ok_or(EFAULT)
    }

    /// `bpf_probe_read` (the compat form: user memory below `TASK_SIZE`), `_kernel`, `_user`.
    fn probe_read(
        &mut self,
        a: [u64; 5],
        mem: &mut Memory,
        kind: StrKind,
    ) -> Result<HelperResult, HostError> {
        let (dst, size, src) = (a[0], a[1] as u32 as usize, a[2]);
        room(mem, dst, size, "probe_read destination", true)?;
        let got = match kind {
            StrKind::Kernel => self.kernel_bytes(mem, src, size),
            StrKind::User => self.user_bytes(src, size),
            StrKind::Auto => {
                if mem.slice(src, size).is_some() || src >= TASK_SIZE {
                    self.kernel_bytes(mem, src, size)
                } else {
                    self.user_bytes(src, size)
                }
            }
        };
        let (bytes, r) = match got {
            Ok(b) => (b, 0),
            Err(e) => (vec![0; size], e),
        };
        write(mem, dst, &bytes, "probe_read destination")?;
        ret(r)
    }

    /// A NUL-terminated string of at most `max` bytes (NUL included) at `addr`: the bytes
    /// and whether a NUL ended them; `Err` when the first byte cannot be read... or any
    /// byte before the NUL.
    fn string_at(
        &self,
        mem: &Memory,
        addr: u64,
        max: usize,
        kind: StrKind,
    ) -> Result<(Vec<u8>, bool), u64> {
        let kernel = match kind {
            StrKind::Kernel => true,
            StrKind::User => false,
            StrKind::Auto => mem.slice(addr, 1).is_some() || addr >= TASK_SIZE,
        };
        let tail: Option<&[u8]> = if kernel {
            if let Some((id, off)) = mem.find(addr) {
                mem.region(id).map(|r| &r.data[off..])
            } else if let Some(s) = mem.slice(addr, 1) {
                // The stack: up to its top.
                let n = (crate::vm::STACK_TOP - addr) as usize;
                mem.slice(addr, n).or(Some(s))
            } else if addr < KERNEL_MIN {
                return Err(ERANGE);
            } else {
                world::block_tail(&self.world.kernel_memory, addr)
            }
        } else if addr >= TASK_SIZE {
            return Err(EFAULT);
        } else {
            world::block_tail(&self.world.user_memory, addr)
        };
        let tail = tail.ok_or(EFAULT)?;
        match tail.iter().take(max).position(|&b| b == 0) {
            Some(n) => Ok((tail[..n].to_vec(), true)),
            None if tail.len() >= max => Ok((tail[..max].to_vec(), false)),
            None => Err(EFAULT),
        }
    }

    /// `bpf_probe_read_*_str`: the length copied with its NUL, or a negative errno (and a
    /// zeroed buffer).
    fn probe_read_str(
        &mut self,
        a: [u64; 5],
        mem: &mut Memory,
        kind: StrKind,
    ) -> Result<HelperResult, HostError> {
        let (dst, size, src) = (a[0], a[1] as u32 as usize, a[2]);
        if size == 0 {
            return ret(0);
        }
        room(mem, dst, size, "probe_read_str destination", true)?;
        match self.string_at(mem, src, size, kind) {
            Ok((mut s, _)) => {
                s.truncate(size - 1);
                s.push(0);
                write(mem, dst, &s, "probe_read_str destination")?;
                ret(s.len() as u64)
            }
            Err(e) => {
                write(mem, dst, &vec![0; size], "probe_read_str destination")?;
                ret(e)
            }
        }
    }

    fn trace_printk(&mut self, a: [u64; 5], mem: &mut Memory) -> Result<HelperResult, HostError> {
        let fmt = read(mem, a[0], a[1] as u32 as usize, "trace_printk format")?;
        let pm = PrintkMem { host: self, mem };
        match printk::format(&fmt, &[a[2], a[3], a[4]], &pm) {
            Ok((msg, len)) => {
                self.printk.push(String::from_utf8_lossy(&msg).into_owned());
                ret(len as u64)
            }
            Err(e) => ret(e as i64 as u64),
        }
    }

    fn packet_region(&self) -> Result<RegionId, HostError> {
        self.ctx.packet.ok_or_else(|| HostError::Failed("this program type has no packet".into()))
    }

    fn skb_load_bytes(&mut self, a: [u64; 5], mem: &mut Memory) -> Result<HelperResult, HostError> {
        if self.prog_type != ProgType::SocketFilter {
            return fail("bpf_skb_load_bytes needs a socket buffer".into());
        }
        let (off, to, len) = (a[1] as u32, a[2], a[3] as u32 as usize);
        let pkt = self.packet_region()?;
        room(mem, to, len, "skb_load_bytes destination", true)?;
        let data = mem.region(pkt).map(|r| r.data.as_slice()).unwrap_or(&[]);
        let got = if off > i32::MAX as u32 {
            None
        } else {
            data.get(off as usize..off as usize + len).map(|s| s.to_vec())
        };
        let (bytes, r) = match got {
            Some(b) => (b, 0),
            None => (vec![0; len], EFAULT),
        };
        write(mem, to, &bytes, "skb_load_bytes destination")?;
        ret(r)
    }

    fn skb_store_bytes(
        &mut self,
        a: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        if self.prog_type != ProgType::SocketFilter {
            return fail("bpf_skb_store_bytes needs a socket buffer".into());
        }
        let (off, from, len, flags) = (a[1] as u32, a[2], a[3] as u32 as usize, a[4]);
        if flags & !3 != 0 {
            return ret(EINVAL);
        }
        if off > i32::MAX as u32 {
            return ret(EFAULT);
        }
        let bytes = read(mem, from, len, "skb_store_bytes source")?;
        let pkt = self.packet_region()?;
        let Some(r) = mem.region_mut(pkt) else { return ret(EFAULT) };
        match r.data.get_mut(off as usize..off as usize + len) {
            Some(d) => {
                d.copy_from_slice(&bytes);
                ret(0)
            }
            None => ret(EFAULT),
        }
    }

    fn xdp_adjust_head(
        &mut self,
        a: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        if self.prog_type != ProgType::Xdp {
            return fail("bpf_xdp_adjust_head needs an XDP context".into());
        }
        let ctx = self.ctx.ctx.ok_or(HostError::Unsupported)?;
        let pkt = self.packet_region()?;
        let (data, end, meta) = {
            let c = &mem.region(ctx).ok_or(HostError::Unsupported)?.data;
            let f = |o: usize| u32::from_le_bytes([c[o], c[o + 1], c[o + 2], c[o + 3]]) as u64;
            (f(0), f(4), f(8))
        };
        let offset = a[1] as u32 as i32 as i64;
        let metalen = data - meta;
        let data_start = LOW_BASE + XDP_FRAME_SIZE + metalen;
        let new = data as i64 + offset;
        if new < data_start as i64 || new > (end - ETH_HLEN) as i64 {
            return ret(EINVAL);
        }
        if metalen > 0 {
            if let Some(r) = mem.region_mut(pkt) {
                let from = (meta - LOW_BASE) as usize;
                let to = (meta as i64 + offset - LOW_BASE as i64) as usize;
                r.data.copy_within(from..from + metalen as usize, to);
            }
        }
        let c = &mut mem.region_mut(ctx).ok_or(HostError::Unsupported)?.data;
        c[0..4].copy_from_slice(&(new as u32).to_le_bytes());
        c[8..12].copy_from_slice(&((meta as i64 + offset) as u32).to_le_bytes());
        ret(0)
    }

    /// `bpf_xdp_adjust_meta` (net/core/filter.c): moves `data_meta` by the offset, keeping
    /// it between the end of the `xdp_frame` and `data` (EINVAL), and the metadata a multiple
    /// of 4 (`xdp_metalen_invalid`: EACCES). 6.18's limit on its length is 255 bytes, more
    /// than the test run's headroom leaves (measured: -216 succeeds, -220 reaches into the
    /// xdp_frame); 6.12's was 32. The test run's buffer supports metadata.
    fn xdp_adjust_meta(
        &mut self,
        a: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        if self.prog_type != ProgType::Xdp {
            return fail("bpf_xdp_adjust_meta needs an XDP context".into());
        }
        let ctx = self.ctx.ctx.ok_or(HostError::Unsupported)?;
        let (data, meta) = {
            let c = &mem.region(ctx).ok_or(HostError::Unsupported)?.data;
            let f = |o: usize| u32::from_le_bytes([c[o], c[o + 1], c[o + 2], c[o + 3]]) as i64;
            (f(0), f(8))
        };
        let new = meta + a[1] as u32 as i32 as i64;
        if new < (LOW_BASE + XDP_FRAME_SIZE) as i64 || new > data {
            return ret(EINVAL);
        }
        let metalen = data - new;
        if metalen % 4 != 0 || metalen > 255 {
            return ret(EACCES);
        }
        let c = &mut mem.region_mut(ctx).ok_or(HostError::Unsupported)?.data;
        c[8..12].copy_from_slice(&(new as u32).to_le_bytes());
        ret(0)
    }

    /// `bpf_xdp_fib_lookup` (net/core/filter.c): the size and flags checks and the address
    /// family; bpfplay's world has no routing table, so a lookup of an IPv4 or IPv6 route is
    /// a run-time error rather than an invented answer.
    fn fib_lookup(&mut self, a: [u64; 5], mem: &mut Memory) -> Result<HelperResult, HostError> {
        const PARAMS_SIZE: u64 = 64; // sizeof(struct bpf_fib_lookup)
        const FLAGS: u64 = 0x1f; // DIRECT | OUTPUT | SKIP_NEIGH | TBID | SRC
        const EAFNOSUPPORT: u64 = (-97i64) as u64;
        let (params, plen, flags) = (a[1], a[2] as u32 as i32 as i64, a[3] as u32 as u64);
        if plen < PARAMS_SIZE as i64 || flags & !FLAGS != 0 {
            return ret(EINVAL);
        }
        let family = read(mem, params, 1, "bpf_fib_lookup params")?[0];
        match family {
            2 | 10 => fail("bpf_fib_lookup: bpfplay models no routing table".into()),
            _ => ret(EAFNOSUPPORT),
        }
    }

    fn tail_call(&mut self, a: [u64; 5]) -> Result<HelperResult, HostError> {
        let m = self.map_index(a[1])?;
        let Some(pa) = self.maps.get(m).and_then(|x| x.prog_array()) else {
            return fail("bpf_tail_call needs a prog_array map".into());
        };
        let index = a[2] as u32;
        // The interpreter's order (kernel/bpf/core.c JMP_TAIL_CALL): range, count, slot.
        if index >= pa.max_entries() || self.tail_calls >= MAX_TAIL_CALL_CNT {
            return Ok(HelperResult::Keep);
        }
        self.tail_calls += 1;
        match pa.get(index) {
            Some(p) if (p as usize) < self.programs => Ok(HelperResult::TailCall(p as usize)),
            _ => Ok(HelperResult::Keep),
        }
    }

    fn ringbuf(
        &mut self,
        id: u32,
        a: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        match id {
            130 | 131 | 134 => {
                let m = self.map_index(a[0])?;
                let map = self.maps.get_mut(m).ok_or(HostError::Unsupported)?;
                if map.kind() != MapKind::Ringbuf {
                    return fail("not a ringbuf map".into());
                }
                let name = map.def.name.clone();
                let rb = map.ringbuf_mut().ok_or(HostError::Unsupported)?;
                match id {
                    130 => {
                        if a[3] & !3 != 0 {
                            return ret(EINVAL);
                        }
                        let data = read(mem, a[1], a[2] as usize, "ringbuf_output data")?;
                        ret(if rb.output(&data) { 0 } else { EAGAIN })
                    }
                    131 => {
                        if a[2] != 0 {
                            return ret(0);
                        }
                        let Some(pos) = rb.reserve(a[1]) else { return ret(0) };
                        let data = rb.read(pos, a[1] as usize);
                        let (rid, base) = mem
                            .add_region(&format!("ringbuf {name} record"), data, true)
                            .ok_or_else(|| HostError::Failed("address space full".into()))?;
                        self.records.insert(rid.0, (m, pos));
                        ret(base)
                    }
                    _ => ret(rb.query(a[1])),
                }
            }
            _ => {
                // 132 submit, 133 discard: the pointer must be a reserved record's start.
                let found = mem
                    .find(a[0])
                    .filter(|&(_, off)| off == 0)
                    .and_then(|(rid, _)| self.records.get(&rid.0).map(|&x| (rid, x)));
                let Some((rid, (m, pos))) = found else {
                    return fail(format!("{:#x} is not a reserved ring buffer record", a[0]));
                };
                self.records.remove(&rid.0);
                let data = mem.kill_region(rid);
                if let Some(rb) = self.maps.get_mut(m).and_then(|x| x.ringbuf_mut()) {
                    rb.write(pos, &data);
                    rb.commit(pos, id == 133);
                }
                ret(0)
            }
        }
    }

    /// The call chain a stack helper sees (`get_perf_callchain`): the kernel's or, with
    /// `BPF_F_USER_STACK`, the user's, at most `max_depth` entries.
    fn callchain(&self, user: bool, max_depth: usize) -> Vec<u64> {
        let s = if user { &self.world.user_stack } else { &self.world.kernel_stack };
        s.iter().copied().take(max_depth).collect()
    }

    /// `bpf_get_stackid` (kernel/bpf/stackmap.c).
    fn get_stackid(&mut self, a: [u64; 5]) -> Result<HelperResult, HostError> {
        use crate::maps::stack_trace::{
            FAST_STACK_CMP, PERF_MAX_STACK, REUSE_STACKID, SKIP_FIELD_MASK, USER_STACK,
        };
        let m = self.map_index(a[1])?;
        let flags = a[2];
        if flags & !(SKIP_FIELD_MASK | USER_STACK | FAST_STACK_CMP | REUSE_STACKID) != 0 {
            return ret(EINVAL);
        }
        let map = self.maps.get(m).ok_or(HostError::Unsupported)?;
        let skip = (flags & SKIP_FIELD_MASK) as usize;
        let depth = (map.def.value_size as usize / 8 + skip).min(PERF_MAX_STACK as usize);
        let trace = self.callchain(flags & USER_STACK != 0, depth);
        if trace.len() <= skip {
            return ret(EFAULT);
        }
        let map = self.maps.get_mut(m).ok_or(HostError::Unsupported)?;
        let st = map.stack_trace_mut().ok_or(HostError::Unsupported)?;
        match st.get_stackid(&trace[skip..], flags) {
            Ok(id) => ret(id as u64),
            Err(e) => ret(e.helper_ret()),
        }
    }

    /// `bpf_get_stack` (kernel/bpf/stackmap.c `__bpf_get_stack`): the addresses into the
    /// buffer, the rest zeroed; the bytes copied, or an error with the whole buffer zeroed.
    fn get_stack(&mut self, a: [u64; 5], mem: &mut Memory) -> Result<HelperResult, HostError> {
        use crate::maps::stack_trace::{PERF_MAX_STACK, SKIP_FIELD_MASK, USER_STACK};
        const USER_BUILD_ID: u64 = 1 << 11;
        let (buf, size, flags) = (a[1], a[2] as usize, a[3]);
        let clear = |mem: &mut Memory, err: u64| -> Result<HelperResult, HostError> {
            write(mem, buf, &alloc::vec![0u8; size], "bpf_get_stack buffer")?;
            ret(err)
        };
        if flags & !(SKIP_FIELD_MASK | USER_STACK | USER_BUILD_ID) != 0 {
            return clear(mem, EINVAL);
        }
        let user = flags & USER_STACK != 0;
        if !user && flags & USER_BUILD_ID != 0 {
            return clear(mem, EINVAL);
        }
        let elem = if flags & USER_BUILD_ID != 0 { 32 } else { 8 };
        if size % elem != 0 {
            return clear(mem, EINVAL);
        }
        let skip = (flags & SKIP_FIELD_MASK) as usize;
        let n = size / elem;
        let trace = self.callchain(user, (n + skip).min(PERF_MAX_STACK as usize));
        if trace.len() < skip {
            return clear(mem, EFAULT);
        }
        let ips: Vec<u64> = trace[skip..].iter().copied().take(n).collect();
        let mut out: Vec<u8> = if elem == 8 {
            ips.iter().flat_map(|ip| ip.to_le_bytes()).collect()
        } else {
            // struct bpf_stack_build_id { s32 status; char build_id[20]; u64 ip; }: no
            // build ids in bpfplay's world, so each is BPF_STACK_BUILD_ID_IP (2) with its ip.
            ips.iter()
                .flat_map(|ip| {
                    let mut e = [0u8; 32];
                    e[0..4].copy_from_slice(&2i32.to_le_bytes());
                    e[24..32].copy_from_slice(&ip.to_le_bytes());
                    e
                })
                .collect()
        };
        let copied = out.len();
        out.resize(size, 0);
        write(mem, buf, &out, "bpf_get_stack buffer")?;
        ret(copied as u64)
    }

    fn perf_event_output(
        &mut self,
        a: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        let m = self.map_index(a[1])?;
        let flags = a[2];
        const INDEX_MASK: u64 = 0xffff_ffff;
        // BPF_F_CTXLEN_MASK: packet bytes to append, for the skb and xdp variants.
        const CTXLEN_MASK: u64 = 0xf_ffff << 32;
        let allowed =
            if self.prog_type.takes_packet() { INDEX_MASK | CTXLEN_MASK } else { INDEX_MASK };
        if flags & !allowed != 0 {
            return ret(EINVAL);
        }
        read(mem, a[3], a[4] as usize, "perf_event_output data")?;
        // __bpf_perf_event_output: the CPU's slot, which holds no perf event in bpfplay's
        // machine (it opens none).
        let index = flags & INDEX_MASK;
        let index = if index == INDEX_MASK { self.cpu as u64 } else { index };
        let max = self.maps.get(m).map_or(0, |x| x.def.max_entries) as u64;
        ret(if index >= max { E2BIG } else { ENOENT })
    }

    /// `bpf_redirect_map` (XDP, net/core/filter.c `__bpf_xdp_redirect_map` through each
    /// kind's `map_redirect`): XDP_REDIRECT when the map has a target at `key` (or, for
    /// device maps, on `BPF_F_BROADCAST`), else the action in the flags' low bits.
    fn redirect_map(&mut self, a: [u64; 5]) -> Result<HelperResult, HostError> {
        const ACTION_MASK: u64 = 3;
        const BROADCAST: u64 = 8;
        const EXCLUDE_INGRESS: u64 = 16;
        let m = self.map_index(a[0])?;
        let (key, flags) = (a[1] as u32, a[2]);
        let Some(map) = self.maps.get(m) else { return ret(XDP_ABORTED) };
        let devices = matches!(map.kind(), MapKind::Devmap | MapKind::DevmapHash);
        let extra = if devices { BROADCAST | EXCLUDE_INGRESS } else { 0 };
        if flags & !(ACTION_MASK | extra) != 0 {
            return ret(XDP_ABORTED);
        }
        if flags & BROADCAST == 0 && !map.redirect_target(key) {
            return ret(flags & ACTION_MASK);
        }
        self.redirect = Some(Redirect { ifindex: key, flags });
        ret(XDP_REDIRECT)
    }
}

/// The memory `%s` and `%pI4` read: the program's memory and the world's.
struct PrintkMem<'a> {
    host: &'a KernelHost,
    mem: &'a Memory,
}

impl PrintkMemory for PrintkMem<'_> {
    fn read_str(&self, addr: u64, kind: StrKind, max: usize) -> Option<Vec<u8>> {
        self.host
            .string_at(self.mem, addr, max + 1, kind)
            .ok()
            .map(|(s, _)| s.into_iter().take(max).collect())
    }
    fn read_kernel(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
        self.host.kernel_bytes(self.mem, addr, len).ok()
    }
    fn hash_ptr(&self, ptr: u64) -> u32 {
        // splitmix64 of the pointer and the world's seed: stable for a world.
        let mut z = ptr ^ self.host.world.prandom_seed.rotate_left(17) ^ 0x9e37_79b9_7f4a_7c15;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as u32
    }
}

impl Host for KernelHost {
    fn call_helper(
        &mut self,
        id: u32,
        a: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        match id {
            1 => self.map_lookup(a, mem),
            2 => self.map_update(a, mem),
            3 => self.map_delete(a, mem),
            87..=89 => self.map_push_pop(id, a, mem),
            4 => self.probe_read(a, mem, StrKind::Auto),
            // ktime_get_ns, ktime_get_boot_ns, ktime_get_coarse_ns
            5 | 125 | 160 => {
                let t = self.clock;
                self.clock = self.clock.wrapping_add(self.world.ktime_step_ns);
                ret(t)
            }
            // bpf_jiffies64: the clock in ticks of CONFIG_HZ=250 (Debian's), read without
            // advancing it.
            118 => ret(self.clock / JIFFY_NS),
            6 => self.trace_printk(a, mem),
            7 => ret(self.rng.next_u32() as u64),
            46 => ret(self.world.socket_cookie),
            27 => self.get_stackid(a),
            67 => self.get_stack(a, mem),
            105 | 106 => {
                let len = a[1] as u32 as usize;
                let buf = read(mem, a[0], len, "strtol buffer")?;
                let (r, v) = super::strtox::strtox(&buf, a[2], id == 105);
                // The result is written on errors too (zeroed), as the verifier assumes.
                room(mem, a[3], 8, "strtol result", true)?;
                write(mem, a[3], &v.to_le_bytes(), "strtol result")?;
                ret(r as u64)
            }
            8 => ret(self.cpu as u64),
            9 => self.skb_store_bytes(a, mem),
            12 => self.tail_call(a),
            14 => ret(((self.world.tgid as u64) << 32) | self.world.pid as u64),
            15 => ret(((self.world.gid as u64) << 32) | self.world.uid as u64),
            16 => {
                let size = a[1] as u32 as usize;
                room(mem, a[0], size, "get_current_comm buffer", true)?;
                let mut buf = vec![0u8; size];
                let comm = self.world.comm.as_bytes();
                let n = comm.len().min(15).min(size.saturating_sub(1));
                buf[..n].copy_from_slice(&comm[..n]);
                write(mem, a[0], &buf, "get_current_comm buffer")?;
                ret(0)
            }
            23 => {
                let (ifindex, flags) = (a[0] as u32, a[1]);
                if self.prog_type == ProgType::Xdp {
                    if flags != 0 {
                        return ret(XDP_ABORTED);
                    }
                    self.redirect = Some(Redirect { ifindex, flags });
                    return ret(XDP_REDIRECT);
                }
                // tc's bpf_redirect: BPF_F_INGRESS only.
                if flags & !1 != 0 {
                    return ret(2); // TC_ACT_SHOT
                }
                self.redirect = Some(Redirect { ifindex, flags });
                ret(7) // TC_ACT_REDIRECT
            }
            25 => self.perf_event_output(a, mem),
            51 => self.redirect_map(a),
            // bpf_sk_release: bpfplay's programs get no sockets but NULL ones.
            86 => ret(0),
            26 => self.skb_load_bytes(a, mem),
            35 => ret(self.world.current_task),
            44 => self.xdp_adjust_head(a, mem),
            54 => self.xdp_adjust_meta(a, mem),
            69 => self.fib_lookup(a, mem),
            45 => self.probe_read_str(a, mem, StrKind::Auto),
            112 => self.probe_read(a, mem, StrKind::User),
            113 => self.probe_read(a, mem, StrKind::Kernel),
            114 => self.probe_read_str(a, mem, StrKind::User),
            115 => self.probe_read_str(a, mem, StrKind::Kernel),
            130..=134 => self.ringbuf(id, a, mem),
            _ => Err(HostError::UnknownHelper),
        }
    }

    fn load_imm64(
        &mut self,
        pseudo: u8,
        imm: i32,
        imm2: i32,
        mem: &mut Memory,
    ) -> Result<u64, HostError> {
        let m = imm as u32 as usize;
        let Some(map) = self.maps.get(m) else {
            return fail(format!("no map {m} (the program refers to map index {m})"));
        };
        match pseudo {
            // BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_IDX
            1 | 5 => self.map_ptr(mem, m),
            // BPF_PSEUDO_MAP_VALUE / BPF_PSEUDO_MAP_IDX_VALUE: element 0 of an array, + off.
            2 | 6 => {
                let off = imm2 as u32 as u64;
                if map.kind() != MapKind::Array || off >= map.def.value_size as u64 {
                    return fail(format!(
                        "map {} has no direct value at offset {off}",
                        map.def.name
                    ));
                }
                Ok(self.array_region(mem, m)? + off)
            }
            _ => Err(HostError::Unsupported),
        }
    }
}
