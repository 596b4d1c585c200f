//! The walk's shared context: the kernel's `struct bpf_verifier_env` (here [`Env`]) with the
//! current path's state, the queue of paths still to explore (`push_stack` / `pop_stack`),
//! the log being written, the errno a check fails with ([`Fail`], [`R`]) and the limits.
//! Every check module (alu, mem, jmp, call, precise, prune) works on an [`Env`]; the walk
//! itself (`do_check`) is in `walk.rs`.

use super::insn_aux::InsnAux;
use super::log;
use super::options::Options;
use super::reg::{RegState, RegType, ADD_CONST};
use super::state::{Explored, FuncState, VState};
use super::verdict::{ErrorKind, Step};
use crate::isa::RawInsn;
use crate::maps::MapDef;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// BPF_COMPLEXITY_LIMIT_INSNS.
pub const COMPLEXITY_LIMIT: u64 = 1_000_000;
/// BPF_MAXINSNS (unprivileged program size limit).
pub const MAX_INSNS_UNPRIV: usize = 4096;
/// BPF_MAX_VAR_OFF: how far a pointer's offset may go (`check_reg_sane_offset`, stack and
/// map bounds).
pub(crate) const MAX_VAR_OFF: i64 = 1 << 29;
/// BPF_COMPLEXITY_LIMIT_JMP_SEQ: how many paths may wait in the queue (`push_stack`).
pub(crate) const COMPLEXITY_LIMIT_JMP_SEQ: usize = 8192;

/// About how much of the log is kept: a walk to the complexity limit logs ~100 MB at level 1;
/// bpfplay keeps the tail, like the kernel's rotating log buffer (whose size the loader picks).
pub const LOG_KEEP: usize = 2 << 20;

/// The structured trace records at most this many steps (each holds a frame's registers and
/// stack: a walk to the complexity limit would need gigabytes); `processed` says how many
/// there were.
pub const TRACE_LIMIT: usize = 20_000;

/// How many processed instructions pass between two calls of the progress callback.
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// Why the walk stopped: an error with its errno.
pub(crate) struct Fail {
    pub errno: i32,
}

// The errnos the checks fail with (BPF_PROG_LOAD returns the first one).
pub(crate) const EACCES: i32 = 13;
pub(crate) const EINVAL: i32 = 22;
pub(crate) const E2BIG: i32 = 7;
pub(crate) const EFAULT: i32 = 14;
pub(crate) const EBADF: i32 = 9;
pub(crate) const EPERM: i32 = 1;
pub(crate) const ENOTSUPP: i32 = 524;

/// What a check returns: its result, or the failure that stops the walk.
pub(crate) type R<T> = Result<T, Fail>;

/// Outcome of one instruction for the walk.
pub(crate) enum Flow {
    Next,
    Jump(usize),
    /// The path ended (exit of the main program, or a pruned state).
    Exit,
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

/// The kernel's `struct bpf_verifier_env`: the program, the current state and everything the
/// walk keeps across paths.
pub(crate) struct Env<'a> {
    pub raw: &'a [RawInsn],
    /// Told the processed-instruction count now and then (a progress bar for long walks).
    pub progress: &'a mut dyn FnMut(u64),
    /// The program's maps, then the inner maps of its maps of maps ([`super::state_maps`]).
    pub maps: &'a [MapDef],
    /// How many of `maps` are the program's own (an `LD_IMM64` may name only those).
    pub n_user_maps: usize,
    /// For each of `maps`, the index of its inner map's meta if it is a map of maps
    /// ([`super::state_maps`]).
    pub inner_metas: Vec<Option<u32>>,
    /// BTF func info, one record per function (empty: the program has none).
    pub funcs: &'a [super::FuncInfo],
    /// BTF line info, sorted by instruction (empty: none).
    pub lines: &'a [super::LineInfo],
    /// `env->prev_linfo`: the line record the log showed last.
    pub prev_linfo: Option<usize>,
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
    pub subprogs: Vec<usize>,
    pub explored: Explored,
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
    /// `env->insn_aux_data`: one record per instruction (`raw.len()` of them).
    pub aux: Vec<InsnAux>,
    /// env->explore_alu_limits: set once a pointer moved by an unknown scalar; scalars are
    /// then compared exactly when pruning.
    pub explore_alu_limits: bool,
}

impl<'a> Env<'a> {
    /// A walk of `raw` (with `maps`) not yet started: one frame with only R10 (the frame
    /// pointer) set; `do_check` sets R1 to the context.
    pub fn new(
        raw: &'a [RawInsn],
        maps: &'a [MapDef],
        opts: &'a Options,
        progress: &'a mut dyn FnMut(u64),
    ) -> Env<'a> {
        Env {
            raw,
            progress,
            maps,
            n_user_maps: maps.len(),
            inner_metas: Vec::new(),
            funcs: &[],
            lines: &[],
            prev_linfo: None,
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
                may_goto_depth: 0,
                dfs_depth: 0,
                callback_unroll_depth: 0,
            },
            insn_idx: 0,
            prev_insn_idx: 0,
            id_gen: 0,
            processed: 0,
            jmps_processed: 0,
            prev_jmps_processed: 0,
            prev_insn_processed: 0,
            stack: Vec::new(),
            subprogs: Vec::new(),
            explored: Explored::default(),
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
            aux: vec![InsnAux::default(); raw.len()],
            explore_alu_limits: false,
        }
    }
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
    /// `assign_scalar_id_before_mov`: a copied unknown scalar gets an id that links the copies.
    /// (Register moves in alu.rs and spills in mem.rs both copy.)
    pub fn assign_scalar_id(&mut self, r: u8) {
        let mut s = self.reg(r);
        if s.typ != RegType::Scalar {
            return;
        }
        if s.id & ADD_CONST != 0 {
            s.id = 0;
            s.off = 0;
        }
        if s.id == 0 && !s.var_off.is_const() {
            s.id = self.new_id();
        }
        self.st.cur_mut().regs[r as usize] = s;
    }
    /// `check_reference_leak`: one line per reference still held; true if any is. (Asked at
    /// the main program's exit in call.rs and before `LD_ABS` / `LD_IND` in mem.rs.)
    pub fn report_reference_leak(&mut self) -> bool {
        for r in self.st.refs.clone() {
            self.err_line(&format!("Unreleased reference id={} alloc_insn={}", r.id, r.insn_idx));
        }
        !self.st.refs.is_empty()
    }
}

/// Ends the span of the step whose state was being printed after it.
pub(crate) fn close_span(env: &mut Env) {
    let end = env.log_end();
    if let Some(i) = env.open_span.take() {
        if let Some(sp) = env.steps.get_mut(i).and_then(|s| s.log.as_mut()) {
            sp.end = end;
        }
    }
}

/// `pop_stack`: resume the most recent queued path; at log level 1 the log of the finished
/// path is dropped.
pub(crate) fn pop(
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
pub(crate) fn print_insn_state(env: &mut Env) {
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
