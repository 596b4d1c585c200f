//! The interpreter: RFC 9669 semantics over a typed [`Program`], with every memory access
//! checked against a virtual address space (`memory`) and an instruction budget.
//!
//! ```
//! use bpfplay_core::{assemble, vm::{Vm, NoHost}};
//! let prog = assemble("mov %r0, 7\nadd %r0, %r2\nexit").unwrap().program;
//! let mut vm = Vm::new(prog).unwrap();
//! vm.set_input(&[1, 2, 3]);
//! assert_eq!(vm.run(&mut NoHost), Ok(10)); // r2 holds the input length
//! ```
//!
//! Run convention: `r1` = address of the input memory (0 when it is empty), `r2` = its length,
//! `r10` = top of the entry frame's stack, every other register 0.
//!
//! For a single-stepping UI: [`Vm::start`], then [`Vm::step`] until it returns
//! [`Step::Exited`]; between steps [`Vm::regs`], [`Vm::pc`], [`Vm::frames`] and
//! [`Vm::memory`] (`frame_stack`) show the whole machine.

mod error;
mod exec;
pub(crate) mod memory;
mod ops;
#[cfg(test)]
mod tests;

pub use error::{HostError, VmError, VmErrorKind};
pub use memory::{
    AccessError, Memory, Region, RegionId, FRAME_SIZE, INPUT_BASE, LOW_BASE, MAX_FRAMES,
    STACK_BASE, STACK_TOP,
};

use crate::isa::{Insn, Operand, Program};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Instructions a run may execute unless configured otherwise.
pub const DEFAULT_BUDGET: u64 = 1_000_000;

/// What a helper call does to the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelperResult {
    /// Continue with this value in `r0`.
    Return(u64),
    /// End the whole program now with this `r0` (uBPF's "unwind").
    Exit(u64),
    /// Continue and leave `r0` as it is (a tail call that did not happen: the kernel's
    /// `BPF_TAIL_CALL` does not touch `r0` when it falls through).
    Keep,
    /// Continue in program `k` of the machine ([`Vm::add_program`]) at its first instruction,
    /// with the registers and the stack frame as they are (a tail call).
    TailCall(usize),
}

/// The environment a program runs in: its helpers and the resolution of map references.
pub trait Host {
    /// Calls helper `id` with `r1`..`r5`.
    fn call_helper(
        &mut self,
        id: u32,
        args: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError>;

    /// Gives the value of an `LD_IMM64` whose `src_reg` (`pseudo`) is not 0: a map's address
    /// or a map value's address (the host registers the region in `mem`).
    fn load_imm64(
        &mut self,
        pseudo: u8,
        imm: i32,
        imm2: i32,
        mem: &mut Memory,
    ) -> Result<u64, HostError> {
        let _ = (pseudo, imm, imm2, mem);
        Err(HostError::Unsupported)
    }

    /// Calls a kernel function by BTF id (`call` with `src_reg` 2).
    fn call_kfunc(
        &mut self,
        btf_id: i32,
        args: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        let _ = (btf_id, args, mem);
        Err(HostError::Unsupported)
    }
}

/// A host without helpers or maps.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHost;

impl Host for NoHost {
    fn call_helper(
        &mut self,
        _id: u32,
        _args: [u64; 5],
        _mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        Err(HostError::UnknownHelper)
    }
}

/// A helper implementation for [`HelperTable`].
pub type HelperFn = Box<dyn FnMut([u64; 5], &mut Memory) -> Result<HelperResult, HostError>>;

/// A host made of helper functions registered by id.
#[derive(Default)]
pub struct HelperTable {
    helpers: Vec<Option<HelperFn>>,
}

impl HelperTable {
    pub fn new() -> Self {
        HelperTable { helpers: Vec::new() }
    }

    /// Registers (or replaces) helper `id`.
    pub fn register(&mut self, id: u32, f: HelperFn) -> &mut Self {
        let i = id as usize;
        if self.helpers.len() <= i {
            self.helpers.resize_with(i + 1, || None);
        }
        self.helpers[i] = Some(f);
        self
    }

    pub fn contains(&self, id: u32) -> bool {
        matches!(self.helpers.get(id as usize), Some(Some(_)))
    }
}

impl Host for HelperTable {
    fn call_helper(
        &mut self,
        id: u32,
        args: [u64; 5],
        mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        match self.helpers.get_mut(id as usize) {
            Some(Some(f)) => f(args, mem),
            _ => Err(HostError::UnknownHelper),
        }
    }
}

/// Limits of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Instructions a run may execute before it ends with [`VmErrorKind::BudgetExhausted`].
    pub budget: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config { budget: DEFAULT_BUDGET }
    }
}

