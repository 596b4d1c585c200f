//! Typed errors of the interpreter: every way a run can end other than `exit`.

use alloc::string::String;
use core::fmt;

/// Why a run stopped abnormally; `pc` is the index (slot) of the faulting instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmError {
    pub pc: usize,
    pub kind: VmErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VmErrorKind {
    /// A load, store or atomic outside every region the program may touch.
    MemoryAccess { addr: u64, size: u8, write: bool },
    /// The instruction budget ran out (a runaway loop, or a budget set too low).
    BudgetExhausted { limit: u64 },
    /// A jump, a local call or the end of a straight-line run left the program.
    PcOutOfBounds { target: i64 },
    /// The second slot of an `LD_IMM64` was reached by a jump.
    JumpIntoLdImm64,
    /// A bpf-to-bpf call beyond the frame limit.
    CallDepthExceeded { max: usize },
    /// A helper id the host does not provide (`callx` may give ids beyond 32 bits).
    UnknownHelper { id: u64 },
    /// A helper refused its arguments.
    HelperFailed { id: u32, message: String },
    /// A kernel-function call (`call` with `src_reg` 2): not supported by the host.
    UnsupportedKfunc { btf_id: i32 },
    /// An `LD_IMM64` with a pseudo source (map reference...) that the host could not resolve.
    UnresolvedLdImm64 { pseudo: u8, imm: i32, message: String },
    /// A register number above 10 in the program (found when the program is loaded).
    InvalidRegister { reg: u8 },
}

impl fmt::Display for VmErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VmErrorKind::MemoryAccess { addr, size, write } => write!(
                f,
                "invalid memory access: {} of {} byte{} at {:#x}",
                if *write { "write" } else { "read" },
                size,
                if *size == 1 { "" } else { "s" },
                addr
            ),
            VmErrorKind::BudgetExhausted { limit } => {
                write!(f, "instruction budget exhausted ({limit} instructions executed)")
            }
            VmErrorKind::PcOutOfBounds { target } => {
                write!(f, "control left the program (next instruction would be {target})")
            }
            VmErrorKind::JumpIntoLdImm64 => write!(f, "jump into the second slot of lddw"),
            VmErrorKind::CallDepthExceeded { max } => {
                write!(f, "call depth exceeded (at most {max} frames)")
            }
            VmErrorKind::UnknownHelper { id } => write!(f, "unknown helper {id}"),
            VmErrorKind::HelperFailed { id, message } => write!(f, "helper {id} failed: {message}"),
            VmErrorKind::UnsupportedKfunc { btf_id } => {
                write!(f, "kernel function calls are not supported (btf id {btf_id})")
            }
            VmErrorKind::UnresolvedLdImm64 { pseudo, imm, message } => {
                write!(f, "cannot resolve lddw with pseudo source {pseudo} (imm {imm}): {message}")
            }
            VmErrorKind::InvalidRegister { reg } => write!(f, "invalid register r{reg}"),
        }
    }
}

impl fmt::Display for VmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "insn {}: {}", self.pc, self.kind)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for VmError {}

/// What a [`Host`](super::Host) reports when it cannot do what the program asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostError {
    /// No such helper.
    UnknownHelper,
    /// The host does not support this kind of request at all.
    Unsupported,
    /// The request was understood but refused.
    Failed(String),
}
