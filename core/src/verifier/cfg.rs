//! Program-level checks before the path walk, in the kernel's order (kernel/bpf/verifier.c:
//! `add_subprog_and_kfunc`, `check_subprogs`, `check_cfg` with `visit_insn`/`push_insn`) and the
//! static register liveness of `compute_live_registers`.

use crate::isa::opcode::*;
use crate::isa::RawInsn;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

/// Why a program fails a check made before the path walk, at instruction `insn`; its
/// `Display` is the kernel's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CfgError {
    pub insn: usize,
    pub kind: CfgErrorKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CfgErrorKind {
    /// A bpf-to-bpf call (or a callback's `LD_IMM64`) to outside the program.
    CallToInvalidDestination,
    JumpOutOfRange {
        to: i64,
    },
    /// A subprogram's last instruction falls through.
    LastInsnNotExit,
    LdAbsInSubprog,
    TailCallInSubprog,
    BackEdge {
        to: usize,
    },
    Unreachable,
    JumpIntoLdImm64,
}

impl fmt::Display for CfgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.insn;
        match self.kind {
            CfgErrorKind::CallToInvalidDestination => f.write_str("call to invalid destination"),
            CfgErrorKind::JumpOutOfRange { to } => {
                write!(f, "jump out of range from insn {i} to {to}")
            }
            CfgErrorKind::LastInsnNotExit => f.write_str("last insn is not an exit or jmp"),
            CfgErrorKind::LdAbsInSubprog => {
                f.write_str("LD_ABS is not allowed in subprogs without BTF")
            }
            CfgErrorKind::TailCallInSubprog => {
                f.write_str("tail_call is not allowed in subprogs without BTF")
            }
            CfgErrorKind::BackEdge { to } => write!(f, "back-edge from insn {i} to {to}"),
            CfgErrorKind::Unreachable => write!(f, "unreachable insn {i}"),
            CfgErrorKind::JumpIntoLdImm64 => write!(f, "jump into the middle of ldimm64 insn {i}"),
        }
    }
}

fn fail<T>(insn: usize, kind: CfgErrorKind) -> Result<T, CfgError> {
    Err(CfgError { insn, kind })
}

/// `BPF_FUNC_loop`, the helper that calls a callback.
pub(crate) const BPF_FUNC_LOOP: i32 = 181;

fn is_ldimm64(r: &RawInsn) -> bool {
    r.code == CLS_LD | MODE_IMM | SZ_DW
}
fn is_pseudo_call(r: &RawInsn) -> bool {
    r.code == CLS_JMP | JMP_CALL && r.src == PSEUDO_CALL
}
fn is_pseudo_func(r: &RawInsn) -> bool {
    is_ldimm64(r) && r.src == PSEUDO_FUNC
}

/// Subprogram starts, sorted, with a sentinel `len` at the end (the kernel's fake exit subprog).
pub fn subprogs(raw: &[RawInsn]) -> Result<Vec<usize>, CfgError> {
    let mut starts = vec![0usize];
    for (i, r) in raw.iter().enumerate() {
        if is_pseudo_call(r) || is_pseudo_func(r) {
            let t = i as i64 + r.imm as i64 + 1;
            if t < 0 || t >= raw.len() as i64 {
                return fail(i, CfgErrorKind::CallToInvalidDestination);
            }
            if !starts.contains(&(t as usize)) {
                starts.push(t as usize);
            }
        }
    }
    starts.sort_unstable();
    starts.push(raw.len());
    Ok(starts)
}

/// `check_subprogs`: jumps stay inside their subprogram; each ends in exit or goto.
pub fn check_subprogs(raw: &[RawInsn], subs: &[usize]) -> Result<(), CfgError> {
    let mut cur = 0;
    let (mut start, mut end) = (subs[0], subs[1]);
    for (i, r) in raw.iter().enumerate() {
        let c = r.code;
        let jmp = class(c) == CLS_JMP || class(c) == CLS_JMP32;
        if jmp && op(c) != JMP_EXIT && op(c) != JMP_CALL {
            let off = if c == CLS_JMP32 | JMP_JA {
                i as i64 + r.imm as i64 + 1
            } else {
                i as i64 + r.off as i64 + 1
            };
            if off < start as i64 || off >= end as i64 {
                return fail(i, CfgErrorKind::JumpOutOfRange { to: off });
            }
        }
        if i + 1 == end {
            if c != CLS_JMP | JMP_EXIT && c != CLS_JMP32 | JMP_JA && c != CLS_JMP | JMP_JA {
                return fail(i, CfgErrorKind::LastInsnNotExit);
            }
            start = end;
            cur += 1;
            if cur + 1 < subs.len() {
                end = subs[cur + 1];
            }
        }
    }
    Ok(())
}

