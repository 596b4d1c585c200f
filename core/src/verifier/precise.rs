//! Precision tracking (`mark_chain_precision`, `backtrack_insn`, `propagate_precision`):
//! scalars are compared loosely when pruning unless their exact value mattered somewhere
//! (a branch decided by it, a pointer offset, a helper's size argument...). When one does, the
//! instructions that produced it are walked backwards and the registers and stack slots it
//! came from are marked precise in every earlier checkpoint.
//!
//! bpfplay follows the kernel within one frame; where the walk would cross a bpf-to-bpf call
//! or another case the kernel answers with "mark everything", it marks every scalar precise,
//! which only prunes less.

use super::env::Env;
use super::log::insn_line;
use super::reg::RegType;
use super::state::{Hist, SlotType, VState};
use crate::isa::opcode::*;
use alloc::format;
use alloc::string::String;

#[derive(Clone, Copy, Default)]
struct Bt {
    regs: u32,
    stack: u64,
}

impl Bt {
    fn empty(&self) -> bool {
        self.regs == 0 && self.stack == 0
    }
    fn has(&self, r: u8) -> bool {
        self.regs & (1 << r) != 0
    }
    fn set(&mut self, r: u8) {
        if r < 10 {
            self.regs |= 1 << r;
        }
    }
    fn clear(&mut self, r: u8) {
        self.regs &= !(1 << r);
    }
}

fn fmt_regs(m: u32) -> String {
    let v: alloc::vec::Vec<String> =
        (0..32).filter(|i| m & (1 << i) != 0).map(|i| format!("r{i}")).collect();
    v.join(",")
}

fn fmt_stack(m: u64) -> String {
    let v: alloc::vec::Vec<String> = (0..64)
        .filter(|i| m & (1u64 << i) != 0)
        .map(|i| format!("{}", -(i as i64 + 1) * 8))
        .collect();
    v.join(",")
}

enum Step {
    Ok,
    /// The kernel's -ENOTSUPP: give up and mark everything precise.
    All,
}

fn backtrack(env: &mut Env, h: &Hist, bt: &mut Bt) -> Step {
    let r = env.raw[h.idx as usize];
    if r.code == 0 {
        return Step::Ok;
    }
    if env.opts.log_level >= 2 {
        let line = format!(
            "mark_precise: frame0: regs={} stack={} before {}: {}\n",
            fmt_regs(bt.regs),
            fmt_stack(bt.stack),
            h.idx,
            insn_line(env.raw, h.idx as usize, env.maps)
        );
        env.say(&line);
    }
    let (d, s) = (r.dst, r.src);
    match class(r.code) {
        CLS_ALU | CLS_ALU64 => {
            if !bt.has(d) {
                return Step::Ok;
            }
            match op(r.code) {
                ALU_END | ALU_NEG => {}
                ALU_MOV => {
                    bt.clear(d);
                    if src(r.code) == SRC_X && s != 10 {
                        bt.set(s);
                    }
                }
                _ => {
                    if src(r.code) == SRC_X && s != 10 {
                        bt.set(s);
                    }
                }
            }
        }
        CLS_LDX => {
            if !bt.has(d) {
                return Step::Ok;
            }
            bt.clear(d);
            if let Some((0, spi)) = h.stack {
                bt.stack |= 1u64 << spi;
            } else if h.stack.is_some() {
                return Step::All;
            }
        }
        CLS_STX | CLS_ST => {
            let atomic_fetch = class(r.code) == CLS_STX
                && mode(r.code) == MODE_ATOMIC
                && r.imm & ATOMIC_FETCH != 0;
            if atomic_fetch {
                let load = if r.imm == ATOMIC_CMPXCHG { 0 } else { s };
                if bt.has(load) {
                    bt.clear(load);
                    if let Some((0, spi)) = h.stack {
                        bt.stack |= 1u64 << spi;
                    }
                }
                return Step::Ok;
            }
            if bt.has(d) {
                return Step::All;
            }
            let Some((fr, spi)) = h.stack else { return Step::Ok };
            if fr != 0 {
                return Step::All;
            }
            if bt.stack & (1u64 << spi) == 0 {
                return Step::Ok;
            }
            bt.stack &= !(1u64 << spi);
            if class(r.code) == CLS_STX {
                bt.set(s);
            }
        }
        CLS_JMP | CLS_JMP32 => match op(r.code) {
            JMP_CALL => {
                if r.src == PSEUDO_CALL {
                    return Step::All;
                }
                bt.clear(0);
                if bt.regs & 0x3e != 0 {
                    return Step::All;
                }
            }
            JMP_EXIT => return Step::All,
            JMP_JA => {}
            _ => {
                if src(r.code) == SRC_X && (bt.has(d) || bt.has(s)) {
                    bt.set(s);
                    bt.set(d);
                }
            }
        },
        _ => {
            // LD
            if mode(r.code) == MODE_IMM {
                bt.clear(d);
            } else if bt.has(0) {
                return Step::All;
            }
        }
    }
    Step::Ok
}

