//! The verifier: the same verdict, first error message, processed-instruction count and log as
//! the Linux 6.18 verifier (kernel/bpf/verifier.c), with a structured trace of every step.
//!
//! Pipeline, in the kernel's order: size limit, subprograms (`add_subprog_and_kfunc`,
//! `check_subprogs`), opcode/`LD_IMM64`/map checks (`resolve_pseudo_ldimm64`), the CFG walk
//! (`check_cfg`), register liveness, then the path walk (`do_check`) with state pruning.

mod alu;
mod bounds;
mod call;
pub mod cfg;
mod jmp;
pub mod log;
mod mem;
mod precise;
mod prune;
pub mod reg;
pub mod state;
pub mod tnum;

use crate::isa::decode::{decode_one, DecodeErrorKind, Dialect};
use crate::isa::opcode::*;
use crate::isa::{Insn, RawInsn};
use crate::maps::MapDef;
use crate::progtype::ProgType;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use reg::{RegState, RegType};
use state::{FuncState, VState};

/// The kernel's `BPF_ADD_CONST` flag in scalar ids (linked registers with a constant delta).
pub const ADD_CONST: u32 = 1 << 31;
/// BPF_COMPLEXITY_LIMIT_INSNS.
pub const COMPLEXITY_LIMIT: u64 = 1_000_000;
/// BPF_MAXINSNS (unprivileged program size limit).
pub const MAX_INSNS_UNPRIV: usize = 4096;
const MAX_VAR_OFF: i64 = 1 << 29;
const COMPLEXITY_LIMIT_JMP_SEQ: usize = 8192;

#[derive(Clone, Debug)]
pub struct Options {
    pub prog_type: ProgType,
    /// Without CAP_SYS_ADMIN and CAP_PERFMON: pointer leaks, uninitialised stack, back-edges...
    pub unpriv: bool,
    /// 0, 1 or 2, as the kernel's `log_level`.
    pub log_level: u32,
    /// Keep a structured trace step per processed instruction.
    pub trace: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { prog_type: ProgType::SocketFilter, unpriv: false, log_level: 1, trace: false }
    }
}

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
    /// At most [`TRACE_LIMIT`] steps, in walk order.
    pub steps: Vec<Step>,
    /// Was every step recorded (the walk was at most [`TRACE_LIMIT`] steps long)?
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
    /// Empty unless [`Options::trace`] asked for it.
    pub trace: Trace,
}

/// A path waiting to be explored (the kernel's `bpf_verifier_stack_elem`).
pub(crate) struct Pending {
    st: VState,
    insn: usize,
    prev: usize,
    log_pos: usize,
    /// How many trace steps there were when the path was queued.
    steps_at: usize,
}

/// Why the walk stopped: an error with its errno.
pub(crate) struct Fail {
    pub errno: i32,
}

pub(crate) const EACCES: i32 = 13;
pub(crate) const EINVAL: i32 = 22;
pub(crate) const E2BIG: i32 = 7;
pub(crate) const EFAULT: i32 = 14;

pub(crate) type R<T> = Result<T, Fail>;

pub(crate) struct Env<'a> {
    pub raw: &'a [RawInsn],
    /// Told the processed-instruction count now and then (a progress bar for long walks).
    pub progress: &'a mut dyn FnMut(u64),
    pub maps: &'a [MapDef],
    pub opts: &'a Options,
    pub log: String,
    pub st: VState,
    pub insn_idx: usize,
    pub prev_insn_idx: usize,
    pub id_gen: u32,
    pub processed: u64,
    pub jmps_processed: u64,
    pub prev_jmps_processed: u64,
    pub prev_insn_processed: u64,
    pub stack: Vec<Pending>,
    pub cfg: cfg::Cfg,
    pub live: Vec<u32>,
    pub subprogs: Vec<usize>,
    pub explored: prune::Explored,
    pub scratched_regs: u32,
    pub scratched_stack: u64,
    /// Where the current instruction's line began and its length with the newline.
    pub prev_log_pos: Option<usize>,
    /// Bytes dropped from the front of `log` (it keeps its tail, as the kernel's rotating
    /// log buffer does); log positions are counted from the start of the whole log.
    pub log_base: usize,
    pub prev_insn_print_len: usize,
    pub steps: Vec<Step>,
    /// The step whose log span is still growing (its state is printed after it).
    pub open_span: Option<usize>,
    /// Ranges of steps whose log a level-1 `pop_stack` dropped (nested ranges merged).
    pub dropped_steps: Vec<(usize, usize)>,
    /// The trace reached TRACE_LIMIT and later steps were not recorded.
    pub trace_full: bool,
    /// The state the walk starts from.
    pub initial: Option<FuncState>,
    /// Set by checks before the walk: what refused the program and at which instruction.
    pub fail_at: Option<(Option<usize>, ErrorKind)>,
    pub pushed_now: Option<(usize, usize)>,
    /// Maximum stack depth per subprogram (for the combined stack check).
    pub stack_depth: Vec<i32>,
    pub last_error: Option<String>,
    /// First line of the current instruction's error block.
    pub err_first: Option<String>,
    /// Source register of the ALU instruction being checked.
    pub cur_src: u8,
    /// Per instruction: may a later instruction read the stack? (A coarse stand-in for the
    /// kernel's stack liveness: where nothing reads the stack again, slots do not matter.)
    pub stack_read_later: Vec<bool>,
    /// insn_aux_data.nospec: a speculative path failed here; later speculative paths stop
    /// before it (a barrier will be patched in).
    pub nospec: Vec<bool>,
    /// insn_aux_data.nospec_result: a store here needs a Spectre v4 barrier after it, so
    /// speculative paths end right after it.
    pub nospec_result: Vec<bool>,
    /// insn_aux_data.alu_state / alu_limit: how pointer arithmetic at an instruction is
    /// masked (Spectre v1); every path through it must agree.
    pub alu_aux: Vec<(u8, u32)>,
    /// env->explore_alu_limits: set once a pointer moved by an unknown scalar; scalars are
    /// then compared exactly when pruning.
    pub explore_alu_limits: bool,
}