/// The kernel's `check_abnormal_return` over the flags `check_subprogs` collects: LD_ABS/LD_IND
/// (any size) and tail calls are refused outside subprogram 0 when there is no BTF func info.
pub fn check_abnormal_return(raw: &[RawInsn], subs: &[usize]) -> Result<(), CfgError> {
    for w in subs[1..].windows(2) {
        let body = &raw[w[0]..w[1].min(raw.len())];
        if let Some(k) = body.iter().position(|r| {
            class(r.code) == CLS_LD && (mode(r.code) == MODE_ABS || mode(r.code) == MODE_IND)
        }) {
            return fail(w[0] + k, CfgErrorKind::LdAbsInSubprog);
        }
        if let Some(k) =
            body.iter().position(|r| r.code == CLS_JMP | JMP_CALL && r.src == 0 && r.imm == 12)
        {
            return fail(w[0] + k, CfgErrorKind::TailCallInSubprog);
        }
    }
    Ok(())
}

const DISCOVERED: u8 = 0x10;
const EXPLORED: u8 = 0x20;
const FALLTHROUGH: u8 = 1;
const BRANCH: u8 = 2;

/// What the CFG walk learns: the prune points.
pub struct Cfg {
    pub prune_point: Vec<bool>,
    /// mark_jmp_point: branch and `goto` targets and call return points, where the kernel
    /// records a jump-history entry (the conditional jump itself is a prune point only).
    pub jmp_point: Vec<bool>,
    /// mark_force_checkpoint: a `may_goto`, and a call of a helper that calls a callback.
    pub force_checkpoint: Vec<bool>,
    /// mark_calls_callback: a call of bpf_loop (the only such helper bpfplay models).
    pub calls_callback: Vec<bool>,
}

enum Visit {
    Done,
    Keep,
}

