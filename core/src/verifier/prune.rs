//! State pruning (`is_state_visited`, `states_equal`, `regsafe`, `stacksafe`) and loop
//! detection. Registers are compared only where live (`compute_live_registers`). bpfplay does
//! not backtrack precision marks: every scalar counts as precise, which never prunes a path
//! the kernel would explore, and may explore some that the kernel prunes.

use super::env::{print_state, Env, EINVAL, R};
use super::insn_aux::InsnAux;
use super::reg::ADD_CONST;
use super::reg::{RegState, RegType};
use super::scc;
use super::state::{Checkpoint, FuncState, SlotType, VState};
use alloc::format;
use alloc::vec::Vec;

/// `update_branch_counts`: a finished path releases its checkpoint chain. A checkpoint
/// with nothing left to explore closes the loop visit it opened, and is freed if it was
/// evicted already (`maybe_free_verifier_state`).
pub(crate) fn update_branch_counts(env: &mut Env) {
    let mut p = env.st.parent;
    while let Some(i) = p {
        let c = &mut env.explored.arena[i];
        c.branches = c.branches.saturating_sub(1);
        if c.branches > 0 {
            break;
        }
        p = c.st.parent;
        scc::maybe_exit(env, i);
        maybe_free(env, i);
    }
}

/// `maybe_free_verifier_state`: an evicted checkpoint goes once no path descends from it,
/// unless a loop visit may still propagate marks into it.
fn maybe_free(env: &mut Env, ci: usize) {
    let c = &env.explored.arena[ci];
    if c.alive || c.freed || c.branches != 0 || scc::incomplete_read_marks(env, ci) {
        return;
    }
    env.explored.arena[ci].freed = true;
    env.explored.live = env.explored.live.saturating_sub(1);
}

/// Returns true when the current state is covered by an explored one (prune).
pub(crate) fn is_state_visited(env: &mut Env, insn: usize) -> R<bool> {
    // force_new_state: the kernel's jump history (jump targets, call returns and stack
    // accesses since the last checkpoint) may not grow past 40 entries; it also bounds
    // the history every queued state carries.
    let jmp_history = env.st.jmp_history_cnt(|i| env.aux.get(i).is_some_and(|a| a.jmp_point));
    let force_checkpoint = env.aux.get(insn).is_some_and(|a| a.force_checkpoint);
    let calls_callback = env.aux.get(insn).is_some_and(|a| a.calls_callback);
    let stack_live = env.aux.get(insn).is_none_or(|a| a.stack_read_later);
    let force_new = force_checkpoint || jmp_history > 40;
    let mut add_new = force_new;
    if env.jmps_processed - env.prev_jmps_processed >= 2
        && env.processed - env.prev_insn_processed >= 8
    {
        add_new = true;
    }
    let list = env.explored.by_insn.remove(&insn).unwrap_or_default();
    let mut keep = Vec::with_capacity(list.len());
    let mut pruned = false;
    for (pos, &ci) in list.iter().enumerate() {
        if pruned {
            keep.extend_from_slice(&list[pos..]);
            break;
        }
        let c = &env.explored.arena[ci];
        let mut hit = false;
        let mut backedge = false;
        if c.branches > 0 {
            // Still being explored: we are in a loop. At a may_goto, a state deeper in the
            // loop that is within the one still being explored proves the loop converges.
            let cmp = if env.explore_alu_limits { Cmp::Strict } else { Cmp::RangeWithin };
            if force_checkpoint
                && !calls_callback
                && c.st.may_goto_depth != env.st.may_goto_depth
                && states_equal(&c.st, &env.st, insn, &env.aux, stack_live, cmp)
            {
                hit = true;
                backedge = true;
            } else if calls_callback {
                // Back at a bpf_loop call after an iteration: a state within one still
                // being explored ends the iterations; no infinite-loop check here.
                hit = states_equal(&c.st, &env.st, insn, &env.aux, stack_live, cmp);
            } else if looping(&c.st, &env.st)
                && states_exact(&c.st, &env.st)
                && c.st.may_goto_depth == env.st.may_goto_depth
                && c.st.callback_unroll_depth == env.st.callback_unroll_depth
            {
                let old = c.st.clone();
                let msg = format!("infinite loop detected at insn {insn}");
                env.err_line(&msg);
                let mut s = alloc::string::String::from("cur state:");
                print_state(env, &mut s, true);
                s.push_str("old state:");
                let f = old.cur().clone();
                super::log::func_state(&mut s, &old, &f, env.maps, |_| true, |_| true);
                s.pop();
                return env.err(EINVAL, s);
            }
            if !hit
                && !force_new
                && env.jmps_processed - env.prev_jmps_processed < 20
                && env.processed - env.prev_insn_processed < 100
            {
                add_new = false;
            }
            // `goto miss`: a loop's in-progress states age out too, which keeps the list
            // at a loop head short (the kernel's max_states_per_insn stays 4 on a 1M loop).
        } else {
            // A checkpoint in a loop whose marks are not final is compared RANGE_WITHIN,
            // and a hit on it is one more backedge.
            backedge = scc::incomplete_read_marks(env, ci);
            let cmp = if env.explore_alu_limits {
                Cmp::Strict
            } else if backedge {
                Cmp::RangeWithin
            } else {
                Cmp::NotExact
            };
            hit = states_equal(&c.st, &env.st, insn, &env.aux, stack_live, cmp);
        }
        if hit {
            env.explored.arena[ci].hit += 1;
            pruned = true;
            keep.push(ci);
            let old = env.explored.arena[ci].st.clone();
            super::precise::propagate(env, &old);
            if backedge {
                scc::add_backedge(env, insn);
            }
            continue;
        }
        // miss: drop checkpoints that keep missing (the kernel's heuristic, with more
        // patience for a forced checkpoint still being explored: iterations must converge).
        let c = &mut env.explored.arena[ci];
        if add_new {
            c.miss += 1;
        }
        let n = if force_checkpoint && c.branches > 0 { 64 } else { 3 };
        if c.miss > c.hit * n + n {
            c.alive = false;
            maybe_free(env, ci);
            continue;
        }
        keep.push(ci);
    }
    env.explored.by_insn.insert(insn, keep);
    if pruned {
        return Ok(true);
    }
    // max_states_per_insn counts the states compared here when none matched.
    env.explored.max_per_insn = env.explored.max_per_insn.max(list.len() as u32);
    if env.opts.unpriv && list.len() > 64 && !env.bpf_capable() {
        return Ok(false);
    }
    if !add_new {
        return Ok(false);
    }
    env.prev_jmps_processed = env.jmps_processed;
    env.prev_insn_processed = env.processed;
    let mut st = env.st.clone();
    // The checkpoint starts with one branch: the path continuing from here.
    let ci = env.explored.arena.len();
    st.parent = env.st.parent;
    env.explored.arena.push(Checkpoint {
        st,
        insn,
        freed: false,
        branches: 1,
        hit: 0,
        miss: 0,
        alive: true,
        all_precise: false,
    });
    env.st.parent = Some(ci);
    env.st.dfs_depth += 1;
    // A new segment starts here; precision starts afresh (mark_all_scalars_imprecise).
    env.st.clear_hist();
    env.st.first_insn = insn;
    for f in env.st.frames.iter_mut() {
        for r in f.regs.iter_mut() {
            r.precise = false;
        }
        for s in f.stack.iter_mut() {
            s.spilled.precise = false;
        }
    }
    env.explored.total += 1;
    env.explored.live += 1;
    env.explored.update_peak();
    env.explored.by_insn.entry(insn).or_default().push(ci);
    scc::maybe_enter(env, ci);
    Ok(false)
}

