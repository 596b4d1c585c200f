//! The virtual address space of a run and its checked accesses.
//!
//! A program never sees a host address. Each region it may touch lives in its own 4 GiB slot
//! of a 64-bit virtual space: the address's high 32 bits select the slot, the low 32 bits are
//! the offset, so translation is a shift, one table lookup and one bounds check.
//!
//! | slot | base | region |
//! |---|---|---|
//! | 0 | `0x0` | unmapped (null pointers and small integers fault), except for the optional "low" region at [`LOW_BASE`] |
//! | 1 | [`STACK_BASE`] | the call stack: [`MAX_FRAMES`] frames of [`FRAME_SIZE`] bytes |
//! | 2 | [`INPUT_BASE`] | the input memory (context, packet) |
//! | 3.. | `slot << 32` | regions the caller adds ([`Memory::add_region`]): map values... |
//!
//! The low region ([`Memory::set_low_region`]) exists for contexts that hand out 32-bit
//! pointers: the kernel rewrites `xdp_md->data` (a `u32` field) into a 64-bit load, bpfplay
//! instead keeps the XDP packet below 4 GiB so that the 32-bit load gives the whole pointer.
//!
//! The stack grows down: frame 0 (the entry function) ends at [`STACK_TOP`], frame `k` ends
//! `k * FRAME_SIZE` bytes lower. Only the frames that are live (the current one and its
//! callers) are accessible; a callee may use a pointer into a caller's frame.

use crate::isa::Size;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// Bytes of stack per frame (the kernel's `MAX_BPF_STACK`).
pub const FRAME_SIZE: usize = 512;
/// Frames at most: the entry function and 7 nested bpf-to-bpf calls (`MAX_CALL_FRAMES`).
pub const MAX_FRAMES: usize = 8;
/// Bytes of the whole stack region.
pub const STACK_SIZE: usize = FRAME_SIZE * MAX_FRAMES;

const SLOT_SHIFT: u32 = 32;
const OFFSET_MASK: u64 = (1 << SLOT_SHIFT) - 1;
const STACK_SLOT: u64 = 1;
const INPUT_SLOT: u64 = 2;

/// Lowest address of the stack region.
pub const STACK_BASE: u64 = STACK_SLOT << SLOT_SHIFT;
/// `r10` of the entry frame: one past the highest stack byte.
pub const STACK_TOP: u64 = STACK_BASE + STACK_SIZE as u64;
/// Address of the first byte of the input memory.
pub const INPUT_BASE: u64 = INPUT_SLOT << SLOT_SHIFT;
/// Largest region (a slot is 4 GiB).
pub const MAX_REGION_LEN: usize = OFFSET_MASK as usize;
/// Address of the first byte of the low region (see [`Memory::set_low_region`]).
pub const LOW_BASE: u64 = 0x1000_0000;
/// Largest low region: it ends below 4 GiB.
pub const MAX_LOW_LEN: usize = (OFFSET_MASK - LOW_BASE) as usize;

/// A region's handle: 0 is the input memory, others come from [`Memory::add_region`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionId(pub u32);

impl RegionId {
    pub const INPUT: RegionId = RegionId(0);
}

/// A block of memory the program may touch, at a fixed virtual base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    pub base: u64,
    pub data: Vec<u8>,
    pub writable: bool,
}

/// An access outside every region (the interpreter adds the instruction index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessError {
    pub addr: u64,
    pub size: u8,
    pub write: bool,
}

/// The stack and the regions of one virtual machine.
#[derive(Clone, Debug)]
pub struct Memory {
    stack: Vec<u8>,
    /// Live frames (1 while the entry function runs).
    depth: usize,
    /// `regions[0]` is the input memory.
    regions: Vec<Region>,
    /// The region `LD_ABS`/`LD_IND` read (the input memory unless set otherwise).
    packet: RegionId,
    /// The link-layer header in front of the packet region, which `LD_ABS`/`LD_IND` reach
    /// with offsets from `SKF_LL_OFF` (a socket filter's Ethernet header).
    link_header: Vec<u8>,
    /// Lowest accessible stack offset: `STACK_SIZE - depth * FRAME_SIZE`.
    stack_lo: usize,
    /// Index of the region mapped at [`LOW_BASE`], if any.
    low: Option<usize>,
}

