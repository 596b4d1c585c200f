//! Function frames, stack slots and whole verifier states (`struct bpf_func_state`,
//! `struct bpf_stack_state`, `struct bpf_verifier_state`).

use super::reg::{RegState, RegType};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

pub const MAX_BPF_STACK: i32 = 512;
pub const MAX_CALL_FRAMES: usize = 8;

/// Kind of one stack byte (`enum bpf_stack_slot_type`), with the log's character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SlotType {
    Invalid,
    Spill,
    Misc,
    Zero,
}

impl SlotType {
    pub fn ch(self) -> char {
        match self {
            SlotType::Invalid => '?',
            SlotType::Spill => 'r',
            SlotType::Misc => 'm',
            SlotType::Zero => '0',
        }
    }
}

/// One 8-byte slot. `types[j]` describes the byte at `-(spi*8) - 1 - j` (the kernel's order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StackSlot {
    pub types: [SlotType; 8],
    pub spilled: RegState,
}

impl Default for StackSlot {
    fn default() -> Self {
        StackSlot { types: [SlotType::Invalid; 8], spilled: RegState::not_init() }
    }
}

impl StackSlot {
    pub fn is_spilled_reg(&self) -> bool {
        self.types[7] == SlotType::Spill
    }
    pub fn is_spilled_scalar(&self) -> bool {
        self.is_spilled_reg() && self.spilled.typ == RegType::Scalar
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FuncState {
    pub regs: [RegState; 11],
    /// `allocated_stack / 8` slots; slot `spi` covers fp-(spi+1)*8 .. fp-spi*8-1.
    pub stack: Vec<StackSlot>,
    pub frameno: u8,
    /// Instruction index of the call that created this frame.
    pub callsite: usize,
    /// First instruction of the subprogram.
    pub subprog_start: usize,
    /// `in_callback_fn`: the frame runs a callback (bpf_loop's), whose exit goes back to the
    /// call instruction of the helper that calls it, with R0 in `[0, 1]`.
    pub in_callback_fn: bool,
    /// `callback_depth`: how many iterations of a bpf_loop callback this frame has queued.
    pub callback_depth: u32,
}

impl FuncState {
    pub fn new(frameno: u8, callsite: usize, subprog_start: usize) -> Self {
        let mut regs = [RegState::not_init(); 11];
        let mut fp = RegState::ptr(RegType::Stack);
        fp.frameno = frameno;
        regs[10] = fp;
        FuncState {
            regs,
            stack: Vec::new(),
            frameno,
            callsite,
            subprog_start,
            in_callback_fn: false,
            callback_depth: 0,
        }
    }

    /// `grow_stack_state`: make room for `size` bytes below fp.
    pub fn grow_stack(&mut self, size: i32) {
        let slots = ((size + 7) / 8) as usize;
        if self.stack.len() < slots {
            self.stack.resize(slots, StackSlot::default());
        }
    }

    pub fn allocated_stack(&self) -> i32 {
        self.stack.len() as i32 * 8
    }
}

/// One processed instruction of a path segment (since the state's parent checkpoint): the
/// kernel's `struct bpf_jmp_history_entry`, kept in `bpf_verifier_state.jmp_history`.
/// `stack` is the (frame, slot) a load or store went to, where it went to the stack at a
/// constant offset (the kernel's `INSN_F_STACK_ACCESS` flag with its frame and slot).
///
/// The kernel records only jump targets, call returns and stack accesses and finds the
/// other instructions by counting back; bpfplay records every instruction, which
/// precise.rs walks backwards, and counts the kernel's entries where their number matters
/// (`VState::jmp_history_cnt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hist {
    pub idx: u32,
    pub prev: u32,
    pub stack: Option<(u8, u8)>,
}

/// An acquired reference (ringbuf reservations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ref {
    pub id: u32,
    pub insn_idx: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VState {
    pub frames: Vec<FuncState>,
    pub refs: Vec<Ref>,
    /// The checkpoint this path descends from (an index into the explored-state arena).
    pub parent: Option<usize>,
    pub speculative: bool,
    /// The instructions processed since the parent checkpoint (for precision backtracking).
    pub hist: Vec<Hist>,
    pub first_insn: usize,
    pub last_insn: usize,
    /// `may_goto_depth`: how many `may_goto` fall-throughs this path has taken (each one is
    /// queued with the count one higher than the state that reached the instruction).
    pub may_goto_depth: u32,
    /// `dfs_depth`: how many checkpoints this path has passed (find_prev_entry compares it).
    pub dfs_depth: u32,
    /// `callback_unroll_depth`: callback iterations queued on the way here.
    pub callback_unroll_depth: u32,
}

impl VState {
    /// `frame_insn_idx`: where frame `f` stands, `insn` for the innermost frame and the call
    /// instruction for a caller (liveness of a caller's registers is read there).
    pub fn frame_insn(&self, f: usize, insn: usize) -> usize {
        if f + 1 == self.frames.len() {
            insn
        } else {
            self.frames[f + 1].callsite
        }
    }
    pub fn cur(&self) -> &FuncState {
        self.frames.last().expect("a state always has a frame")
    }
    pub fn cur_mut(&mut self) -> &mut FuncState {
        self.frames.last_mut().expect("a state always has a frame")
    }
    pub fn curframe(&self) -> usize {
        self.frames.len() - 1
    }