/// `states_maybe_looping`: same frames and call sites.
/// `states_maybe_looping`: the same frame depth and the current frame's registers equal
/// bit for bit up to `frameno` in the kernel's struct, ids included (fresh ids each time
/// round mean the walk is not repeating itself); precision marks do not count.
fn looping(old: &VState, cur: &VState) -> bool {
    if old.frames.len() != cur.frames.len() {
        return false;
    }
    let strip = |r: &RegState| {
        let mut r = *r;
        r.precise = false;
        r.frameno = 0;
        r
    };
    old.cur().regs.iter().zip(&cur.cur().regs).all(|(a, b)| strip(a) == strip(b))
}

/// `regs_exact`: everything before `id` in the kernel's struct (type, offsets, bounds), ids
/// through the id map; precision marks do not count.
fn reg_exact(a: &RegState, b: &RegState, idmap: &mut Vec<(u32, u32)>) -> bool {
    let strip = |r: &RegState| {
        let mut r = *r;
        r.precise = false;
        r.id = 0;
        r.ref_obj_id = 0;
        r
    };
    strip(a) == strip(b)
        && check_ids(a.id, b.id, idmap)
        && check_ids(a.ref_obj_id, b.ref_obj_id, idmap)
}

fn states_exact(old: &VState, cur: &VState) -> bool {
    let mut idmap = Vec::new();
    old.frames.len() == cur.frames.len()
        && old.refs.len() == cur.refs.len()
        && old.frames.iter().zip(&cur.frames).all(|(a, b)| {
            a.regs.iter().zip(&b.regs).all(|(x, y)| reg_exact(x, y, &mut idmap))
                && stack_exact(a, b)
        })
}

