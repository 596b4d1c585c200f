//! The verifier: the same verdict, first error message, processed-instruction count and log as
//! the Linux 6.18 verifier (kernel/bpf/verifier.c), with a structured trace of every step.
//!
//! Pipeline, in the kernel's order: size limit, subprograms (`add_subprog_and_kfunc`,
//! `check_subprogs`), opcode/`LD_IMM64`/map checks (`resolve_pseudo_ldimm64`), the CFG walk
//! (`check_cfg`), register liveness, then the path walk (`do_check`) with state pruning.

mod alu;
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
use alloc::string::String;
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
pub struct VerifyError {
    pub insn: Option<usize>,
    pub message: String,
    /// The errno the kernel's BPF_PROG_LOAD returns (EACCES 13, EINVAL 22, E2BIG 7, ...).
    pub errno: i32,
}

/// One processed instruction of the walk, for the UI's stepper.
#[derive(Clone, Debug)]
pub struct Step {
    pub insn: usize,
    /// The frame's registers and stack after the instruction (before it, for the failing one).
    pub frame: FuncState,
    pub frameno: usize,
    /// A branch whose other side was queued: (from, to).
    pub pushed: Option<(usize, usize)>,
    /// This step resumed a queued branch: (from, to).
    pub popped: Option<(usize, usize)>,
    /// The path ended here as equivalent to an explored state.
    pub pruned: bool,
}

#[derive(Clone, Debug)]
pub struct Verdict {
    pub accepted: bool,
    pub error: Option<VerifyError>,
    pub processed: u64,
    pub max_states_per_insn: u32,
    pub total_states: u32,
    pub peak_states: u32,
    pub log: String,
    pub steps: Vec<Step>,
}

/// A path waiting to be explored (the kernel's `bpf_verifier_stack_elem`).
pub(crate) struct Pending {
    st: VState,
    insn: usize,
    prev: usize,
    log_pos: usize,
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
            let insn = if env.processed > 0 { Some(env.insn_idx) } else { None };
            (false, Some(VerifyError { insn, message, errno: f.errno }))
        }
    };
    if accepted && opts.log_level == 1 {
        env.log.clear();
    }
    let (max_states, total, peak) = env.explored.stats();
    let refused_early = matches!(&error, Some(e) if e.message.starts_with("bpf("));
    if refused_early {
        env.log.clear();
    }
    if env.log_base > 0 && !env.log.is_empty() {
        env.log.insert_str(
            0,
            &format!(
                "[bpfplay: the log's first {} bytes were dropped; its last part follows]\n",
                env.log_base
            ),
        );
    }
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
        steps: env.steps,
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
        Err(m) => return env.err(EINVAL, m),
    };
    if env.opts.log_level >= 2 {
        for (i, s) in subs[..subs.len() - 1].iter().enumerate() {
            env.say(&format!("func#{i} @{s}\n"));
        }
    }
    if let Err(m) = cfg::check_subprogs(raw, &subs) {
        return env.err(EINVAL, m);
    }
    // check_btf_info -> check_abnormal_return: without BTF func info (bpfplay has none), no
    // subprogram other than the main one may use LD_ABS/LD_IND or tail calls.
    if let Err(m) = cfg::check_abnormal_return(raw, &subs) {
        return env.err(EINVAL, m);
    }
    env.subprogs = subs;
    env.stack_depth = vec![0; env.subprogs.len()];
    // resolve_pseudo_ldimm64: LDX fields, LD_IMM64 pairs and map fds, the opcode table.
    let mut i = 0;
    while i < raw.len() {
        let r = raw[i];
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
    // Back-edges are allowed with CAP_BPF, which both modes keep.
    match cfg::check_cfg(raw, env.bpf_capable()) {
        Ok(c) => env.cfg = c,
        Err(m) => return env.err(EINVAL, m),
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
    }
    check_max_stack_depth(env)
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
    let mut do_print_state = false;
    let mut popped: Option<(usize, usize)> = None;
    loop {
        let idx = env.insn_idx;
        if idx >= env.raw.len() {
            return env.err(EFAULT, format!("invalid insn idx {} insn_cnt {}", idx, env.raw.len()));
        }
        env.processed += 1;
        if env.processed % PROGRESS_EVERY == 0 {
            (env.progress)(env.processed);
        }
        if env.processed > COMPLEXITY_LIMIT {
            return env
                .err(E2BIG, format!("BPF program is too large. Processed {} insn", env.processed));
        }
        if env.cfg.prune_point[idx] {
            if prune::is_state_visited(env, idx)? {
                if env.opts.log_level > 0 {
                    if do_print_state {
                        let spec = if env.st.speculative { " (speculative execution)" } else { "" };
                        let s = format!("\nfrom {} to {}{spec}: safe\n", env.prev_insn_idx, idx);
                        env.say(&s);
                    } else {
                        env.say(&format!("{idx}: safe\n"));
                    }
                }
                if env.opts.trace && env.steps.len() < TRACE_LIMIT {
                    env.steps.push(Step {
                        insn: idx,
                        frame: env.cur().clone(),
                        frameno: env.st.curframe(),
                        pushed: None,
                        popped: popped.take(),
                        pruned: true,
                    });
                }
                // A pruned path ends like an exit (`goto process_bpf_exit`): its checkpoints
                // lose a branch, so finished ones can prune others and no longer look like
                // loop heads.
                prune::update_branch_counts(env);
                match pop(env, &mut do_print_state, &mut popped) {
                    Some(()) => continue,
                    None => return Ok(()),
                }
            }
        }
        env.st.last_insn = env.prev_insn_idx;
        env.st.hist.push(precise::Hist {
            idx: idx as u32,
            prev: env.prev_insn_idx as u32,
            stack: None,
        });
        if env.opts.log_level >= 2 && do_print_state {
            let spec = if env.st.speculative { " (speculative execution)" } else { "" };
            let mut s = format!("\nfrom {} to {}{spec}:", env.prev_insn_idx, idx);
            print_state(env, &mut s, true);
            env.say(&s);
            do_print_state = false;
        }
        if env.opts.log_level > 0 {
            if env.scratched_regs != 0 || env.scratched_stack != 0 {
                print_insn_state(env);
            }
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
        if env.opts.trace && env.steps.len() < TRACE_LIMIT {
            env.steps.push(Step {
                insn: idx,
                frame: env.cur().clone(),
                frameno: env.st.curframe(),
                pushed: env.pushed_now,
                popped: popped.take(),
                pruned: false,
            });
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
    env.stack.push(Pending { st, insn: target, prev: from, log_pos });
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
        assert_eq!(v.steps.len(), TRACE_LIMIT);
        // The first steps are the walk's beginning.
        assert_eq!((v.steps[0].insn, v.steps[1].insn, v.steps[2].insn), (0, 1, 2));
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
