//! The virtual address space of a run and its checked accesses.
//!
//! A program never sees a host address. Each region it may touch lives in its own 4 GiB slot
//! of a 64-bit virtual space: the address's high 32 bits select the slot, the low 32 bits are
//! the offset, so translation is a shift, one table lookup and one bounds check.
//!
//! | slot | base | region |
//! |---|---|---|
//! | 0 | `0x0` | unmapped (null pointers and small integers fault) |
//! | 1 | [`STACK_BASE`] | the call stack: [`MAX_FRAMES`] frames of [`FRAME_SIZE`] bytes |
//! | 2 | [`INPUT_BASE`] | the input memory (context, packet) |
//! | 3.. | `slot << 32` | regions the caller adds ([`Memory::add_region`]): map values... |
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
            regions: vec![Region { name: "input".into(), base: INPUT_BASE, data: Vec::new(), writable: true }],
            packet: RegionId::INPUT,
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
    pub fn add_region(&mut self, name: &str, data: Vec<u8>, writable: bool) -> Option<(RegionId, u64)> {
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
        self.zero_frame(0);
    }

    /// Makes frame `depth` live and zeroes it; false when the stack is full.
    pub(crate) fn push_frame(&mut self) -> bool {
        if self.depth >= MAX_FRAMES {
            return false;
        }
        self.zero_frame(self.depth);
        self.depth += 1;
        true
    }

    pub(crate) fn pop_frame(&mut self) {
        if self.depth > 1 {
            self.depth -= 1;
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
            if off < STACK_SIZE - self.depth * FRAME_SIZE {
                return None;
            }
            return self.stack.get(off..end);
        }
        let idx = usize::try_from(slot.wrapping_sub(INPUT_SLOT)).ok()?;
        self.regions.get(idx)?.data.get(off..end)
    }

    /// The `len` bytes at `addr` for writing, when they lie in one writable region.
    #[inline(always)]
    pub fn slice_mut(&mut self, addr: u64, len: usize) -> Option<&mut [u8]> {
        let slot = addr >> SLOT_SHIFT;
        let off = (addr & OFFSET_MASK) as usize;
        let end = off.checked_add(len)?;
        if slot == STACK_SLOT {
            if off < STACK_SIZE - self.depth * FRAME_SIZE {
                return None;
            }
            return self.stack.get_mut(off..end);
        }
        let idx = usize::try_from(slot.wrapping_sub(INPUT_SLOT)).ok()?;
        let r = self.regions.get_mut(idx)?;
        if !r.writable {
            return None;
        }
        r.data.get_mut(off..end)
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
        let idx = usize::try_from(slot.wrapping_sub(INPUT_SLOT)).ok()?;
        let r = self.regions.get(idx)?;
        Some(alloc::format!("{}+{} (size {})", r.name, off, r.data.len()))
    }
}