fn stack_exact(a: &FuncState, b: &FuncState) -> bool {
    let n = a.stack.len().max(b.stack.len());
    (0..n).all(|i| {
        let sa = a.stack.get(i).copied().unwrap_or_default();
        let sb = b.stack.get(i).copied().unwrap_or_default();
        let mut idmap = Vec::new();
        sa.types == sb.types
            && (!sa.is_spilled_reg() || reg_exact(&sa.spilled, &sb.spilled, &mut idmap))
    })
}

/// Registers are compared where live: the current frame's at `insn`, a caller's before its
/// call instruction (`frame_insn_idx` in 6.18).
fn states_equal(
    old: &VState,
    cur: &VState,
    insn: usize,
    aux: &[InsnAux],
    stack_live: bool,
    cmp: Cmp,
) -> bool {
    if old.frames.len() != cur.frames.len() || (old.speculative && !cur.speculative) {
        return false;
    }
    if old.refs.len() != cur.refs.len() {
        return false;
    }
    let mut idmap: Vec<(u32, u32)> = Vec::new();
    for (fi, (a, b)) in old.frames.iter().zip(&cur.frames).enumerate() {
        if a.callsite != b.callsite || a.callback_depth > b.callback_depth {
            return false;
        }
        let mask = aux.get(old.frame_insn(fi, insn)).map_or(0x3ff, |a| a.live_regs_before);
        for i in 0..11 {
            if i < 10 && mask & (1 << i) == 0 {
                continue;
            }
            if !regsafe(&a.regs[i], &b.regs[i], &mut idmap, cmp) {
                return false;
            }
        }
        if stack_live && !stacksafe(a, b, &mut idmap, cmp) {
            return false;
        }
    }
    true
}

fn check_ids(old: u32, cur: u32, idmap: &mut Vec<(u32, u32)>) -> bool {
    if old == 0 && cur == 0 {
        return true;
    }
    if old == 0 || cur == 0 {
        return false;
    }
    for &(o, c) in idmap.iter() {
        if o == old {
            return c == cur;
        }
        if c == cur {
            return false;
        }
    }
    idmap.push((old, cur));
    true
}

fn range_within(old: &RegState, cur: &RegState) -> bool {
    old.umin <= cur.umin
        && old.umax >= cur.umax
        && old.smin <= cur.smin
        && old.smax >= cur.smax
        && old.u32_min <= cur.u32_min
        && old.u32_max >= cur.u32_max
        && old.s32_min <= cur.s32_min
        && old.s32_max >= cur.s32_max
}

/// How `states_equal` compares scalars (the kernel's `enum exact_level`, EXACT being
/// `states_exact`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cmp {
    /// NOT_EXACT: an imprecise scalar matches any.
    NotExact,
    /// RANGE_WITHIN: every scalar's range must lie within the old one, precise or not (at a
    /// loop's may_goto, where precision marks are not final yet).
    RangeWithin,
    /// env->explore_alu_limits: scalars must match exactly.
    Strict,
}

fn regsafe(old: &RegState, cur: &RegState, idmap: &mut Vec<(u32, u32)>, cmp: Cmp) -> bool {
    if old.typ == RegType::NotInit {
        return true;
    }
    if cur.typ == RegType::NotInit {
        return false;
    }
    if old.typ != cur.typ
        || old.maybe_null != cur.maybe_null
        || old.ringbuf != cur.ringbuf
        || old.rdonly != cur.rdonly
    {
        return false;
    }
    match old.typ {
        RegType::Scalar => {
            if cmp == Cmp::Strict {
                // Everything before `id` in the kernel's struct, then the ids.
                let strip = |r: &RegState| {
                    let mut r = *r;
                    r.precise = false;
                    r.id = 0;
                    r.ref_obj_id = 0;
                    r.frameno = 0;
                    r
                };
                let (o, c) = (old.id & !ADD_CONST, cur.id & !ADD_CONST);
                let ids_ok = old.id & ADD_CONST == cur.id & ADD_CONST
                    && (o == 0 || check_ids(o, if c == 0 { u32::MAX - o } else { c }, idmap));
                return strip(old) == strip(cur) && ids_ok;
            }
            // An imprecise scalar's value never mattered below this checkpoint.
            if !old.precise && cmp == Cmp::NotExact {
                return true;
            }
            // Linked registers (6.18's table in regsafe): an old scalar without an id is
            // independent, so any link in the current one only adds constraints; an old
            // link must be the same kind of link (with the same offset for BPF_ADD_CONST).
            let (old_ac, cur_ac) = (old.id & ADD_CONST != 0, cur.id & ADD_CONST != 0);
            if old_ac && !cur_ac {
                return false;
            }
            if old.id != 0 && !old_ac && cur_ac {
                return false;
            }
            if old_ac && old.off != cur.off {
                return false;
            }
            // check_scalar_ids: an unlinked scalar may map to any.
            let (o, c) = (old.id & !ADD_CONST, cur.id & !ADD_CONST);
            let ids_ok = if o == 0 {
                true
            } else {
                check_ids(o, if c == 0 { u32::MAX - o } else { c }, idmap)
            };
            ids_ok && range_within(old, cur) && old.var_off.contains(cur.var_off)
        }
        RegType::MapValue | RegType::MapKey | RegType::Mem => {
            old.off == cur.off
                && old.map == cur.map
                && old.mem_size == cur.mem_size
                && range_within(old, cur)
                && old.var_off.contains(cur.var_off)
                && check_ids(old.id, cur.id, idmap)
                && check_ids(old.ref_obj_id, cur.ref_obj_id, idmap)
        }
        RegType::Pkt | RegType::PktMeta => {
            old.range <= cur.range
                && old.off == cur.off
                && check_ids(old.id, cur.id, idmap)
                && range_within(old, cur)
                && old.var_off.contains(cur.var_off)
        }
        RegType::Stack => old == cur,
        // regs_exact: all but the ids, which must map.
        t if t.is_sk_pointer() => {
            let (mut a, mut b) = (*old, *cur);
            (a.id, a.ref_obj_id, a.precise) = (0, 0, false);
            (b.id, b.ref_obj_id, b.precise) = (0, 0, false);
            a == b
                && check_ids(old.id, cur.id, idmap)
                && check_ids(old.ref_obj_id, cur.ref_obj_id, idmap)
        }
        _ => {
            let mut a = *old;
            let mut b = *cur;
            a.precise = false;
            b.precise = false;
            a == b
        }
    }
}