impl<'a> Env<'a> {
    pub fn allow_ptr_leaks(&self) -> bool {
        !self.opts.unpriv
    }
    pub fn bpf_capable(&self) -> bool {
        // CAP_BPF is kept in both modes.
        true
    }
    pub fn allow_uninit_stack(&self) -> bool {
        !self.opts.unpriv
    }
    pub fn bypass_spec_v1(&self) -> bool {
        !self.opts.unpriv
    }
    /// CAP_PERFMON, which the unprivileged-like mode lacks.
    pub fn bypass_spec_v4(&self) -> bool {
        !self.opts.unpriv
    }
    pub fn say(&mut self, s: &str) {
        if self.opts.log_level > 0 {
            self.log.push_str(s);
            if self.log.len() > 2 * LOG_KEEP {
                // Keep the last LOG_KEEP bytes or so, from a line start.
                let from = self.log.len() - LOG_KEEP;
                let cut = self.log.as_bytes()[from..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.log.len(), |i| from + i + 1);
                self.log.drain(..cut);
                self.log_base += cut;
            }
        }
    }
    /// Where the log ends, counted from the start of the whole log.
    pub fn log_end(&self) -> usize {
        self.log_base + self.log.len()
    }
    /// Logs an error line and fails with `errno`.
    pub fn err<T>(&mut self, errno: i32, msg: String) -> R<T> {
        if self.opts.log_level > 0 {
            self.log.push_str(&msg);
            self.log.push('\n');
        }
        if self.err_first.is_none() {
            self.err_first = Some(msg);
        }
        self.last_error = self.err_first.clone();
        Err(Fail { errno })
    }
    /// Logs the first line of a multi-line error block (the kernel's specific message,
    /// followed by a summary line given to [`Env::err`]).
    pub fn err_line(&mut self, msg: &str) {
        self.say(msg);
        self.say("\n");
        if self.err_first.is_none() {
            self.err_first = Some(String::from(msg));
        }
    }
    pub fn cur(&self) -> &FuncState {
        self.st.cur()
    }
    pub fn reg(&self, r: u8) -> RegState {
        self.st.cur().regs[r as usize]
    }
    pub fn set_reg(&mut self, r: u8, v: RegState) {
        self.scratch_reg(r);
        self.st.cur_mut().regs[r as usize] = v;
    }
    pub fn scratch_reg(&mut self, r: u8) {
        self.scratched_regs |= 1 << r;
    }
    pub fn scratch_slot(&mut self, spi: usize) {
        if spi < 64 {
            self.scratched_stack |= 1 << spi;
        }
    }
    pub fn new_id(&mut self) -> u32 {
        self.id_gen += 1;
        self.id_gen
    }
    /// `mark_reg_unknown`: in unprivileged mode scalars are always precise.
    pub fn unknown(&self) -> RegState {
        let mut r = RegState::unknown();
        r.precise = !self.bpf_capable();
        r
    }
    pub fn map(&self, idx: u32) -> &MapDef {
        &self.maps[idx as usize]
    }

    /// `check_reg_arg(.., SRC_OP)`.
    pub fn check_src(&mut self, r: u8) -> R<()> {
        if r > 10 {
            return self.err(EINVAL, format!("R{r} is invalid"));
        }
        self.scratch_reg(r);
        if self.reg(r).typ == RegType::NotInit {
            return self.err(EACCES, format!("R{r} !read_ok"));
        }
        Ok(())
    }
    /// `check_reg_arg(.., DST_OP)` (`mark` false for DST_OP_NO_MARK).
    pub fn check_dst(&mut self, r: u8, mark: bool) -> R<()> {
        if r > 10 {
            return self.err(EINVAL, format!("R{r} is invalid"));
        }
        self.scratch_reg(r);
        if r == 10 {
            return self.err(EACCES, String::from("frame pointer is read only"));
        }
        if mark {
            let u = self.unknown();
            self.set_reg(r, u);
        }
        Ok(())
    }
    pub fn is_pointer_value(&self, r: u8) -> bool {
        !self.allow_ptr_leaks() && self.reg(r).typ.is_ptr()
    }
}

/// Verifies raw instructions (8-byte slots) of a program of `opts.prog_type` that uses `maps`
/// (an `LD_IMM64` map reference's `imm` is an index into `maps`).
pub fn verify(raw: &[RawInsn], maps: &[MapDef], opts: &Options) -> Verdict {
    verify_with_progress(raw, maps, opts, &mut |_| {})
}

/// About how much of the log is kept: a walk to the complexity limit logs ~100 MB at level 1;
/// bpfplay keeps the tail, like the kernel's rotating log buffer (whose size the loader picks).
pub const LOG_KEEP: usize = 2 << 20;

/// The structured trace records at most this many steps (each holds a frame's registers and
/// stack: a walk to the complexity limit would need gigabytes); `processed` says how many
/// there were.
pub const TRACE_LIMIT: usize = 20_000;