impl Default for Memory {
    fn default() -> Self {
        Memory::new()
    }
}

impl Memory {
    pub fn new() -> Memory {
        Memory {
            stack: vec![0; STACK_SIZE],
            depth: 1,
            regions: vec![Region {
                name: "input".into(),
                base: INPUT_BASE,
                data: Vec::new(),
                writable: true,
            }],
            packet: RegionId::INPUT,
            link_header: Vec::new(),
            stack_lo: STACK_SIZE - FRAME_SIZE,
            low: None,
        }
    }

    /// Replaces the input memory (reusing its allocation).
    pub fn set_input(&mut self, data: &[u8]) {
        let r = &mut self.regions[0];
        r.data.clear();
        r.data.extend_from_slice(data);
    }

    /// Sets whether the program may write its input memory (it may by default).
    pub fn set_input_writable(&mut self, writable: bool) {
        self.regions[0].writable = writable;
    }

    pub fn input(&self) -> &[u8] {
        &self.regions[0].data
    }

    /// Adds a region; returns its id and its virtual base address. `None` when the region is
    /// larger than 4 GiB or the address space is full.
    pub fn add_region(
        &mut self,
        name: &str,
        data: Vec<u8>,
        writable: bool,
    ) -> Option<(RegionId, u64)> {
        if data.len() > MAX_REGION_LEN {
            return None;
        }
        let id = u32::try_from(self.regions.len()).ok()?;
        let slot = INPUT_SLOT.checked_add(id as u64)?;
        if slot > u32::MAX as u64 {
            return None;
        }
        let base = slot << SLOT_SHIFT;
        self.regions.push(Region { name: name.into(), base, data, writable });
        Some((RegionId(id), base))
    }

    /// Drops every region added with [`Memory::add_region`] (the input memory stays).
    pub fn clear_regions(&mut self) {
        self.regions.truncate(1);
        self.packet = RegionId::INPUT;
        self.link_header.clear();
        self.low = None;
    }

    /// Maps region `id` (not the input memory) at [`LOW_BASE`] instead of its own slot, so
    /// that its addresses fit in 32 bits; returns the new base. `None` when the region is
    /// too large or does not exist. A previous low region goes back to its own slot.
    pub fn set_low_region(&mut self, id: RegionId) -> Option<u64> {
        let i = id.0 as usize;
        if i == 0 || self.regions.get(i)?.data.len() > MAX_LOW_LEN {
            return None;
        }
        if let Some(old) = self.low.replace(i) {
            self.regions[old].base = (INPUT_SLOT + old as u64) << SLOT_SHIFT;
        }
        self.regions[i].base = LOW_BASE;
        Some(LOW_BASE)
    }

    /// Makes a region unreachable (a deleted map element, a submitted ring-buffer record):
    /// its bytes are dropped and every later access faults. Returns the bytes it had.
    pub fn kill_region(&mut self, id: RegionId) -> Vec<u8> {
        match self.regions.get_mut(id.0 as usize) {
            Some(r) if id.0 != 0 => {
                r.writable = false;
                core::mem::take(&mut r.data)
            }
            _ => Vec::new(),
        }
    }

    /// The region that contains `addr` and the offset of `addr` in it.
    pub fn find(&self, addr: u64) -> Option<(RegionId, usize)> {
        let slot = addr >> SLOT_SHIFT;
        let off = addr & OFFSET_MASK;
        if slot == 0 {
            let i = self.low?;
            let o = usize::try_from(off.checked_sub(LOW_BASE)?).ok()?;
            return (o < self.regions[i].data.len()).then_some((RegionId(i as u32), o));
        }
        let idx = usize::try_from(slot.checked_sub(INPUT_SLOT)?).ok()?;
        if Some(idx) == self.low {
            return None;
        }
        let o = off as usize;
        (o < self.regions.get(idx)?.data.len()).then_some((RegionId(idx as u32), o))
    }