    /// `push_jmp_history`: instruction `idx`, reached from `prev`, joins the history.
    pub(crate) fn push_hist(&mut self, idx: usize, prev: usize) {
        self.hist.push(Hist { idx: idx as u32, prev: prev as u32, stack: None });
    }

    /// `INSN_F_STACK_ACCESS`: the history entry of the instruction being processed records
    /// the stack slot it went to (slots past 64 are not tracked).
    pub(crate) fn note_stack_access(&mut self, frameno: usize, spi: usize) {
        if let Some(h) = self.hist.last_mut() {
            if spi < 64 {
                h.stack = Some((frameno as u8, spi as u8));
            }
        }
    }

    /// `jmp_history_cnt`: how many entries the kernel's history would hold, i.e. the
    /// stack accesses and the instructions that are `jmp_point`s (jump targets and call
    /// returns, from check_cfg).
    pub(crate) fn jmp_history_cnt(&self, jmp_point: impl Fn(usize) -> bool) -> usize {
        self.hist.iter().filter(|h| h.stack.is_some() || jmp_point(h.idx as usize)).count()
    }

    /// `clear_jmp_history`: a new checkpoint starts a new segment.
    pub(crate) fn clear_hist(&mut self) {
        self.hist.clear();
    }
}

/// An explored state kept for pruning, with its counters (the kernel's
/// `struct bpf_verifier_state_list`; `branches` is `bpf_verifier_state.branches`).
pub(crate) struct Checkpoint {
    pub st: VState,
    /// The instruction it was made at.
    pub insn: usize,
    pub branches: u32,
    pub hit: u32,
    pub miss: u32,
    pub alive: bool,
    /// Evicted and no longer counted among the states held.
    pub freed: bool,
    /// Every scalar here was marked precise by `mark_all`, and so were its ancestors.
    pub all_precise: bool,
}

/// Every checkpoint of the walk (`env->explored_states`): an arena the states' `parent`
/// indices point into, the live ones by instruction, and the counts the log's last line
/// prints.
#[derive(Default)]
pub(crate) struct Explored {
    pub arena: Vec<Checkpoint>,
    pub by_insn: BTreeMap<usize, Vec<usize>>,
    pub total: u32,
    pub peak: u32,
    pub live: u32,
    pub max_per_insn: u32,
    /// Loop visits (scc.rs) and the backedge states they hold.
    pub scc_visits: Vec<super::scc::Visit>,
    pub num_backedges: u32,
}

impl Explored {
    pub fn add_branch(&mut self, p: usize) {
        self.arena[p].branches += 1;
    }
    /// `update_peak_states`: the most states held at once, counting backedges.
    pub fn update_peak(&mut self) {
        self.peak = self.peak.max(self.live + self.num_backedges);
    }
    pub fn stats(&self) -> (u32, u32, u32) {
        (self.max_per_insn, self.total, self.peak)
    }
}