/// How many processed instructions pass between two calls of the progress callback.
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// [`verify`], calling `progress` with the processed-instruction count every
/// [`PROGRESS_EVERY`] instructions (a walk towards the 1,000,000 limit takes a while in a
/// browser; the callback lets the page show how far it got).
pub fn verify_with_progress(
    raw: &[RawInsn],
    maps: &[MapDef],
    opts: &Options,
    progress: &mut dyn FnMut(u64),
) -> Verdict {
    let mut env = Env {
        raw,
        progress,
        maps,
        opts,
        log: String::new(),
        st: VState {
            frames: vec![FuncState::new(0, 0, 0)],
            refs: Vec::new(),
            parent: None,
            speculative: false,
            hist: Vec::new(),
            first_insn: 0,
            last_insn: 0,
        },
        insn_idx: 0,
        prev_insn_idx: 0,
        id_gen: 0,
        processed: 0,
        jmps_processed: 0,
        prev_jmps_processed: 0,
        prev_insn_processed: 0,
        stack: Vec::new(),
        cfg: cfg::Cfg { prune_point: Vec::new(), jmp_point: Vec::new() },
        live: Vec::new(),
        subprogs: Vec::new(),
        explored: prune::Explored::default(),
        scratched_regs: u32::MAX,
        scratched_stack: u64::MAX,
        prev_log_pos: None,
        log_base: 0,
        prev_insn_print_len: 0,
        steps: Vec::new(),
        open_span: None,
        dropped_steps: Vec::new(),
        fail_at: None,
        trace_full: false,
        initial: None,
        pushed_now: None,
        stack_depth: Vec::new(),
        last_error: None,
        err_first: None,
        cur_src: 0,
        stack_read_later: Vec::new(),
        nospec: vec![false; raw.len()],
        nospec_result: vec![false; raw.len()],
        alu_aux: vec![(0, 0); raw.len()],
        explore_alu_limits: false,
    };
    let result = run(&mut env);
    let (accepted, error) = match result {
        Ok(()) => (true, None),
        Err(f) => {
            let message = env.last_error.clone().unwrap_or_default();
            let (insn, kind) = match env.fail_at {
                Some(at) => at,
                None if env.processed > 0 => (Some(env.insn_idx), ErrorKind::Walk),
                None => (None, ErrorKind::Refused),
            };
            (false, Some(VerifyError { insn, message, errno: f.errno, kind }))
        }
    };
    // Every step's span ends where the walk ended, before the summary line.
    close_span(&mut env);
    if accepted && opts.log_level == 1 {
        env.log.clear();
    }
    let (max_states, total, peak) = env.explored.stats();
    let refused_early = matches!(&error, Some(e) if e.message.starts_with("bpf("));
    if refused_early {
        env.log.clear();
    }
    let mut head = 0;
    if env.log_base > 0 && !env.log.is_empty() {
        let note = format!(
            "[bpfplay: the log's first {} bytes were dropped; its last part follows]\n",
            env.log_base
        );
        head = note.len();
        env.log.insert_str(0, &note);
    }
    let spans_kept = opts.log_level > 0 && !(accepted && opts.log_level == 1) && !refused_early;
    place_spans(&mut env, spans_kept, head);
    if opts.log_level > 0 && !refused_early {
        env.log.push_str(&format!(
            "processed {} insns (limit {}) max_states_per_insn {} total_states {} peak_states {} mark_read 0\n",
            env.processed, COMPLEXITY_LIMIT, max_states, total, peak
        ));
    }
    Verdict {
        accepted,
        error,
        processed: env.processed,
        max_states_per_insn: max_states,
        total_states: total,
        peak_states: peak,
        log: env.log,
        trace: Trace {
            initial: env.initial.take(),
            complete: opts.trace && !env.trace_full,
            steps: env.steps,
        },
    }
}

/// Records a trace step, up to [`TRACE_LIMIT`].
fn record(env: &mut Env, step: Step) {
    if !env.opts.trace {
        return;
    }
    if env.steps.len() < TRACE_LIMIT {
        env.steps.push(step);
    } else {
        env.trace_full = true;
    }
}

/// Ends the span of the step whose state was being printed after it.
fn close_span(env: &mut Env) {
    let end = env.log_end();
    if let Some(i) = env.open_span.take() {
        if let Some(sp) = env.steps.get_mut(i).and_then(|s| s.log.as_mut()) {
            sp.end = end;
        }
    }
}

/// Turns the steps' spans from positions in the whole log into positions in the log kept,
/// dropping those whose text is gone.
fn place_spans(env: &mut Env, kept: bool, head: usize) {
    let base = env.log_base;
    let len = env.log.len();
    let mut dropped = core::mem::take(&mut env.dropped_steps).into_iter().peekable();
    for (i, st) in env.steps.iter_mut().enumerate() {
        while dropped.peek().is_some_and(|&(_, b)| b <= i) {
            dropped.next();
        }
        let gone = !kept || dropped.peek().is_some_and(|&(a, _)| a <= i);
        st.log = match st.log {
            Some(sp) if !gone && sp.start >= base => {
                let (start, end) = (sp.start - base + head, (sp.end - base + head).min(len));
                (start < end).then_some(LogSpan { start, end })
            }
            _ => None,
        };
    }
}