    pub fn region(&self, id: RegionId) -> Option<&Region> {
        self.regions.get(id.0 as usize)
    }

    pub fn region_mut(&mut self, id: RegionId) -> Option<&mut Region> {
        self.regions.get_mut(id.0 as usize)
    }

    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Chooses the region that `LD_ABS`/`LD_IND` read.
    pub fn set_packet(&mut self, id: RegionId) {
        self.packet = id;
    }

    /// Sets the link-layer header in front of the packet region ([`Memory::link_header`]).
    pub fn set_link_header(&mut self, bytes: &[u8]) {
        self.link_header.clear();
        self.link_header.extend_from_slice(bytes);
    }

    /// The link-layer header in front of the packet region (empty if none was set).
    pub fn link_header(&self) -> &[u8] {
        &self.link_header
    }

    /// The bytes of the packet region (empty when it does not exist).
    pub fn packet(&self) -> &[u8] {
        self.regions.get(self.packet.0 as usize).map(|r| r.data.as_slice()).unwrap_or(&[])
    }

    /// The whole stack region, lowest address first (`STACK_BASE`).
    pub fn stack(&self) -> &[u8] {
        &self.stack
    }

    /// The 512 bytes of frame `k` (0 is the entry function), lowest address first.
    pub fn frame_stack(&self, k: usize) -> Option<&[u8]> {
        if k >= MAX_FRAMES {
            return None;
        }
        let end = STACK_SIZE - k * FRAME_SIZE;
        self.stack.get(end - FRAME_SIZE..end)
    }

    /// `r10` of frame `k`.
    pub const fn frame_pointer(k: usize) -> u64 {
        STACK_TOP - (k * FRAME_SIZE) as u64
    }

    /// Live frames.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Starts a run: one live frame, zeroed.
    pub(crate) fn reset_stack(&mut self) {
        self.depth = 1;
        self.stack_lo = STACK_SIZE - FRAME_SIZE;
        self.zero_frame(0);
    }

    /// Makes frame `depth` live and zeroes it; false when the stack is full.
    pub(crate) fn push_frame(&mut self) -> bool {
        if self.depth >= MAX_FRAMES {
            return false;
        }
        self.zero_frame(self.depth);
        self.depth += 1;
        self.stack_lo = STACK_SIZE - self.depth * FRAME_SIZE;
        true
    }

    pub(crate) fn pop_frame(&mut self) {
        if self.depth > 1 {
            self.depth -= 1;
            self.stack_lo = STACK_SIZE - self.depth * FRAME_SIZE;
        }
    }

    fn zero_frame(&mut self, k: usize) {
        let end = STACK_SIZE - k * FRAME_SIZE;
        if let Some(s) = self.stack.get_mut(end - FRAME_SIZE..end) {
            s.fill(0);
        }
    }

    /// The `len` bytes at `addr`, when they all lie in one region.
    #[inline(always)]
    pub fn slice(&self, addr: u64, len: usize) -> Option<&[u8]> {
        let slot = addr >> SLOT_SHIFT;
        let off = (addr & OFFSET_MASK) as usize;
        let end = off.checked_add(len)?;
        if slot == STACK_SLOT {
            if off < self.stack_lo {
                return None;
            }
            return self.stack.get(off..end);
        }
        let (idx, off, end) = self.locate(slot, off, end)?;
        self.regions.get(idx)?.data.get(off..end)
    }

    /// Region index and offsets of a non-stack access.
    #[inline(always)]
    fn locate(&self, slot: u64, off: usize, end: usize) -> Option<(usize, usize, usize)> {
        if slot == 0 {
            let i = self.low?;
            let o = off.checked_sub(LOW_BASE as usize)?;
            return Some((i, o, end - LOW_BASE as usize));
        }
        let idx = usize::try_from(slot.wrapping_sub(INPUT_SLOT)).ok()?;
        if self.low == Some(idx) {
            return None;
        }
        Some((idx, off, end))
    }