/// A caller's state saved by a bpf-to-bpf call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// Where `exit` of the callee resumes.
    pub return_pc: usize,
    /// The caller's `r6`..`r9`.
    pub saved: [u64; 4],
    /// The caller's `r10`.
    pub saved_fp: u64,
    /// The program the caller runs (0 unless a tail call changed it).
    pub prog: usize,
    /// A bpf_loop calling its callback from this frame: the iteration running, the count,
    /// the callback's first instruction and its context argument.
    pub bpf_loop: Option<LoopCall>,
}

/// One bpf_loop call in progress (kernel/bpf/bpf_iter.c `bpf_loop`: the callback gets the
/// index and the context; a non-zero return stops the loop, which returns the iterations
/// made).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopCall {
    pub i: u64,
    pub n: u64,
    pub target: usize,
    pub ctx: u64,
}

/// A program of the machine in both forms: as decoded, and as the interpreter runs it.
#[derive(Clone, Debug)]
struct Loaded {
    insns: Vec<Insn>,
    ops: Vec<ops::Op>,
}

impl Loaded {
    fn new(program: Program) -> Result<Loaded, VmError> {
        for (pc, insn) in program.insns.iter().enumerate() {
            if let Some(reg) = bad_register(insn) {
                return Err(VmError { pc, kind: VmErrorKind::InvalidRegister { reg } });
            }
        }
        let ops = ops::translate(&program.insns);
        Ok(Loaded { insns: program.insns, ops })
    }
}

/// Where a machine is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not started (or reset by a new input).
    Ready,
    Running,
    Exited(u64),
    Faulted(VmError),
}

/// The outcome of one [`Vm::step`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// An instruction ran; the machine waits at [`Vm::pc`].
    Continue,
    /// The program ended with this `r0`.
    Exited(u64),
}

/// `BPF_MAX_LOOPS`: how many times a frame's `may_goto` falls through before it jumps.
pub const MAX_LOOPS: u32 = 8 * 1024 * 1024;

/// An eBPF virtual machine: a program, its registers, stack and memory regions.
#[derive(Clone, Debug)]
pub struct Vm {
    /// `progs[0]` is the program the machine was made with; others are tail-call targets.
    progs: Vec<Loaded>,
    /// The program running now.
    cur: usize,
    /// r0..r10; indexes are masked with 15 so 11..15 exist but are never named by a
    /// validated program.
    regs: [u64; 16],
    pc: usize,
    /// Callers' frames: `frames[..nframes]`.
    frames: [Frame; MAX_FRAMES],
    nframes: usize,
    /// Each frame's `may_goto` budget: the count the kernel's do_misc_fixups keeps in a
    /// stack slot of every subprogram that has a `may_goto`, set to BPF_MAX_LOOPS at its
    /// entry. (On x86-64 the JIT's timed may_goto refreshes a smaller count for up to 250 ms
    /// instead; both end a loop that would never end, after a budget bpfplay counts.)
    loops: [u32; MAX_FRAMES],
    mem: Memory,
    executed: u64,
    config: Config,
    status: Status,
}

impl Vm {
    /// A machine for `program` with the default budget. Fails when an instruction names a
    /// register above r10 (which [`decode`](crate::decode) and the assembler never produce).
    pub fn new(program: Program) -> Result<Vm, VmError> {
        Vm::with_config(program, Config::default())
    }

    pub fn with_config(program: Program, config: Config) -> Result<Vm, VmError> {
        Ok(Vm {
            progs: alloc::vec![Loaded::new(program)?],
            cur: 0,
            regs: [0; 16],
            pc: 0,
            frames: [Frame::default(); MAX_FRAMES],
            nframes: 0,
            loops: [MAX_LOOPS; MAX_FRAMES],
            mem: Memory::new(),
            executed: 0,
            config,
            status: Status::Ready,
        })
    }

    pub fn config(&self) -> Config {
        self.config
    }

    pub fn set_config(&mut self, config: Config) {
        self.config = config;
    }

    /// The instructions of the program running now (the main one unless a tail call
    /// changed it).
    pub fn insns(&self) -> &[Insn] {
        &self.progs[self.cur].insns
    }

    /// Adds a program that a helper may tail-call ([`HelperResult::TailCall`]); returns its
    /// number (the main program is 0).
    pub fn add_program(&mut self, program: Program) -> Result<usize, VmError> {
        self.progs.push(Loaded::new(program)?);
        Ok(self.progs.len() - 1)
    }

    /// The number of the program running now.
    pub fn program_index(&self) -> usize {
        self.cur
    }

    /// Sets the input memory (copied; `r1` points at it when a run starts).
    pub fn set_input(&mut self, data: &[u8]) {
        self.mem.set_input(data);
        self.status = Status::Ready;
    }

    pub fn memory(&self) -> &Memory {
        &self.mem
    }

    /// For registering regions before a run, or inspecting/patching memory between steps.
    pub fn memory_mut(&mut self) -> &mut Memory {
        &mut self.mem
    }