fn run(env: &mut Env) -> R<()> {
    let raw = env.raw;
    let limit = if env.opts.unpriv { MAX_INSNS_UNPRIV } else { COMPLEXITY_LIMIT as usize };
    // Refused by bpf_prog_load before the verifier runs, without a log.
    if raw.is_empty() || raw.len() > limit {
        return env.err(E2BIG, String::from("bpf(BPF_PROG_LOAD) failed: E2BIG"));
    }
    if env.opts.unpriv && matches!(env.opts.prog_type, ProgType::Kprobe | ProgType::Tracepoint) {
        return env.err(EPERM, String::from("bpf(BPF_PROG_LOAD) failed: EPERM"));
    }
    // add_subprog_and_kfunc, check_subprogs
    let subs = match cfg::subprogs(raw) {
        Ok(s) => s,
        Err(e) => return cfg_err(env, e),
    };
    if env.opts.log_level >= 2 {
        for (i, s) in subs[..subs.len() - 1].iter().enumerate() {
            env.say(&format!("func#{i} @{s}\n"));
        }
    }
    if let Err(e) = cfg::check_subprogs(raw, &subs) {
        return cfg_err(env, e);
    }
    // check_btf_info -> check_abnormal_return: without BTF func info (bpfplay has none), no
    // subprogram other than the main one may use LD_ABS/LD_IND or tail calls.
    if let Err(e) = cfg::check_abnormal_return(raw, &subs) {
        return cfg_err(env, e);
    }
    env.subprogs = subs;
    env.stack_depth = vec![0; env.subprogs.len()];
    // resolve_pseudo_ldimm64: LDX fields, LD_IMM64 pairs and map fds, the opcode table.
    let mut i = 0;
    while i < raw.len() {
        let r = raw[i];
        // Whatever this instruction's checks refuse is about it.
        env.fail_at = Some((Some(i), ErrorKind::Insn));
        if class(r.code) == CLS_LDX
            && ((mode(r.code) != MODE_MEM && mode(r.code) != MODE_MEMSX) || r.imm != 0)
        {
            return env.err(EINVAL, String::from("BPF_LDX uses reserved fields"));
        }
        if r.code == CLS_LD | MODE_IMM | SZ_DW {
            let next = raw.get(i + 1);
            if !matches!(next, Some(n) if n.code == 0 && n.dst == 0 && n.src == 0 && n.off == 0) {
                return env.err(EINVAL, String::from("invalid bpf_ld_imm64 insn"));
            }
            match r.src {
                0 | PSEUDO_FUNC => {}
                PSEUDO_MAP_FD | PSEUDO_MAP_VALUE => {
                    if r.src == PSEUDO_MAP_FD && raw[i + 1].imm != 0 {
                        return env.err(EINVAL, String::from("unrecognized bpf_ld_imm64 insn"));
                    }
                    if r.imm < 0 || r.imm as usize >= env.maps.len() {
                        return env
                            .err(EBADF, format!("fd {} is not pointing to valid bpf_map", r.imm));
                    }
                    if r.src == PSEUDO_MAP_VALUE {
                        let m = &env.maps[r.imm as usize];
                        let off = raw[i + 1].imm as u32;
                        // resolve_pseudo_ldimm64 refuses offsets past BPF_MAX_VAR_OFF before
                        // asking the map; then map->ops->map_direct_value_addr: arrays of one
                        // entry only.
                        if off >= 1 << 29 {
                            return env.err(
                                EINVAL,
                                format!("direct value offset of {off} is not allowed"),
                            );
                        }
                        if !m.kind.is_array() || m.kind == crate::maps::MapKind::ProgArray {
                            return env.err(
                                EINVAL,
                                String::from("no direct value access support for this map type"),
                            );
                        }
                        if m.max_entries != 1 || off >= m.value_size {
                            let errno = if m.max_entries != 1 { ENOTSUPP } else { EINVAL };
                            return env.err(
                                errno,
                                format!(
                                    "invalid access to map value pointer, value_size={} off={}",
                                    m.value_size, off
                                ),
                            );
                        }
                    }
                }
                PSEUDO_BTF_ID => {
                    return env.err(EINVAL, String::from("kernel BTF is not modelled by bpfplay"))
                }
                PSEUDO_MAP_IDX | PSEUDO_MAP_IDX_VALUE => {
                    return env.err(EINVAL, String::from("fd_idx without fd_array is invalid"))
                }
                _ => return env.err(EINVAL, String::from("unrecognized bpf_ld_imm64 insn")),
            }
            i += 2;
            continue;
        }
        if !crate::isa::decode::opcode_known_in(r.code, Dialect::Kernel) {
            return env.err(EINVAL, format!("unknown opcode {:02x}", r.code));
        }
        i += 1;
    }
    env.fail_at = None;
    // Back-edges are allowed with CAP_BPF, which both modes keep.
    match cfg::check_cfg(raw, env.bpf_capable()) {
        Ok(c) => env.cfg = c,
        Err(e) => return cfg_err(env, e),
    }
    let live = cfg::live_regs(raw, &|id| match crate::helpers::proto(id) {
        Some(p) => p
            .args
            .iter()
            .enumerate()
            .filter(|(_, a)| **a != crate::helpers::Arg::DontCare)
            .fold(0, |m, (i, _)| m | 1 << (i + 1)),
        None => 0x3e,
    });
    if env.opts.log_level >= 2 {
        env.say("Live regs before insn:\n");
        let scc = cfg::scc_ids(raw);
        let mut i = 0;
        while i < raw.len() {
            let mut line =
                if scc[i] != 0 { format!("{:3} {i:3}: ", scc[i]) } else { format!("    {i:3}: ") };
            for r in 0..10 {
                line.push(if live[i] & (1 << r) != 0 { (b'0' + r as u8) as char } else { '.' });
            }
            line.push(' ');
            line.push_str(&insn_line(raw, i, env.maps));
            line.push('\n');
            env.say(&line);
            i += if raw[i].code == CLS_LD | MODE_IMM | SZ_DW { 2 } else { 1 };
        }
    }
    env.live = live;
    env.stack_read_later = cfg::stack_read_later(raw, env.subprogs.len() > 2);
    do_check(env)?;
    // A successful walk leaves no log at level 1 (do_check_common resets it).
    if env.opts.log_level == 1 {
        env.log.clear();
        close_span(env);
        env.steps.iter_mut().for_each(|s| s.log = None);
    }
    let r = check_max_stack_depth(env);
    if r.is_err() {
        env.fail_at = Some((Some(env.insn_idx), ErrorKind::StackDepth));
    }
    r
}

/// A check before the walk refused the program at an instruction.
fn cfg_err(env: &mut Env, e: cfg::CfgError) -> R<()> {
    env.fail_at = Some((Some(e.insn), ErrorKind::Cfg(e)));
    env.err(EINVAL, e.to_string())
}