/// `check_cfg`: depth-first walk from insn 0; back-edges refused unless `allow_loops`;
/// every instruction must be reached.
pub fn check_cfg(raw: &[RawInsn], allow_loops: bool) -> Result<Cfg, CfgError> {
    let n = raw.len();
    let mut state = vec![0u8; n];
    let mut stack: Vec<usize> = vec![0];
    let mut cfg = Cfg {
        prune_point: vec![false; n + 2],
        jmp_point: vec![false; n + 2],
        force_checkpoint: vec![false; n],
        calls_callback: vec![false; n],
    };
    state[0] = DISCOVERED;

    let push = |t: usize,
                w: i64,
                e: u8,
                state: &mut Vec<u8>,
                stack: &mut Vec<usize>,
                cfg: &mut Cfg|
     -> Result<Visit, CfgError> {
        if e == FALLTHROUGH && state[t] >= DISCOVERED | FALLTHROUGH {
            return Ok(Visit::Done);
        }
        if e == BRANCH && state[t] >= DISCOVERED | BRANCH {
            return Ok(Visit::Done);
        }
        if w < 0 || w >= n as i64 {
            return fail(t, CfgErrorKind::JumpOutOfRange { to: w });
        }
        let w = w as usize;
        if e == BRANCH {
            cfg.prune_point[w] = true;
            cfg.jmp_point[w] = true;
        }
        if state[w] == 0 {
            state[t] = DISCOVERED | e;
            state[w] = DISCOVERED;
            stack.push(w);
            Ok(Visit::Keep)
        } else if state[w] & 0xf0 == DISCOVERED {
            if allow_loops {
                return Ok(Visit::Done);
            }
            fail(t, CfgErrorKind::BackEdge { to: w })
        } else {
            state[t] = DISCOVERED | e;
            Ok(Visit::Done)
        }
    };

    while let Some(&t) = stack.last() {
        let r = raw[t];
        let c = r.code;
        // visit_insn: the walk comes back to a bpf_loop call after each iteration of its
        // callback, and needs a checkpoint there to see the iterations converge.
        if c == CLS_JMP | JMP_CALL && r.src == 0 && r.imm == BPF_FUNC_LOOP {
            cfg.calls_callback[t] = true;
            cfg.force_checkpoint[t] = true;
            cfg.prune_point[t] = true;
            cfg.jmp_point[t] = true;
        }
        let res = if is_pseudo_func(&r) || (c == CLS_JMP | JMP_CALL) {
            let sz = if is_ldimm64(&r) { 2 } else { 1 };
            match push(t, (t + sz) as i64, FALLTHROUGH, &mut state, &mut stack, &mut cfg)? {
                Visit::Keep => Visit::Keep,
                Visit::Done => {
                    cfg.prune_point[t + sz] = true;
                    cfg.jmp_point[t + sz] = true;
                    if is_pseudo_func(&r) || is_pseudo_call(&r) {
                        cfg.prune_point[t] = true;
                        push(
                            t,
                            t as i64 + r.imm as i64 + 1,
                            BRANCH,
                            &mut state,
                            &mut stack,
                            &mut cfg,
                        )?
                    } else {
                        Visit::Done
                    }
                }
            }
        } else if class(c) != CLS_JMP && class(c) != CLS_JMP32 {
            let sz = if is_ldimm64(&r) { 2 } else { 1 };
            push(t, (t + sz) as i64, FALLTHROUGH, &mut state, &mut stack, &mut cfg)?
        } else {
            match op(c) {
                JMP_EXIT => Visit::Done,
                JMP_JA => {
                    let off = if class(c) == CLS_JMP { r.off as i64 } else { r.imm as i64 };
                    let w = t as i64 + off + 1;
                    let v = push(t, w, FALLTHROUGH, &mut state, &mut stack, &mut cfg)?;
                    // The jump target is a prune point however the edge was taken.
                    if (0..n as i64).contains(&w) {
                        cfg.prune_point[w as usize] = true;
                        cfg.jmp_point[w as usize] = true;
                    }
                    v
                }
                _ => {
                    cfg.prune_point[t] = true;
                    if c == CLS_JMP | JMP_JCOND && r.src == 0 {
                        cfg.force_checkpoint[t] = true;
                    }
                    match push(t, t as i64 + 1, FALLTHROUGH, &mut state, &mut stack, &mut cfg)? {
                        Visit::Keep => Visit::Keep,
                        Visit::Done => push(
                            t,
                            t as i64 + r.off as i64 + 1,
                            BRANCH,
                            &mut state,
                            &mut stack,
                            &mut cfg,
                        )?,
                    }
                }
            }
        };
        if let Visit::Done = res {
            state[t] = EXPLORED;
            stack.pop();
        }
    }
    let mut i = 0;
    while i < n {
        if state[i] != EXPLORED {
            return fail(i, CfgErrorKind::Unreachable);
        }
        if is_ldimm64(&raw[i]) {
            if i + 1 < n && state[i + 1] != 0 {
                return fail(i, CfgErrorKind::JumpIntoLdImm64);
            }
            i += 1;
        }
        i += 1;
    }
    Ok(cfg)
}

/// Registers (bit i = r_i) each instruction reads and writes, as `compute_insn_live_regs`.
fn use_def(raw: &[RawInsn], i: usize, helper_args: &dyn Fn(i32) -> u32) -> (u32, u32) {
    let r = raw[i];
    let c = r.code;
    let d = 1u32 << (r.dst & 15);
    let s = 1u32 << (r.src & 15);
    const CALLER_SAVED: u32 = 0x3f;
    match class(c) {
        CLS_LD => match mode(c) {
            MODE_IMM => (0, d),
            // LD_ABS/IND may end the program: every register counts as used (6.18's table).
            MODE_ABS => (0x3ff, CALLER_SAVED),
            _ => (0x3ff | s, CALLER_SAVED),
        },
        CLS_LDX => (s, d),
        CLS_ST => (d, 0),
        CLS_STX => {
            if mode(c) == MODE_ATOMIC {
                if r.imm == ATOMIC_CMPXCHG {
                    (d | s | 1, 1)
                } else if r.imm & ATOMIC_FETCH != 0 {
                    (d | s, s)
                } else {
                    (d | s, 0)
                }
            } else {
                (d | s, 0)
            }
        }
        CLS_ALU | CLS_ALU64 => {
            let o = op(c);
            if o == ALU_END || o == ALU_NEG {
                (d, d)
            } else if o == ALU_MOV {
                (if src(c) == SRC_X { s } else { 0 }, d)
            } else {
                (d | if src(c) == SRC_X { s } else { 0 }, d)
            }
        }
        _ => match op(c) {
            JMP_EXIT => (1, 0),
            JMP_JA | JMP_JCOND => (0, 0),
            JMP_CALL => {
                if r.src == PSEUDO_CALL {
                    (0x3e, CALLER_SAVED)
                } else if r.src == 0 {
                    (helper_args(r.imm), CALLER_SAVED)
                } else {
                    (0x3e, CALLER_SAVED)
                }
            }
            _ => (d | if src(c) == SRC_X { s } else { 0 }, 0),
        },
    }
}