/// `mark_chain_precision` for registers `regs` and stack slots `stack` of the current frame.
pub(crate) fn mark_precise(env: &mut Env, regs: u32, stack: u64) {
    let mut bt = Bt { regs, stack };
    // Only scalars are tracked.
    for r in 0..10u8 {
        if bt.has(r) && env.st.cur().regs[r as usize].typ != RegType::Scalar {
            bt.clear(r);
        }
    }
    if bt.empty() {
        return;
    }
    if env.st.frames.len() > 1 {
        mark_all(env);
        return;
    }
    let (mut last_idx, mut first_idx, mut subseq) =
        (env.insn_idx as i64, env.st.first_insn as i64, -1i64);
    let mut seg = env.st.hist.clone();
    let mut skip_first = true;
    let mut parent = env.st.parent;
    loop {
        if env.opts.log_level >= 2 {
            env.say(&format!("mark_precise: frame0: last_idx {last_idx} first_idx {first_idx} subseq_idx {subseq} \n"));
        }
        for h in seg.iter().rev() {
            if skip_first {
                skip_first = false;
                if h.idx as i64 == last_idx {
                    continue;
                }
            }
            match backtrack(env, h, &mut bt) {
                Step::All => {
                    mark_all(env);
                    return;
                }
                Step::Ok => {}
            }
            if bt.empty() {
                return;
            }
        }
        let Some(p) = parent else { return };
        // Mark the registers and slots in the checkpoint.
        {
            let st = &mut env.explored.arena[p].st;
            let f = &mut st.frames[0];
            for r in 0..10u8 {
                if !bt.has(r) {
                    continue;
                }
                let reg = &mut f.regs[r as usize];
                if reg.typ != RegType::Scalar || reg.precise {
                    bt.clear(r);
                } else {
                    reg.precise = true;
                }
            }
            for spi in 0..64usize {
                if bt.stack & (1u64 << spi) == 0 {
                    continue;
                }
                match f.stack.get_mut(spi) {
                    Some(sl)
                        if sl.types[7] == SlotType::Spill
                            && sl.spilled.typ == RegType::Scalar
                            && !sl.spilled.precise =>
                    {
                        sl.spilled.precise = true
                    }
                    _ => bt.stack &= !(1u64 << spi),
                }
            }
        }
        if env.opts.log_level >= 2 {
            let st = env.explored.arena[p].st.clone();
            let f = st.frames[0].clone();
            let mut s = format!(
                "mark_precise: frame0: parent state regs={} stack={}: ",
                fmt_regs(bt.regs),
                fmt_stack(bt.stack)
            );
            super::log::func_state(&mut s, &st, &f, env.maps, |_| true, |_| true);
            env.say(&s);
        }
        if bt.empty() {
            return;
        }
        let st = &env.explored.arena[p].st;
        subseq = first_idx;
        last_idx = st.last_insn as i64;
        first_idx = st.first_insn as i64;
        seg = st.hist.clone();
        parent = st.parent;
    }
}

/// `mark_all_scalars_precise`: every scalar in the current state's checkpoints.
fn mark_all(env: &mut Env) {
    let mut p = env.st.parent;
    while let Some(i) = p {
        let c = &mut env.explored.arena[i];
        // Checkpoints do not change once made except for precision marks, and a mark_all
        // that reached one went on to the root: nothing more to do up the chain.
        if c.all_precise {
            break;
        }
        c.all_precise = true;
        for f in c.st.frames.iter_mut() {
            for r in f.regs.iter_mut() {
                if r.typ == RegType::Scalar {
                    r.precise = true;
                }
            }
            for s in f.stack.iter_mut() {
                if s.is_spilled_scalar() {
                    s.spilled.precise = true;
                }
            }
        }
        p = c.st.parent;
    }
}

/// `propagate_precision`: after a prune, what was precise in the matching state must be
/// precise along the current path too.
pub(crate) fn propagate(env: &mut Env, old: &VState) {
    if old.frames.len() != env.st.frames.len() {
        mark_all(env);
        return;
    }
    if env.st.frames.len() > 1 {
        let any =
            old.frames.iter().any(|f| f.regs.iter().any(|r| r.typ == RegType::Scalar && r.precise));
        if any {
            mark_all(env);
        }
        return;
    }
    let f = &old.frames[0];
    let mut regs = 0u32;
    let mut stack = 0u64;
    for (i, r) in f.regs.iter().enumerate().take(10) {
        if r.typ == RegType::Scalar && r.precise {
            regs |= 1 << i;
        }
    }
    for (spi, s) in f.stack.iter().enumerate().take(64) {
        if s.is_spilled_scalar() && s.spilled.precise {
            stack |= 1u64 << spi;
        }
    }
    if regs == 0 && stack == 0 {
        return;
    }
    if env.opts.log_level >= 2 {
        let mut line = String::from("frame 0: propagating ");
        let mut parts = alloc::vec::Vec::new();
        for i in 0..10 {
            if regs & (1 << i) != 0 {
                parts.push(format!("r{i}"));
            }
        }
        for spi in 0..64 {
            if stack & (1u64 << spi) != 0 {
                parts.push(format!("fp{}", -(spi as i64 + 1) * 8));
            }
        }
        line.push_str(&parts.join(","));
        line.push('\n');
        env.say(&line);
    }
    mark_precise(env, regs, stack);
}