/// `check_max_stack_depth`: the frames of the deepest call chain, each rounded up to 16
/// bytes (the JIT's rounding), must fit in 512 bytes.
fn check_max_stack_depth(env: &mut Env) -> R<()> {
    let n = env.subprogs.len() - 1;
    // Static call graph: which subprograms each subprogram calls.
    let mut callees: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, r) in env.raw.iter().enumerate() {
        if r.code == CLS_JMP | JMP_CALL && r.src == PSEUDO_CALL {
            let t = (i as i64 + 1 + r.imm as i64) as usize;
            let from = env.subprogs.partition_point(|&s| s <= i) - 1;
            if let Ok(to) = env.subprogs.binary_search(&t) {
                if !callees[from].contains(&to) {
                    callees[from].push(to);
                }
            }
        }
    }
    fn walk(
        env: &Env,
        callees: &[Vec<usize>],
        sub: usize,
        depth: i32,
        frames: usize,
        seen: &mut Vec<usize>,
    ) -> Option<(usize, i32)> {
        let d = depth + ((env.stack_depth[sub].max(0) + 15) / 16 * 16);
        if d > state::MAX_BPF_STACK {
            return Some((frames, d));
        }
        if seen.contains(&sub) || frames > state::MAX_CALL_FRAMES {
            return None;
        }
        seen.push(sub);
        for &c in &callees[sub] {
            if let Some(bad) = walk(env, callees, c, d, frames + 1, seen) {
                return Some(bad);
            }
        }
        seen.pop();
        None
    }
    if let Some((frames, depth)) = walk(env, &callees, 0, 0, 1, &mut Vec::new()) {
        return env
            .err(EACCES, format!("combined stack size of {frames} calls is {depth}. Too large"));
    }
    Ok(())
}

const EBADF: i32 = 9;
pub(crate) const EPERM: i32 = 1;
const ENOTSUPP: i32 = 524;

/// The kernel-style text of the instruction at `i` (with its opcode), for the log.
pub(crate) fn insn_line(raw: &[RawInsn], i: usize, maps: &[MapDef]) -> String {
    let names: Vec<&str> = maps.iter().map(|m| m.name.as_str()).collect();
    crate::disasm::raw_text(raw[i], raw.get(i + 1).copied(), &names)
}

/// Length of the line the kernel would print for instruction `i`: a map reference is a
/// kernel address there (`0xffff888...`, 18 characters; `0x0` without CAP_PERFMON), a name
/// here, and the `;` column follows the kernel's length.
fn kernel_insn_len(raw: &[RawInsn], i: usize, text: &str, unpriv: bool) -> usize {
    let r = raw[i];
    if r.code == CLS_LD | MODE_IMM | SZ_DW && matches!(r.src, PSEUDO_MAP_FD | PSEUDO_MAP_VALUE) {
        return format!("({:02x}) r{} = ", r.code, r.dst).len() + if unpriv { 3 } else { 18 };
    }
    text.len()
}

/// Outcome of one instruction for the walk.
pub(crate) enum Flow {
    Next,
    Jump(usize),
    /// The path ended (exit of the main program, or a pruned state).
    Exit,
}

fn do_check(env: &mut Env) -> R<()> {
    // The initial state: R1 = ctx, R10 = fp.
    env.st.cur_mut().regs[1] = RegState::ptr(RegType::Ctx);
    if env.opts.trace {
        env.initial = Some(env.cur().clone());
    }
    let mut do_print_state = false;
    let mut popped: Option<(usize, usize)> = None;
    loop {
        let idx = env.insn_idx;
        if idx >= env.raw.len() {
            return env.err(EFAULT, format!("invalid insn idx {} insn_cnt {}", idx, env.raw.len()));
        }
        env.processed += 1;
        if env.processed.is_multiple_of(PROGRESS_EVERY) {
            (env.progress)(env.processed);
        }
        if env.processed > COMPLEXITY_LIMIT {
            return env
                .err(E2BIG, format!("BPF program is too large. Processed {} insn", env.processed));
        }
        if env.cfg.prune_point[idx] && prune::is_state_visited(env, idx)? {
            close_span(env);
            let start = env.log_end();
            if env.opts.log_level > 0 {
                if do_print_state {
                    let spec = if env.st.speculative { " (speculative execution)" } else { "" };
                    let s = format!("\nfrom {} to {}{spec}: safe\n", env.prev_insn_idx, idx);
                    env.say(&s);
                } else {
                    env.say(&format!("{idx}: safe\n"));
                }
            }
            let end = env.log_end();
            let step = Step {
                insn: idx,
                frame: env.cur().clone(),
                frameno: env.st.curframe(),
                log: Some(LogSpan { start, end }),
                pushed: None,
                popped: popped.take(),
                pruned: true,
                exited: false,
            };
            record(env, step);
            // A pruned path ends like an exit (`goto process_bpf_exit`): its checkpoints
            // lose a branch, so finished ones can prune others and no longer look like
            // loop heads.
            prune::update_branch_counts(env);
            match pop(env, &mut do_print_state, &mut popped) {
                Some(()) => continue,
                None => return Ok(()),
            }
        }
        env.st.last_insn = env.prev_insn_idx;
        env.st.hist.push(precise::Hist {
            idx: idx as u32,
            prev: env.prev_insn_idx as u32,
            stack: None,
        });
        if env.opts.log_level >= 2 && do_print_state {
            close_span(env);
            let spec = if env.st.speculative { " (speculative execution)" } else { "" };
            let mut s = format!("\nfrom {} to {}{spec}:", env.prev_insn_idx, idx);
            print_state(env, &mut s, true);
            env.say(&s);
            do_print_state = false;
        }
        let mut line_start = env.log_end();
        if env.opts.log_level > 0 {
            if env.scratched_regs != 0 || env.scratched_stack != 0 {
                print_insn_state(env);
            }
            close_span(env);
            line_start = env.log_end();
            let text = insn_line(env.raw, idx, env.maps);
            let klen = format!("{idx}: ").len()
                + kernel_insn_len(env.raw, idx, &text, env.opts.unpriv)
                + 1;
            env.say(&format!("{idx}: {text}\n"));
            env.prev_insn_print_len = klen;
            env.prev_log_pos = Some(env.log_end());
        }
        env.pushed_now = None;
        env.err_first = None;
        let mut flow = if env.st.speculative && env.nospec[idx] {
            // A barrier sits here: the speculative path ends before the instruction.
            Ok(Flow::Exit)
        } else {
            exec_insn(env, idx)
        };
        // 6.18: errors on a speculative path only stop that path (a nospec barrier is
        // inserted), as `error_recoverable_with_nospec` says.
        if let Err(f) = &flow {
            if env.st.speculative && matches!(f.errno, EPERM | EACCES | EINVAL) {
                env.err_first = None;
                env.last_error = None;
                env.nospec[idx] = true;
                flow = Ok(Flow::Exit);
            }
        }
        // A store that got a Spectre v4 barrier after it ends a speculative path there.
        if env.st.speculative
            && env.nospec_result[idx]
            && matches!(flow, Ok(Flow::Next) | Ok(Flow::Jump(_)))
            && env.raw[idx].code != CLS_JMP | JMP_EXIT
        {
            flow = Ok(Flow::Exit);
        }
        // The span starts at the instruction's line and grows until the next step's text.
        let step = Step {
            insn: idx,
            frame: env.cur().clone(),
            frameno: env.st.curframe(),
            log: (env.opts.log_level > 0)
                .then_some(LogSpan { start: line_start, end: env.log_end() }),
            pushed: env.pushed_now,
            popped: popped.take(),
            pruned: false,
            exited: matches!(flow, Ok(Flow::Exit)),
        };
        let recorded = env.steps.len();
        record(env, step);
        if env.steps.len() > recorded {
            env.open_span = Some(recorded);
        }
        match flow? {
            Flow::Next => {
                let sz = if env.raw[idx].code == CLS_LD | MODE_IMM | SZ_DW { 2 } else { 1 };
                env.prev_insn_idx = idx;
                env.insn_idx = idx + sz;
            }
            Flow::Jump(t) => {
                env.prev_insn_idx = idx;
                env.insn_idx = t;
                let code = env.raw[idx].code;
                if code == CLS_JMP | JMP_CALL {
                    // Entered a callee: its first line shows the whole new frame.
                    env.scratched_regs = u32::MAX;
                    env.scratched_stack = u64::MAX;
                }
                if code == CLS_JMP | JMP_EXIT {
                    // Back in the caller: "from X to Y:" with the frame, nothing scratched.
                    do_print_state = true;
                    env.scratched_regs = 0;
                    env.scratched_stack = 0;
                }
            }
            Flow::Exit => {
                env.scratched_regs = u32::MAX;
                env.scratched_stack = u64::MAX;
                prune::update_branch_counts(env);
                match pop(env, &mut do_print_state, &mut popped) {
                    Some(()) => continue,
                    None => return Ok(()),
                }
            }
        }
    }
}

