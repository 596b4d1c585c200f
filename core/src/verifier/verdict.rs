//! What `verify` answers: the verdict, the first error, the counts, the log and the trace
//! (the public result types, re-exported by `verifier`).

use super::cfg;
use super::state::FuncState;
use alloc::string::String;
use alloc::vec::Vec;

/// A rejection: the first error line (the kernel's words) and the instruction it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VerifyError {
    /// The instruction the error is about (None when `bpf()` refused the whole program).
    pub insn: Option<usize>,
    pub message: String,
    /// The errno the kernel's BPF_PROG_LOAD returns (EACCES 13, EINVAL 22, E2BIG 7, ...).
    pub errno: i32,
    /// Which stage refused the program.
    pub kind: ErrorKind,
}

/// The stage of `bpf_check` that refused a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ErrorKind {
    /// `bpf(BPF_PROG_LOAD)` refused it before the verifier ran (size, capabilities): no log.
    Refused,
    /// A check of the program's shape before the walk (subprograms, `check_cfg`).
    Cfg(cfg::CfgError),
    /// An instruction's encoding, opcode or map reference (`resolve_pseudo_ldimm64`).
    Insn,
    /// The path walk (`do_check`).
    Walk,
    /// The combined stack size of a call chain, checked after the walk.
    StackDepth,
    /// An instruction rewrite after the walk (`do_misc_fixups`) that cannot be done.
    Fixup,
}

/// A byte range of [`Verdict::log`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogSpan {
    pub start: usize,
    pub end: usize,
}

/// One processed instruction of the walk, for the UI's stepper.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Step {
    pub insn: usize,
    /// The frame's registers and stack after the instruction (before it, for the failing one).
    pub frame: FuncState,
    pub frameno: usize,
    /// What the log printed for this step: its instruction's line (or `N: safe` for a pruned
    /// path) and the state printed after it. None where the log does not hold it (level 0,
    /// a dropped path at level 1, an accepted program at level 1, the log's dropped head).
    pub log: Option<LogSpan>,
    /// A branch whose other side was queued: (from, to).
    pub pushed: Option<(usize, usize)>,
    /// This step resumed a queued branch: (from, to).
    pub popped: Option<(usize, usize)>,
    /// The path ended here as equivalent to an explored state.
    pub pruned: bool,
    /// The path ended here (an exit of the main program, or a speculative path's end).
    pub exited: bool,
}

/// The walk step by step, for a stepper.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Trace {
    /// The state the walk starts from (R1 = ctx, R10 = fp), before instruction 0.
    pub initial: Option<FuncState>,
    /// At most [`TRACE_LIMIT`](super::TRACE_LIMIT) steps, in walk order.
    pub steps: Vec<Step>,
    /// Was every step recorded (the walk was at most [`TRACE_LIMIT`](super::TRACE_LIMIT) steps long)?
    pub complete: bool,
}

/// What the verifier says about a program: the verdict, the log, and the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Verdict {
    pub accepted: bool,
    pub error: Option<VerifyError>,
    pub processed: u64,
    pub max_states_per_insn: u32,
    pub total_states: u32,
    pub peak_states: u32,
    pub log: String,
    /// Empty unless [`Options::trace`](super::Options::trace) asked for it.
    pub trace: Trace,
}