fn stacksafe(old: &FuncState, cur: &FuncState, idmap: &mut Vec<(u32, u32)>, cmp: Cmp) -> bool {
    for (spi, so) in old.stack.iter().enumerate() {
        let sc = cur.stack.get(spi).copied().unwrap_or_default();
        for j in 0..8 {
            let to = so.types[j];
            if to == SlotType::Invalid {
                continue;
            }
            let tc = sc.types[j];
            if to == SlotType::Misc && tc != SlotType::Invalid {
                continue;
            }
            if to == SlotType::Misc && tc == SlotType::Invalid {
                return false;
            }
            if to == SlotType::Zero
                && (tc == SlotType::Zero
                    || (sc.is_spilled_scalar()
                        && sc.spilled.is_const()
                        && sc.spilled.var_off.value == 0))
            {
                continue;
            }
            if to != tc {
                return false;
            }
        }
        if so.is_spilled_reg() && !regsafe(&so.spilled, &sc.spilled, idmap, cmp) {
            return false;
        }
    }
    true
}

/// `find_prev_entry`: the checkpoint at `insn` of an earlier iteration of the loop the path
/// is in (still being explored, same call sites, fewer checkpoints deep than the one the
/// path just made here), most recent first.
pub(crate) fn find_prev_entry(env: &Env, insn: usize) -> Option<usize> {
    let depth = env.explored.arena.get(env.st.parent?)?.st.dfs_depth;
    find_prev_entry_below(env, insn, depth)
}

/// `find_prev_entry` for a state `depth` checkpoints deep.
pub(crate) fn find_prev_entry_below(env: &Env, insn: usize, depth: u32) -> Option<usize> {
    let list = env.explored.by_insn.get(&insn)?;
    list.iter().rev().copied().find(|&ci| {
        let c = &env.explored.arena[ci];
        c.alive
            && c.branches > 0
            && c.st.dfs_depth < depth
            && c.st.frames.len() == env.st.frames.len()
            && c.st.frames.iter().zip(&env.st.frames).all(|(a, b)| a.callsite == b.callsite)
    })
}

/// `widen_imprecise_scalars`: a scalar that is imprecise on both sides and differs from the
/// previous iteration's becomes `unknown` (the environment's unknown scalar), so that
/// iterations stop producing new states.
pub(crate) fn widen_imprecise_scalars(old: &VState, cur: &mut VState, unknown: RegState) {
    let mut idmap = Vec::new();
    let widen = |o: &RegState, c: &mut RegState, idmap: &mut Vec<(u32, u32)>| {
        if o.typ != RegType::Scalar || c.typ != RegType::Scalar {
            return;
        }
        if o.precise || c.precise || reg_exact(o, c, idmap) {
            return;
        }
        *c = unknown;
    };
    for fr in (0..old.frames.len().min(cur.frames.len())).rev() {
        let (fo, fc) = (&old.frames[fr], &mut cur.frames[fr]);
        for i in 0..11 {
            widen(&fo.regs[i], &mut fc.regs[i], &mut idmap);
        }
        for (so, sc) in fo.stack.iter().zip(fc.stack.iter_mut()) {
            if so.is_spilled_reg() && sc.is_spilled_reg() {
                widen(&so.spilled, &mut sc.spilled, &mut idmap);
            }
        }
    }
}