/// `pop_stack`: resume the most recent queued path; at log level 1 the log of the finished
/// path is dropped.
fn pop(
    env: &mut Env,
    do_print_state: &mut bool,
    popped: &mut Option<(usize, usize)>,
) -> Option<()> {
    let p = env.stack.pop()?;
    close_span(env);
    if env.opts.log_level == 1 && env.opts.trace {
        // The finished paths' log goes; so do their steps' spans. Ranges nest (the stack
        // is LIFO), so a new range swallows the ones inside it.
        let range = (p.steps_at, env.steps.len());
        while env.dropped_steps.last().is_some_and(|&(a, _)| a >= range.0) {
            env.dropped_steps.pop();
        }
        env.dropped_steps.push(range);
        // The branch's step keeps its line, but not the state printed after it.
        if let Some(sp) = p.steps_at.checked_sub(1).and_then(|i| env.steps.get_mut(i)) {
            if let Some(l) = sp.log.as_mut() {
                l.end = l.end.min(p.log_pos);
            }
        }
    }
    if env.opts.log_level == 1 {
        if p.log_pos >= env.log_base {
            env.log.truncate(p.log_pos - env.log_base);
        } else {
            env.log.clear();
            env.log_base = p.log_pos;
        }
    }
    env.st = p.st;
    env.insn_idx = p.insn;
    env.prev_insn_idx = p.prev;
    *do_print_state = true;
    *popped = Some((p.prev, p.insn));
    env.scratched_regs = u32::MAX;
    env.scratched_stack = u64::MAX;
    env.prev_log_pos = None;
    Some(())
}

/// `push_stack`: queue the other side of a branch.
pub(crate) fn push_branch(env: &mut Env, target: usize, from: usize, st: VState) -> R<()> {
    if let Some(p) = st.parent {
        env.explored.add_branch(p);
    }
    let log_pos = env.log_end();
    // The branch's own step is recorded after this (it keeps its line).
    let steps_at = env.steps.len() + 1;
    env.stack.push(Pending { st, insn: target, prev: from, log_pos, steps_at });
    env.pushed_now = Some((from, target));
    if env.stack.len() > COMPLEXITY_LIMIT_JMP_SEQ {
        return env
            .err(E2BIG, format!("The sequence of {} jumps is too complex.", env.stack.len()));
    }
    Ok(())
}

/// The state of the current frame as the log prints it (all, or only what was scratched).
pub(crate) fn print_state(env: &mut Env, out: &mut String, all: bool) {
    let f = env.st.cur().clone();
    let (sr, ss) = (env.scratched_regs, env.scratched_stack);
    log::func_state(
        out,
        &env.st,
        &f,
        env.maps,
        |i| all || sr & (1 << i) != 0,
        |s| all || (s < 64 && ss & (1 << s) != 0),
    );
    if !all {
        env.scratched_regs = 0;
        env.scratched_stack = 0;
    }
}

/// `print_insn_state`: the state after the previous instruction, on its line after `;` when
/// nothing else was printed since, or on a line of its own.
fn print_insn_state(env: &mut Env) {
    let mut s = String::new();
    if env.prev_log_pos == Some(env.log_end()) && env.log.ends_with('\n') {
        env.log.pop();
        let w = log::alignment(env.prev_insn_print_len);
        for _ in 0..w {
            s.push(' ');
        }
        s.push(';');
    } else {
        s.push_str(&format!("{}:", env.insn_idx));
    }
    print_state(env, &mut s, false);
    env.say(&s);
}

