//! The path walk (`do_check`) and what runs before it in `bpf_check`: the size limit,
//! subprograms, `resolve_pseudo_ldimm64`'s checks, `check_cfg`, register liveness; after it,
//! `check_max_stack_depth`. Also the trace: a step per processed instruction, with the span
//! of the log it printed.

use super::env::{
    close_span, pop, print_insn_state, print_state, push_branch, Env, Flow, COMPLEXITY_LIMIT,
    E2BIG, EACCES, EBADF, EFAULT, EINVAL, ENOTSUPP, EPERM, MAX_INSNS_UNPRIV, PROGRESS_EVERY, R,
    TRACE_LIMIT,
};
use super::log::{insn_line, kernel_insn_len};
use super::reg::{RegState, RegType};
use super::verdict::{ErrorKind, LogSpan, Step};
use super::{alu, call, cfg, func_info, jmp, mem, prune, state};
use crate::isa::decode::{decode_one, DecodeErrorKind, Dialect};
use crate::isa::opcode::*;
use crate::isa::{Insn, RawInsn};
use crate::maps::MapKind;
use crate::progtype::ProgType;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

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

/// Turns the steps' spans from positions in the whole log into positions in the log kept,
/// dropping those whose text is gone.
pub(super) fn place_spans(env: &mut Env, kept: bool, head: usize) {
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

/// `bpf_check` from the size limit to `check_max_stack_depth`.
pub(super) fn run(env: &mut Env) -> R<()> {
    let raw = env.raw;
    // bpf_prog_load: BPF_MAXINSNS (4096) only for a loader without CAP_BPF; both of
    // bpfplay's modes keep CAP_BPF (unprivileged drops CAP_SYS_ADMIN and CAP_PERFMON).
    let limit = if env.bpf_capable() { COMPLEXITY_LIMIT as usize } else { MAX_INSNS_UNPRIV };
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
    // check_btf_info: without BTF func info (check_abnormal_return) no subprogram other than
    // the main one may use LD_ABS/LD_IND or tail calls; with it (check_btf_func) those that
    // do must return a small integer.
    if env.funcs.is_empty() {
        if let Err(e) = cfg::check_abnormal_return(raw, &subs) {
            return cfg_err(env, e);
        }
    } else {
        // check_btf_func: one record per subprogram, at its first instruction.
        let starts: Vec<usize> = env.funcs.iter().map(|f| f.insn).collect();
        if starts[..] != subs[..subs.len() - 1] {
            return env.err(
                EINVAL,
                String::from("func_info BTF section doesn't match subprog layout in BPF program"),
            );
        }
        for w in subs[1..].windows(2) {
            let scalar =
                func_info::at(env.funcs, w[0]).is_some_and(func_info::returns_small_scalar);
            if scalar {
                continue;
            }
            if let Err(e) = cfg::check_abnormal_return(raw, &[0, w[0], w[1]]) {
                let what = match e.kind {
                    cfg::CfgErrorKind::LdAbsInSubprog => "LD_ABS",
                    _ => "tail_call",
                };
                env.fail_at = Some((Some(e.insn), ErrorKind::Cfg(e)));
                return env.err(
                    EINVAL,
                    format!("{what} is only allowed in functions that return 'int'."),
                );
            }
        }
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
                    if r.imm < 0 || r.imm as usize >= env.n_user_maps {
                        return env
                            .err(EBADF, format!("fd {} is not pointing to valid bpf_map", r.imm));
                    }
                    check_map_prog_compatibility(env, r.imm as usize)?;
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
                        if !matches!(m.kind, MapKind::Array | MapKind::PercpuArray) {
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
        Ok(c) => {
            for (i, a) in env.aux.iter_mut().enumerate() {
                a.prune_point = c.prune_point[i];
                a.jmp_point = c.jmp_point[i];
                a.force_checkpoint = c.force_checkpoint[i];
                a.calls_callback = c.calls_callback[i];
            }
        }
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
    let scc = cfg::scc_ids(raw);
    for (a, &s) in env.aux.iter_mut().zip(&scc) {
        a.scc = s;
    }
    if env.opts.log_level >= 2 {
        env.say("Live regs before insn:\n");
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
    let stack_read_later = cfg::stack_read_later(raw, env.subprogs.len() > 2);
    for (i, a) in env.aux.iter_mut().enumerate() {
        a.live_regs_before = live[i];
        a.stack_read_later = stack_read_later[i];
    }
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
        return r;
    }
    misc_fixups(env)
}

/// The checks of `do_misc_fixups`, which rewrites instructions after a successful walk: an
/// unprivileged tail call (its prog_array made without CAP_PERFMON) gets an index mask for
/// one map, so a call reached with two maps is refused.
fn misc_fixups(env: &mut Env) -> R<()> {
    if !env.opts.unpriv {
        return Ok(());
    }
    let poisoned = env.raw.iter().enumerate().find(|&(i, r)| {
        r.code == CLS_JMP | JMP_CALL && r.src == 0 && r.imm == 12 && env.aux[i].map_ptr_poison
    });
    if let Some((i, _)) = poisoned {
        env.fail_at = Some((Some(i), ErrorKind::Fixup));
        return env.err(EINVAL, String::from("tail_call abusing map_ptr"));
    }
    Ok(())
}

/// `check_map_prog_compatibility`: what a map's special value fields allow this program
/// type (6.18 refuses spin locks in socket filters and tracing programs, timers and
/// workqueues in tracing programs).
fn check_map_prog_compatibility(env: &mut Env, map: usize) -> R<()> {
    let rec = env.maps[map].record;
    let tracing = matches!(env.opts.prog_type, ProgType::Kprobe | ProgType::Tracepoint);
    if rec.spin_lock.is_some() {
        if env.opts.prog_type == ProgType::SocketFilter {
            return env
                .err(EINVAL, String::from("socket filter progs cannot use bpf_spin_lock yet"));
        }
        if tracing {
            return env.err(EINVAL, String::from("tracing progs cannot use bpf_spin_lock yet"));
        }
    }
    if rec.timer.is_some() && tracing {
        return env.err(EINVAL, String::from("tracing progs cannot use bpf_timer yet"));
    }
    if rec.wq.is_some() && tracing {
        return env.err(EINVAL, String::from("tracing progs cannot use bpf_wq yet"));
    }
    Ok(())
}

/// A check before the walk refused the program at an instruction.
fn cfg_err(env: &mut Env, e: cfg::CfgError) -> R<()> {
    env.fail_at = Some((Some(e.insn), ErrorKind::Cfg(e)));
    env.err(EINVAL, e.to_string())
}

/// `check_max_stack_depth` (`check_max_stack_depth_subprog` from the main program): every
/// call chain of the static call graph, walked as the kernel walks it (each call
/// instruction and each callback address in order, recursion included), must stay within
/// 8 frames and, each frame rounded up to 16 bytes (the JIT's rounding), 512 bytes.
/// Tracepoint programs without tail calls get private stacks on x86-64
/// (`bpf_enable_priv_stack`): a function of 64 bytes or more (the main program too) then has
/// its own 512 bytes and does not count toward the others'. A subprogram with a tail call may not be
/// reached with 256 bytes of stack or more above it.
fn check_max_stack_depth(env: &mut Env) -> R<()> {
    /// Frames a walk may enter before bpfplay stops looking (the kernel has no such bound;
    /// no real program comes near it).
    const MAX_STEPS: u32 = 1 << 20;
    /// `BPF_PRIV_STACK_MIN_SIZE`.
    const PRIV_STACK_MIN: i32 = 64;
    enum Too {
        Deep(usize),
        Big(usize, i32),
        Subprog(usize, i32),
        TailCall(i32),
    }
    struct Walk<'a> {
        raw: &'a [RawInsn],
        subprogs: &'a [usize],
        stack_depth: &'a [i32],
        /// Per subprogram: None while undecided, Some(private stack or not) (priv_stack_mode).
        private: Vec<Option<bool>>,
        priv_ok: bool,
        tail_call: Vec<bool>,
        steps: u32,
    }
    fn walk(w: &mut Walk, sub: usize, depth: i32, frame: usize) -> Result<(), Too> {
        w.steps += 1;
        if w.steps > MAX_STEPS {
            return Ok(());
        }
        if sub != 0 && w.tail_call[sub] && depth >= 256 {
            return Err(Too::TailCall(depth));
        }
        let own = (w.stack_depth[sub].max(0) + 15) / 16 * 16;
        if !w.priv_ok {
            w.private[sub] = Some(false);
        } else if w.private[sub].is_none() && own >= PRIV_STACK_MIN {
            w.private[sub] = Some(true);
        }
        let depth = if w.private[sub] == Some(true) {
            if own > state::MAX_BPF_STACK {
                return Err(Too::Subprog(sub, own));
            }
            depth
        } else {
            let d = depth + own;
            if d > state::MAX_BPF_STACK {
                return Err(Too::Big(frame + 1, d));
            }
            d
        };
        for i in w.subprogs[sub]..w.subprogs[sub + 1] {
            let r = w.raw[i];
            let call = r.code == CLS_JMP | JMP_CALL && r.src == PSEUDO_CALL;
            let callback = r.code == CLS_LD | MODE_IMM | SZ_DW && r.src == PSEUDO_FUNC;
            if !call && !callback {
                continue;
            }
            let t = i as i64 + 1 + r.imm as i64;
            let Ok(callee) = w.subprogs.binary_search(&(t as usize)) else { continue };
            if frame + 1 >= state::MAX_CALL_FRAMES {
                return Err(Too::Deep(frame + 1));
            }
            walk(w, callee, depth, frame + 1)?;
        }
        Ok(())
    }
    let n = env.subprogs.len() - 1;
    let is_tail_call = |r: &RawInsn| r.code == CLS_JMP | JMP_CALL && r.src == 0 && r.imm == 12;
    let tail_call: Vec<bool> = (0..n)
        .map(|s| env.raw[env.subprogs[s]..env.subprogs[s + 1]].iter().any(is_tail_call))
        .collect();
    // bpf_enable_priv_stack names kprobes too, but the 6.18 kernel here gives them none
    // (measured: subprog_stack_combined_kprobe in the kernel corpus).
    let priv_ok = env.opts.prog_type == ProgType::Tracepoint && !tail_call.iter().any(|&t| t);
    let r = {
        let mut w = Walk {
            raw: env.raw,
            subprogs: &env.subprogs,
            stack_depth: &env.stack_depth,
            private: vec![None; n],
            priv_ok,
            tail_call,
            steps: 0,
        };
        walk(&mut w, 0, 0, 0)
    };
    match r {
        Ok(()) => Ok(()),
        Err(Too::Deep(frames)) => {
            env.err(E2BIG, format!("the call stack of {frames} frames is too deep !"))
        }
        Err(Too::Big(frames, depth)) => {
            env.err(EACCES, format!("combined stack size of {frames} calls is {depth}. Too large"))
        }
        Err(Too::Subprog(sub, size)) => {
            env.err(EACCES, format!("stack size of subprog {sub} is {size}. Too large"))
        }
        Err(Too::TailCall(depth)) => env.err(
            EACCES,
            format!(
                "tail_calls are not allowed when call stack of previous frames is {depth} bytes. \
                 Too large"
            ),
        ),
    }
}

fn do_check(env: &mut Env) -> R<()> {
    // do_check_common: the main program's BTF signature is checked only to learn whether it
    // is reliable, but what btf_prepare_func_args says reaches the log.
    if let Some(f) = func_info::at(env.funcs, 0) {
        if let Err(Some(m)) = func_info::prepare_args(f, env.opts.prog_type) {
            env.say(&format!("{m}\n"));
        }
    }
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
        // The kernel sets this before the state can become a checkpoint here.
        env.st.last_insn = env.prev_insn_idx;
        if env.aux[idx].prune_point && prune::is_state_visited(env, idx)? {
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
        env.st.push_hist(idx, env.prev_insn_idx);
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
            // verbose_linfo: the source line, when its record is not the one shown last.
            if let Some(li) = func_info::find_line(env.lines, idx) {
                if env.prev_linfo != Some(li) {
                    env.prev_linfo = Some(li);
                    let l = env.lines[li].log_line();
                    env.say(&l);
                }
            }
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
        let mut flow = if env.st.speculative && env.aux[idx].nospec {
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
                env.aux[idx].nospec = true;
                flow = Ok(Flow::Exit);
            }
        }
        // A store that got a Spectre v4 barrier after it ends a speculative path there.
        if env.st.speculative
            && env.aux[idx].nospec_result
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
            if env.st.frames.len() == 1 {
                return Ok(Flow::Next);
            }
            // In a subprogram a failed load returns from it with R0 = 0 (the exit
            // bpf_gen_ld_abs emits): Linux 6.18 walks that return first and the loaded value
            // on a pushed branch (the selftests' verifier_ld_ind/*_subprog_*).
            let st = env.st.clone();
            push_branch(env, idx + 1, idx, st)?;
            env.set_reg(0, RegState::known(0));
            call::check_exit(env)
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
        Insn::MayGoto { off } => {
            env.jmps_processed += 1;
            jmp::check_may_goto(env, idx, off)
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