    /// Prepares a run: registers per the run convention, pc 0, one zeroed stack frame.
    pub fn start(&mut self) {
        self.regs = [0; 16];
        let len = self.mem.input().len();
        self.regs[1] = if len > 0 { INPUT_BASE } else { 0 };
        self.regs[2] = len as u64;
        self.regs[10] = STACK_TOP;
        self.pc = 0;
        self.cur = 0;
        self.nframes = 0;
        self.loops[0] = MAX_LOOPS;
        self.mem.reset_stack();
        self.executed = 0;
        self.status = Status::Running;
    }

    /// Starts a run and executes it to the end; returns `r0`. The input memory keeps what
    /// earlier runs wrote to it; [`Vm::set_input`] restores it.
    pub fn run<H: Host + ?Sized>(&mut self, host: &mut H) -> Result<u64, VmError> {
        self.start();
        self.resume(host)
    }

    /// Executes from where the machine is (after [`Vm::start`] or some steps) to the end.
    pub fn resume<H: Host + ?Sized>(&mut self, host: &mut H) -> Result<u64, VmError> {
        match &self.status {
            Status::Running => {}
            Status::Ready => self.start(),
            Status::Exited(v) => return Ok(*v),
            Status::Faulted(e) => return Err(e.clone()),
        }
        let r = loop {
            match self.run_ops(host, u64::MAX) {
                Ok(exec::Flow::Continue) => {}
                Ok(exec::Flow::Exit(v)) => break Ok(v),
                Err(e) => break Err(e),
            }
        };
        self.finish(r)
    }

    /// Executes one instruction (starting the run first if it is not started). Once the
    /// program has ended, returns the same outcome again.
    pub fn step<H: Host + ?Sized>(&mut self, host: &mut H) -> Result<Step, VmError> {
        match &self.status {
            Status::Running => {}
            Status::Ready => self.start(),
            Status::Exited(v) => return Ok(Step::Exited(*v)),
            Status::Faulted(e) => return Err(e.clone()),
        }
        match self.run_ops(host, 1) {
            Ok(exec::Flow::Continue) => Ok(Step::Continue),
            Ok(exec::Flow::Exit(v)) => self.finish(Ok(v)).map(Step::Exited),
            Err(e) => self.finish(Err(e)).map(Step::Exited),
        }
    }

    fn finish(&mut self, r: Result<u64, VmError>) -> Result<u64, VmError> {
        self.status = match &r {
            Ok(v) => Status::Exited(*v),
            Err(e) => Status::Faulted(e.clone()),
        };
        r
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    /// r0..r10.
    pub fn regs(&self) -> [u64; 11] {
        let mut r = [0; 11];
        r.copy_from_slice(&self.regs[..11]);
        r
    }

    pub fn reg(&self, i: u8) -> u64 {
        self.regs[(i & 15) as usize]
    }

    /// Sets a register (after [`Vm::start`], to pass other arguments); ignored above r10.
    pub fn set_reg(&mut self, i: u8, v: u64) {
        if i <= 10 {
            self.regs[i as usize] = v;
        }
    }

    /// Index of the next instruction to execute.
    pub fn pc(&self) -> usize {
        self.pc
    }

    /// The callers' saved frames, outermost first; the current frame is number `frames().len()`.
    pub fn frames(&self) -> &[Frame] {
        &self.frames[..self.nframes]
    }

    /// Instructions executed in this run.
    pub fn executed(&self) -> u64 {
        self.executed
    }
}

/// A register number above 10 in `insn`, if any.
fn bad_register(insn: &Insn) -> Option<u8> {
    let op = |o: &Operand| match *o {
        Operand::Reg(r) => Some(r),
        Operand::Imm(_) => None,
    };
    let regs: [Option<u8>; 2] = match insn {
        Insn::Alu { dst, src, .. } => [Some(*dst), op(src)],
        Insn::Jmp { dst, src, .. } => [Some(*dst), op(src)],
        Insn::Neg { dst, .. }
        | Insn::End { dst, .. }
        | Insn::LdImm64 { dst, .. }
        | Insn::St { dst, .. } => [Some(*dst), None],
        Insn::MovSx { dst, src, .. }
        | Insn::Ldx { dst, src, .. }
        | Insn::Stx { dst, src, .. }
        | Insn::Atomic { dst, src, .. } => [Some(*dst), Some(*src)],
        Insn::LdInd { src, .. } => [Some(*src), None],
        Insn::Callx { reg } => [Some(*reg), None],
        Insn::Imm64Tail
        | Insn::LdAbs { .. }
        | Insn::Ja { .. }
        | Insn::MayGoto { .. }
        | Insn::Call { .. }
        | Insn::Exit => [None, None],
    };
    regs.into_iter().flatten().find(|&r| r > 10)
}