/// One instruction: decode it (reserved fields are checked here, as the kernel does while
/// walking) and apply it to the current state.
fn exec_insn(env: &mut Env, idx: usize) -> R<Flow> {
    let r = env.raw[idx];
    let insn = match decode_one(r, env.raw.get(idx + 1).copied(), Dialect::Kernel) {
        Ok(i) => i,
        Err(DecodeErrorKind::InvalidRegister(_)) => {
            // The kernel reports bad registers when it reads or writes them.
            return reg_error(env, r);
        }
        Err(k) => {
            let msg = alloc::string::ToString::to_string(&k);
            return env.err(EINVAL, msg);
        }
    };
    match insn {
        Insn::Alu { .. } | Insn::Neg { .. } | Insn::MovSx { .. } | Insn::End { .. } => {
            alu::check_alu(env, &insn)?;
            Ok(Flow::Next)
        }
        Insn::LdImm64 { dst, pseudo, imm, imm2 } => {
            mem::check_ld_imm(env, dst, pseudo, imm, imm2)?;
            Ok(Flow::Next)
        }
        Insn::Imm64Tail => env.err(EINVAL, String::from("invalid BPF_LD_IMM insn")),
        Insn::LdAbs { .. } | Insn::LdInd { .. } => {
            mem::check_ld_abs(env, &insn)?;
            Ok(Flow::Next)
        }
        Insn::Ldx { size, signed, dst, src, off } => {
            mem::check_load(env, size, signed, dst, src, off)?;
            Ok(Flow::Next)
        }
        Insn::St { size, dst, off, imm } => {
            mem::check_store(env, size, dst, None, off, imm)?;
            Ok(Flow::Next)
        }
        Insn::Stx { size, dst, src, off } => {
            mem::check_store(env, size, dst, Some(src), off, 0)?;
            Ok(Flow::Next)
        }
        Insn::Atomic { size, op, fetch, dst, src, off } => {
            mem::check_atomic(env, size, op, fetch, dst, src, off)?;
            Ok(Flow::Next)
        }
        Insn::Ja { off, .. } => {
            env.jmps_processed += 1;
            Ok(Flow::Jump((idx as i64 + 1 + off as i64) as usize))
        }
        Insn::Jmp { .. } => {
            env.jmps_processed += 1;
            jmp::check_cond_jmp(env, idx, &insn)
        }
        Insn::Call { kind, imm } => {
            env.jmps_processed += 1;
            call::check_call(env, idx, kind, imm)
        }
        Insn::Callx { .. } => env.err(EINVAL, format!("unknown opcode {:02x}", r.code)),
        Insn::Exit => {
            env.jmps_processed += 1;
            call::check_exit(env)
        }
    }
}

/// For an instruction naming a register above r10: the kernel's `check_reg_arg` message,
/// found in the order it checks operands.
fn reg_error(env: &mut Env, r: RawInsn) -> R<Flow> {
    let bad = if r.src > 10 && uses_src(r) { r.src } else { r.dst };
    env.err(EINVAL, format!("R{bad} is invalid"))
}