/// Per instruction: can an instruction from here on read the stack (loads, atomics, calls)?
/// With subprograms, an exit may return to a caller that reads it.
pub fn stack_read_later(raw: &[RawInsn], has_subprogs: bool) -> Vec<bool> {
    let n = raw.len();
    let reads = |r: &RawInsn| match class(r.code) {
        CLS_LDX => true,
        CLS_STX => mode(r.code) == MODE_ATOMIC,
        CLS_JMP => op(r.code) == JMP_CALL || (op(r.code) == JMP_EXIT && has_subprogs),
        _ => false,
    };
    let mut out = vec![false; n];
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < 10_000 {
        changed = false;
        rounds += 1;
        for i in (0..n).rev() {
            let mut v = reads(&raw[i]);
            for s in successors(raw, i).into_iter().flatten() {
                if out[s] {
                    v = true;
                }
            }
            if v != out[i] {
                out[i] = v;
                changed = true;
            }
        }
    }
    out
}

/// Registers live before each instruction (bit i = r_i), by backward data flow to a fixed
/// point, as `compute_live_registers`.
pub fn live_regs(raw: &[RawInsn], helper_args: &dyn Fn(i32) -> u32) -> Vec<u32> {
    let n = raw.len();
    let ud: Vec<(u32, u32)> = (0..n).map(|i| use_def(raw, i, helper_args)).collect();
    let mut live = vec![0u32; n];
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < 10_000 {
        changed = false;
        rounds += 1;
        for i in (0..n).rev() {
            let mut out = 0;
            for s in successors(raw, i).into_iter().flatten() {
                out |= live[s];
            }
            let (u, d) = ud[i];
            let new = (u | (out & !d)) & 0x3ff;
            if new != live[i] {
                live[i] = new;
                changed = true;
            }
        }
    }
    live
}

/// Successors of instruction `i` in the control-flow graph (calls fall through).
fn successors(raw: &[RawInsn], i: usize) -> [Option<usize>; 2] {
    let n = raw.len();
    let r = raw[i];
    let c = r.code;
    let at = |t: i64| if (0..n as i64).contains(&t) { Some(t as usize) } else { None };
    if class(c) != CLS_JMP && class(c) != CLS_JMP32 {
        return [at(i as i64 + if is_ldimm64(&r) { 2 } else { 1 }), None];
    }
    match op(c) {
        JMP_EXIT => [None, None],
        JMP_CALL => [at(i as i64 + 1), None],
        JMP_JA => {
            [at(i as i64 + 1 + if class(c) == CLS_JMP { r.off as i64 } else { r.imm as i64 }), None]
        }
        _ => [at(i as i64 + 1), at(i as i64 + 1 + r.off as i64)],
    }
}

/// Strongly connected components (loops) of the CFG, numbered from 1 in the order Tarjan's
/// algorithm completes them; 0 for instructions in no loop (the `scc` column of 6.18's
/// "Live regs before insn" table).
pub fn scc_ids(raw: &[RawInsn]) -> Vec<u32> {
    let n = raw.len();
    let mut index = vec![u32::MAX; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut ids = vec![0u32; n];
    let mut next_index = 0u32;
    let mut next_id = 1u32;
    for root in 0..n {
        if index[root] != u32::MAX {
            continue;
        }
        // (node, next successor slot)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            let succ = successors(raw, v);
            if *k < 2 {
                let s = succ[*k];
                *k += 1;
                if let Some(w) = s {
                    if index[w] == u32::MAX {
                        index[w] = next_index;
                        low[w] = next_index;
                        next_index += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                }
                continue;
            }
            work.pop();
            if let Some(&(p, _)) = work.last() {
                low[p] = low[p].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                let self_loop = successors(raw, v).contains(&Some(v));
                if comp.len() > 1 || self_loop {
                    for w in comp {
                        ids[w] = next_id;
                    }
                    next_id += 1;
                }
            }
        }
    }
    ids
}