    /// The `len` bytes at `addr` for writing, when they lie in one writable region.
    #[inline(always)]
    pub fn slice_mut(&mut self, addr: u64, len: usize) -> Option<&mut [u8]> {
        let slot = addr >> SLOT_SHIFT;
        let off = (addr & OFFSET_MASK) as usize;
        let end = off.checked_add(len)?;
        if slot == STACK_SLOT {
            if off < self.stack_lo {
                return None;
            }
            return self.stack.get_mut(off..end);
        }
        let (idx, off, end) = self.locate(slot, off, end)?;
        let r = self.regions.get_mut(idx)?;
        if !r.writable {
            return None;
        }
        r.data.get_mut(off..end)
    }

    /// `N` bytes at `addr` (the interpreter's loads).
    #[inline(always)]
    pub(crate) fn get<const N: usize>(&self, addr: u64) -> Option<[u8; N]> {
        let slot = addr >> SLOT_SHIFT;
        let off = (addr & OFFSET_MASK) as usize;
        if slot == STACK_SLOT && off >= self.stack_lo {
            return self.stack.get(off..off.checked_add(N)?)?.try_into().ok();
        }
        self.slice(addr, N)?.try_into().ok()
    }

    /// Writes `N` bytes at `addr` (the interpreter's stores); false when not writable there.
    #[inline(always)]
    pub(crate) fn put<const N: usize>(&mut self, addr: u64, v: [u8; N]) -> bool {
        let slot = addr >> SLOT_SHIFT;
        let off = (addr & OFFSET_MASK) as usize;
        if slot == STACK_SLOT && off >= self.stack_lo {
            if let Some(s) = off.checked_add(N).and_then(|end| self.stack.get_mut(off..end)) {
                s.copy_from_slice(&v);
                return true;
            }
            return false;
        }
        match self.slice_mut(addr, N) {
            Some(s) => {
                s.copy_from_slice(&v);
                true
            }
            None => false,
        }
    }

    /// Loads a little-endian value of `size` bytes, zero-extended.
    #[inline(always)]
    pub fn load(&self, addr: u64, size: Size) -> Result<u64, AccessError> {
        let err = AccessError { addr, size: size.bytes() as u8, write: false };
        let s = self.slice(addr, size.bytes()).ok_or(err)?;
        Ok(match *s {
            [a] => a as u64,
            [a, b] => u16::from_le_bytes([a, b]) as u64,
            [a, b, c, d] => u32::from_le_bytes([a, b, c, d]) as u64,
            [a, b, c, d, e, f, g, h] => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
            _ => return Err(err),
        })
    }

    /// Stores the low `size` bytes of `value`, little-endian.
    #[inline(always)]
    pub fn store(&mut self, addr: u64, size: Size, value: u64) -> Result<(), AccessError> {
        let n = size.bytes();
        let s = self.slice_mut(addr, n).ok_or(AccessError { addr, size: n as u8, write: true })?;
        s.copy_from_slice(&value.to_le_bytes()[..n]);
        Ok(())
    }

    /// Copies `out.len()` bytes from `addr` (for helpers).
    pub fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), AccessError> {
        let err = AccessError { addr, size: out.len().min(255) as u8, write: false };
        out.copy_from_slice(self.slice(addr, out.len()).ok_or(err)?);
        Ok(())
    }

    /// Copies `data` to `addr` (for helpers).
    pub fn write(&mut self, addr: u64, data: &[u8]) -> Result<(), AccessError> {
        let err = AccessError { addr, size: data.len().min(255) as u8, write: true };
        self.slice_mut(addr, data.len()).ok_or(err)?.copy_from_slice(data);
        Ok(())
    }

    /// Where `addr` points, for messages: `"stack"`, `"input+4"`, or `None` when unmapped.
    pub fn describe(&self, addr: u64) -> Option<String> {
        let slot = addr >> SLOT_SHIFT;
        let off = addr & OFFSET_MASK;
        if slot == STACK_SLOT {
            let from_top = STACK_SIZE as i64 - off as i64;
            return Some(alloc::format!("stack (r10 of frame 0 - {from_top})"));
        }
        let (idx, off, _) = self.locate(slot, off as usize, off as usize)?;
        let r = self.regions.get(idx)?;
        Some(alloc::format!("{}+{} (size {})", r.name, off, r.data.len()))
    }
}