fn uses_src(r: RawInsn) -> bool {
    match class(r.code) {
        CLS_ALU | CLS_ALU64 | CLS_JMP | CLS_JMP32 => src(r.code) == SRC_X,
        CLS_LDX | CLS_STX => true,
        CLS_LD => mode(r.code) == MODE_IND,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progtype::ProgType;
    extern crate std;

    /// Linux 6.18 (tests/verifier-corpus/unpriv_loop_speculative_to_limit.s, E2BIG there):
    /// speculative walks of the exit branch get fresh ids, so no state repeats exactly and
    /// the walk runs into the limit instead of stopping at "infinite loop detected".
    #[test]
    fn unprivileged_loop_with_fresh_ids_runs_to_the_limit() {
        let opts =
            Options { prog_type: ProgType::SocketFilter, unpriv: true, log_level: 0, trace: false };
        let prog = crate::assemble("r8 = 0\nl:\nr0 = r8\nr8 += 1\nif r8 < 3 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let v = verify(&prog, &[], &opts);
        let e = v.error.expect("rejected");
        assert_eq!(e.message, "BPF program is too large. Processed 1000001 insn");
        assert_eq!(e.errno, E2BIG);
        // Privileged, the loop is walked three times and accepted.
        let v = verify(&prog, &[], &Options { unpriv: false, ..opts });
        assert!(v.accepted, "{:?}", v.error);
    }

    #[test]
    fn the_trace_stops_at_its_limit() {
        let opts =
            Options { prog_type: ProgType::SocketFilter, unpriv: false, log_level: 0, trace: true };
        let prog = crate::assemble("r1 = 0\nl:\nr1 += 1\nif r1 < 100000000 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let v = verify(&prog, &[], &opts);
        assert_eq!(v.processed, 1_000_001);
        assert_eq!(v.trace.steps.len(), TRACE_LIMIT);
        // The first steps are the walk's beginning.
        assert_eq!(
            (v.trace.steps[0].insn, v.trace.steps[1].insn, v.trace.steps[2].insn),
            (0, 1, 2)
        );
    }

    fn traced(src: &str, level: u32) -> Verdict {
        let opts = Options { log_level: level, trace: true, ..Options::default() };
        let a = crate::assemble(src).unwrap();
        let maps: Vec<MapDef> =
            a.maps.iter().map(|n| MapDef::new(n, crate::maps::MapKind::Hash, 4, 8, 64)).collect();
        verify(&a.program.to_raw(), &maps, &opts)
    }

    fn span_text(v: &Verdict, i: usize) -> Option<&str> {
        v.trace.steps[i].log.map(|sp| &v.log[sp.start..sp.end])
    }

    const BRANCHY: &str = "r2 = *(u32 *)(r1 +0)\nif r2 > 3 goto a\nr0 = 1\nr3 = 1\nr3 = 2\nr3 = 3\nr3 = 4\nr3 = 5\nr3 = 6\nr3 = 7\nif r3 > 7 goto a\ngoto b\na:\nr0 = 1\nb:\nr3 = 0\nr0 = 0\nexit";

    /// Level 2: every step's span is its own instruction's line (or the pruned path's `safe`
    /// line), in walk order, with the state printed after it.
    #[test]
    fn level_2_spans_are_each_steps_own_lines() {
        let v = traced(BRANCHY, 2);
        assert!(v.accepted && v.trace.complete, "{:?}", v.error);
        assert_eq!(v.trace.initial.as_ref().unwrap().regs[1].typ, reg::RegType::Ctx);
        let mut last = 0;
        assert!(v.trace.steps.iter().any(|s| s.pruned) && v.trace.steps.iter().any(|s| s.exited));
        for (i, s) in v.trace.steps.iter().enumerate() {
            let t = span_text(&v, i).unwrap_or_else(|| panic!("step {i} has no span"));
            let sp = s.log.unwrap();
            assert!(sp.start >= last, "step {i} goes back in the log");
            last = sp.end;
            if s.pruned {
                assert!(t.contains(&format!("{}: safe", s.insn)), "step {i}: {t:?}");
            } else {
                assert!(t.starts_with(&format!("{}: (", s.insn)), "step {i}: {t:?}");
                let insn_lines = t.lines().filter(|l| {
                    let d = l.bytes().take_while(u8::is_ascii_digit).count();
                    d > 0 && l[d..].starts_with(": (")
                });
                assert_eq!(insn_lines.count(), 1, "step {i} holds one instruction: {t:?}");
            }
        }
    }

    /// Level 1: the log keeps only the failing path; its steps keep their lines, the dropped
    /// paths' steps have none, and the last step holds the error.
    #[test]
    fn level_1_spans_follow_the_kept_path() {
        let src = "r2 = *(u32 *)(r1 +0)\nif r2 > 3 goto bad\nr0 = 0\nexit\nbad:\nr0 = *(u64 *)(r2 +0)\nexit";
        let v = traced(src, 1);
        let e = v.error.as_ref().unwrap();
        assert_eq!(e.kind, ErrorKind::Walk);
        let steps = &v.trace.steps;
        let last = steps.len() - 1;
        assert!(span_text(&v, last).unwrap().contains(&e.message), "{}", v.log);
        // The fall-through path (insns 2, 3) was walked first and its log dropped.
        for (i, s) in steps.iter().enumerate() {
            let t = span_text(&v, i);
            match s.insn {
                2 | 3 => assert_eq!(t, None, "step {i}"),
                _ => assert!(t.unwrap().starts_with(&format!("{}: (", s.insn)), "step {i}"),
            }
        }
        // The branch keeps its line but not the state printed after it on the dropped path.
        assert_eq!(span_text(&v, 1).unwrap().lines().count(), 1);
        // Accepted at level 1: no log, no spans.
        let v = traced("r0 = 0\nexit", 1);
        assert!(v.log.starts_with("processed ") && v.trace.steps.iter().all(|s| s.log.is_none()));
    }

    #[test]
    fn checks_before_the_walk_name_their_instruction() {
        let v = traced("r0 = 0\nexit\nr0 = 1\nexit", 1);
        let e = v.error.unwrap();
        assert_eq!(e.message, "unreachable insn 2");
        assert_eq!(e.insn, Some(2));
        assert_eq!(
            e.kind,
            ErrorKind::Cfg(cfg::CfgError { insn: 2, kind: cfg::CfgErrorKind::Unreachable })
        );
        let e = traced("r0 = 0", 1).error.unwrap();
        assert_eq!((e.message.as_str(), e.insn), ("last insn is not an exit or jmp", Some(0)));
        let raw = [
            RawInsn { code: 0xff, ..RawInsn::default() },
            RawInsn { code: 0x95, ..RawInsn::default() },
        ];
        let e = verify(&raw, &[], &Options::default()).error.unwrap();
        assert_eq!(
            (e.message.as_str(), e.insn, e.kind),
            ("unknown opcode ff", Some(0), ErrorKind::Insn)
        );
        let e = verify(&[], &[], &Options::default()).error.unwrap();
        assert_eq!((e.insn, e.kind), (None, ErrorKind::Refused));
    }

    #[test]
    fn a_huge_log_keeps_its_tail() {
        let opts = Options {
            prog_type: ProgType::SocketFilter,
            unpriv: false,
            log_level: 1,
            trace: false,
        };
        let prog = crate::assemble("r1 = 0\nl:\nr1 += 1\nif r1 < 100000000 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let v = verify(&prog, &[], &opts);
        assert!(!v.accepted);
        assert!(v.log.len() < 3 * LOG_KEEP, "{} bytes", v.log.len());
        assert!(v.log.starts_with("[bpfplay: the log's first "), "{}", &v.log[..100]);
        assert!(v.log.ends_with("BPF program is too large. Processed 1000001 insn\nprocessed 1000001 insns (limit 1000000) max_states_per_insn 4 total_states 25001 peak_states 25001 mark_read 0\n"));
        // Every kept line is whole: the second line starts with an instruction number.
        let second = v.log.lines().nth(1).unwrap();
        assert!(second.split(':').next().unwrap().parse::<u32>().is_ok(), "{second}");
    }

    #[test]
    fn progress_is_reported_on_long_walks_only() {
        let opts = Options {
            prog_type: ProgType::SocketFilter,
            unpriv: false,
            log_level: 0,
            trace: false,
        };
        // A loop the verifier walks one iteration at a time: 2 processed per iteration.
        let prog = crate::assemble("r1 = 0\nl:\nr1 += 1\nif r1 < 100000 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let mut seen = Vec::new();
        let v = verify_with_progress(&prog, &[], &opts, &mut |n| seen.push(n));
        assert!(v.accepted, "{:?}", v.error);
        let expect: Vec<u64> =
            (1..=v.processed / PROGRESS_EVERY).map(|k| k * PROGRESS_EVERY).collect();
        assert!(!expect.is_empty());
        assert_eq!(seen, expect);
        let short = crate::assemble("r0 = 0\nexit").unwrap().program.to_raw();
        let mut calls = 0;
        verify_with_progress(&short, &[], &opts, &mut |_| calls += 1);
        assert_eq!(calls, 0);
    }
}
