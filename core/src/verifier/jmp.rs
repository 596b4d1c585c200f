//! Conditional jumps: `check_cond_jmp_op`, `is_branch_taken`, `reg_set_min_max` /
//! `regs_refine_cond_op`, null-check propagation (`mark_ptr_or_null_regs`), packet range
//! proofs (`try_match_pkt_pointers`, `find_good_pkt_pointers`) and linked scalars.

use super::env::{print_insn_state, push_branch, Env, Flow, EACCES, R};
use super::reg::{RegState, RegType, ADD_CONST};
use super::state::{VState, MAX_CALL_FRAMES};
use crate::isa::{Insn, JmpCond, Operand};
use alloc::format;

const AT_PKT_END: i32 = -1;
const BEYOND_PKT_END: i32 = -2;
const MAX_PACKET_OFF: u64 = 0xffff;

fn flip(c: JmpCond) -> JmpCond {
    match c {
        JmpCond::Gt => JmpCond::Lt,
        JmpCond::Ge => JmpCond::Le,
        JmpCond::Lt => JmpCond::Gt,
        JmpCond::Le => JmpCond::Ge,
        JmpCond::Sgt => JmpCond::Slt,
        JmpCond::Sge => JmpCond::Sle,
        JmpCond::Slt => JmpCond::Sgt,
        JmpCond::Sle => JmpCond::Sge,
        c => c,
    }
}

/// The condition of the other branch; `None` stands for the kernel's "JSET | X" (not set).
fn rev(c: JmpCond) -> Option<JmpCond> {
    Some(match c {
        JmpCond::Eq => JmpCond::Ne,
        JmpCond::Ne => JmpCond::Eq,
        JmpCond::Set => return None,
        JmpCond::Gt => JmpCond::Le,
        JmpCond::Ge => JmpCond::Lt,
        JmpCond::Lt => JmpCond::Ge,
        JmpCond::Le => JmpCond::Gt,
        JmpCond::Sgt => JmpCond::Sle,
        JmpCond::Sge => JmpCond::Slt,
        JmpCond::Slt => JmpCond::Sge,
        JmpCond::Sle => JmpCond::Sgt,
    })
}

/// `reg_not_null`: pointers that are never NULL unless marked maybe-null (CONST_PTR_TO_MAP
/// among them: a map pointer compared with 0 decides the branch).
fn reg_not_null(r: &RegState) -> bool {
    !r.maybe_null
        && (matches!(r.typ, RegType::MapValue | RegType::MapKey | RegType::Mem | RegType::MapPtr)
            || r.typ.is_sk_pointer())
}

fn is_pkt_any(r: &RegState) -> bool {
    matches!(r.typ, RegType::Pkt | RegType::PktMeta | RegType::PktEnd)
}

/// `may_goto` (check_cond_jmp_op's BPF_JCOND): the path goes on at the jump target, and the
/// fall-through is queued one `may_goto_depth` deeper, its imprecise scalars widened where
/// they changed since the previous iteration's checkpoint here (widen_imprecise_scalars), so
/// that a loop's states can converge.
pub(crate) fn check_may_goto(env: &mut Env, idx: usize, off: i16) -> R<Flow> {
    let prev = super::prune::find_prev_entry(env, idx);
    let mut queued = env.st.clone();
    queued.may_goto_depth += 1;
    if let Some(p) = prev {
        let u = env.unknown();
        super::prune::widen_imprecise_scalars(&env.explored.arena[p].st, &mut queued, u);
    }
    push_branch(env, idx + 1, idx, queued)?;
    Ok(Flow::Jump((idx as i64 + 1 + off as i64) as usize))
}

pub(crate) fn check_cond_jmp(env: &mut Env, idx: usize, insn: &Insn) -> R<Flow> {
    let Insn::Jmp { jmp32, cond, dst, src, off } = *insn else { unreachable!() };
    env.check_src(dst)?;
    let srcr = match src {
        Operand::Reg(s) => {
            env.check_src(s)?;
            let d = env.reg(dst);
            let sr = env.reg(s);
            if !(is_pkt_any(&d) && is_pkt_any(&sr)) && env.is_pointer_value(s) {
                return env.err(EACCES, format!("R{s} pointer comparison prohibited"));
            }
            sr
        }
        Operand::Imm(i) => RegState::known(i as i64 as u64),
    };
    let dreg = env.reg(dst);
    let target = (idx as i64 + 1 + off as i64) as usize;
    let pred = branch_taken(&dreg, &srcr, cond, jmp32);
    if pred >= 0 {
        // The decision rests on these values: they must be precise.
        if dreg.typ == RegType::Scalar {
            super::precise::mark_precise(env, 1 << dst, 0);
        }
        if let Operand::Reg(s) = src {
            if srcr.typ == RegType::Scalar {
                super::precise::mark_precise(env, 1 << s, 0);
            }
        }
        if !env.bypass_spec_v1() {
            // sanitize_speculative_path: the untaken side is explored speculatively.
            let mut spec = env.st.clone();
            spec.speculative = true;
            let u = env.unknown();
            spec.cur_mut().regs[dst as usize] = u;
            if let Operand::Reg(s) = src {
                spec.cur_mut().regs[s as usize] = u;
            }
            let next = if pred == 1 { idx + 1 } else { target };
            push_branch(env, next, idx, spec)?;
        }
        print_insn_state(env);
        return Ok(if pred == 1 { Flow::Jump(target) } else { Flow::Next });
    }
    // Both ways are possible: queue the jump, continue with the fall-through.
    let mut other = env.st.clone();
    let fr = other.curframe();
    {
        let this_regs = &mut env.st.frames[fr].regs;
        let (od, os) = match src {
            Operand::Reg(s) => {
                (other.frames[fr].regs[dst as usize], other.frames[fr].regs[s as usize])
            }
            Operand::Imm(_) => (other.frames[fr].regs[dst as usize], srcr),
        };
        let (td, ts) = (this_regs[dst as usize], srcr);
        let (mut od, mut os, mut td, mut ts) = (od, os, td, ts);
        if od.typ == RegType::Scalar && os.typ == RegType::Scalar {
            // fall-through gets the reversed condition, the jump the condition itself
            refine(&mut td, &mut ts, rev(cond), jmp32);
            refine(&mut od, &mut os, Some(cond), jmp32);
            for r in [&mut td, &mut ts, &mut od, &mut os] {
                r.sync_bounds();
            }
        }
        other.frames[fr].regs[dst as usize] = od;
        this_regs[dst as usize] = td;
        if let Operand::Reg(s) = src {
            other.frames[fr].regs[s as usize] = os;
            this_regs[s as usize] = ts;
        }
    }
    // collect_linked_regs looks only at registers live here (a caller frame: live at its
    // call instruction), and at spilled scalars.
    let live: [u32; MAX_CALL_FRAMES] = core::array::from_fn(|f| {
        if f < env.st.frames.len() {
            env.aux.get(env.st.frame_insn(f, idx)).map_or(0x3ff, |a| a.live_regs_before)
        } else {
            0
        }
    });
    if let Operand::Reg(s) = src {
        let r = env.st.frames[fr].regs[s as usize];
        if r.typ == RegType::Scalar && r.id != 0 {
            sync_linked(&mut env.st, r, fr, s, &live);
            let o = other.frames[fr].regs[s as usize];
            sync_linked(&mut other, o, fr, s, &live);
        }
    }
    let r = env.st.frames[fr].regs[dst as usize];
    if r.typ == RegType::Scalar && r.id != 0 {
        sync_linked(&mut env.st, r, fr, dst, &live);
        let o = other.frames[fr].regs[dst as usize];
        sync_linked(&mut other, o, fr, dst, &live);
    }
    // Pointer == pointer makes a maybe-null one non-null on the equal side.
    if let Operand::Reg(s) = src {
        let (d, sr) = (env.reg(dst), env.reg(s));
        if !jmp32 && d.typ.is_ptr() && sr.typ.is_ptr() {
            let eq_other = match cond {
                JmpCond::Eq => Some(true),
                JmpCond::Ne => Some(false),
                _ => None,
            };
            if let Some(eq_in_other) = eq_other {
                let st = if eq_in_other { &mut other } else { &mut env.st };
                let regs = &mut st.frames[fr].regs;
                if reg_not_null(&d) && sr.maybe_null {
                    mark_ptr_not_null(&mut regs[s as usize], &env.inner_metas, env.maps);
                }
                if reg_not_null(&sr) && d.maybe_null {
                    mark_ptr_not_null(&mut regs[dst as usize], &env.inner_metas, env.maps);
                }
            }
        }
    }
    if !jmp32
        && src == Operand::Imm(0)
        && matches!(cond, JmpCond::Eq | JmpCond::Ne)
        && dreg.maybe_null
    {
        mark_ptr_or_null(&mut env.st, dst, cond == JmpCond::Ne, &env.inner_metas, env.maps);
        mark_ptr_or_null(&mut other, dst, cond == JmpCond::Eq, &env.inner_metas, env.maps);
    } else {
        let matched = match src {
            Operand::Reg(s) if !jmp32 => {
                let sr = env.reg(s);
                try_match_pkt(cond, dst, &dreg, s, &sr, &mut env.st, &mut other)
            }
            _ => false,
        };
        if !matched && env.is_pointer_value(dst) {
            return env.err(EACCES, format!("R{dst} pointer comparison prohibited"));
        }
    }
    push_branch(env, target, idx, other)?;
    print_insn_state(env);
    Ok(Flow::Next)
}

/// `is_branch_taken`: 1 taken, 0 not taken, -1 unknown.
fn branch_taken(r1: &RegState, r2: &RegState, cond: JmpCond, jmp32: bool) -> i32 {
    if is_pkt_any(r1) && is_pkt_any(r2) && !jmp32 {
        return pkt_branch_taken(r1, r2, cond);
    }
    if r1.typ.is_ptr() || r2.typ.is_ptr() {
        let (mut a, mut b, mut c) = (r1, r2, cond);
        if !b.is_const32(jmp32) {
            c = flip(c);
            core::mem::swap(&mut a, &mut b);
        }
        if !b.is_const32(jmp32) || !reg_not_null(a) {
            return -1;
        }
        if b.const_value(jmp32) != 0 {
            return -1;
        }
        return match c {
            JmpCond::Eq => 0,
            JmpCond::Ne => 1,
            _ => -1,
        };
    }
    scalar_branch_taken(r1, r2, cond, jmp32)
}

fn pkt_branch_taken(d: &RegState, s: &RegState, cond: JmpCond) -> i32 {
    let (pkt, c) = if s.typ == RegType::PktEnd {
        (d, cond)
    } else if d.typ == RegType::PktEnd {
        (s, flip(cond))
    } else {
        return -1;
    };
    if pkt.range >= 0 {
        return -1;
    }
    match c {
        JmpCond::Le | JmpCond::Gt if pkt.range == BEYOND_PKT_END => (c == JmpCond::Gt) as i32,
        JmpCond::Lt | JmpCond::Ge if pkt.range == BEYOND_PKT_END || pkt.range == AT_PKT_END => {
            (c == JmpCond::Ge) as i32
        }
        _ => -1,
    }
}

fn scalar_branch_taken(r1: &RegState, r2: &RegState, cond: JmpCond, jmp32: bool) -> i32 {
    let t1 = if jmp32 { r1.var_off.subreg() } else { r1.var_off };
    let t2 = if jmp32 { r2.var_off.subreg() } else { r2.var_off };
    let (umin1, umax1, smin1, smax1) = if jmp32 {
        (r1.u32_min as u64, r1.u32_max as u64, r1.s32_min as i64, r1.s32_max as i64)
    } else {
        (r1.umin, r1.umax, r1.smin, r1.smax)
    };
    let (umin2, umax2, smin2, smax2) = if jmp32 {
        (r2.u32_min as u64, r2.u32_max as u64, r2.s32_min as i64, r2.s32_max as i64)
    } else {
        (r2.umin, r2.umax, r2.smin, r2.smax)
    };
    match cond {
        JmpCond::Eq | JmpCond::Ne => {
            let eq = cond == JmpCond::Eq;
            if t1.is_const() && t2.is_const() {
                return ((t1.value == t2.value) == eq) as i32;
            }
            let never = umin1 > umax2
                || umax1 < umin2
                || smin1 > smax2
                || smax1 < smin2
                || (!jmp32
                    && (r1.u32_min > r2.u32_max
                        || r1.u32_max < r2.u32_min
                        || r1.s32_min > r2.s32_max
                        || r1.s32_max < r2.s32_min));
            if never {
                return if eq { 0 } else { 1 };
            }
            -1
        }
        JmpCond::Set => {
            let (b, ta, tb) = if !r2.is_const32(jmp32) { (r1, t2, t1) } else { (r2, t1, t2) };
            if !b.is_const32(jmp32) {
                return -1;
            }
            if (!ta.mask & ta.value) & tb.value != 0 {
                return 1;
            }
            if (ta.mask | ta.value) & tb.value == 0 {
                return 0;
            }
            -1
        }
        JmpCond::Gt => {
            if umin1 > umax2 {
                1
            } else if umax1 <= umin2 {
                0
            } else {
                -1
            }
        }
        JmpCond::Sgt => {
            if smin1 > smax2 {
                1
            } else if smax1 <= smin2 {
                0
            } else {
                -1
            }
        }
        JmpCond::Lt => {
            if umax1 < umin2 {
                1
            } else if umin1 >= umax2 {
                0
            } else {
                -1
            }
        }
        JmpCond::Slt => {
            if smax1 < smin2 {
                1
            } else if smin1 >= smax2 {
                0
            } else {
                -1
            }
        }
        JmpCond::Ge => {
            if umin1 >= umax2 {
                1
            } else if umax1 < umin2 {
                0
            } else {
                -1
            }
        }
        JmpCond::Sge => {
            if smin1 >= smax2 {
                1
            } else if smax1 < smin2 {
                0
            } else {
                -1
            }
        }
        JmpCond::Le => {
            if umax1 <= umin2 {
                1
            } else if umin1 > umax2 {
                0
            } else {
                -1
            }
        }
        JmpCond::Sle => {
            if smax1 <= smin2 {
                1
            } else if smin1 > smax2 {
                0
            } else {
                -1
            }
        }
    }
}

/// `regs_refine_cond_op`: learn from `r1 cond r2` being true (`None`: "r1 & r2 == 0").
fn refine(r1: &mut RegState, r2: &mut RegState, cond: Option<JmpCond>, jmp32: bool) {
    let Some(c) = cond else {
        // JSET | X: the bits of the constant are all clear.
        let (a, b) = if !r2.is_const32(jmp32) { (r2, r1) } else { (r1, r2) };
        if !b.is_const32(jmp32) {
            return;
        }
        let val = b.const_value(jmp32);
        a.mark_unbounded();
        if jmp32 {
            let t = a.var_off.subreg().and(super::tnum::Tnum::konst(!val));
            a.var_off = a.var_off.with_subreg(t);
        } else {
            a.var_off = a.var_off.and(super::tnum::Tnum::konst(!val));
        }
        return;
    };
    let (r1, r2, c) = match c {
        JmpCond::Ge | JmpCond::Gt | JmpCond::Sge | JmpCond::Sgt => (r2, r1, flip(c)),
        _ => (r1, r2, c),
    };
    match c {
        JmpCond::Eq => {
            if jmp32 {
                r1.u32_min = r1.u32_min.max(r2.u32_min);
                r1.u32_max = r1.u32_max.min(r2.u32_max);
                r1.s32_min = r1.s32_min.max(r2.s32_min);
                r1.s32_max = r1.s32_max.min(r2.s32_max);
                r2.u32_min = r1.u32_min;
                r2.u32_max = r1.u32_max;
                r2.s32_min = r1.s32_min;
                r2.s32_max = r1.s32_max;
                let t = r1.var_off.subreg().intersect(r2.var_off.subreg());
                r1.var_off = r1.var_off.with_subreg(t);
                r2.var_off = r2.var_off.with_subreg(t);
            } else {
                r1.umin = r1.umin.max(r2.umin);
                r1.umax = r1.umax.min(r2.umax);
                r1.smin = r1.smin.max(r2.smin);
                r1.smax = r1.smax.min(r2.smax);
                r2.umin = r1.umin;
                r2.umax = r1.umax;
                r2.smin = r1.smin;
                r2.smax = r1.smax;
                r1.var_off = r1.var_off.intersect(r2.var_off);
                r2.var_off = r1.var_off;
            }
        }
        JmpCond::Ne => {
            let (a, b) = if !r2.is_const32(jmp32) { (r2, r1) } else { (r1, r2) };
            if !b.is_const32(jmp32) {
                return;
            }
            let val = b.const_value(jmp32);
            if jmp32 {
                if a.u32_min == val as u32 {
                    a.u32_min = a.u32_min.wrapping_add(1);
                }
                if a.u32_max == val as u32 {
                    a.u32_max = a.u32_max.wrapping_sub(1);
                }
                if a.s32_min == val as u32 as i32 {
                    a.s32_min = a.s32_min.wrapping_add(1);
                }
                if a.s32_max == val as u32 as i32 {
                    a.s32_max = a.s32_max.wrapping_sub(1);
                }
            } else {
                if a.umin == val {
                    a.umin = a.umin.wrapping_add(1);
                }
                if a.umax == val {
                    a.umax = a.umax.wrapping_sub(1);
                }
                if a.smin == val as i64 {
                    a.smin = a.smin.wrapping_add(1);
                }
                if a.smax == val as i64 {
                    a.smax = a.smax.wrapping_sub(1);
                }
            }
        }
        JmpCond::Set => {
            let (a, b) = if !r2.is_const32(jmp32) { (r2, r1) } else { (r1, r2) };
            if !b.is_const32(jmp32) {
                return;
            }
            let val = b.const_value(jmp32);
            if !val.is_power_of_two() {
                return;
            }
            if jmp32 {
                let t = a.var_off.subreg().or(super::tnum::Tnum::konst(val));
                a.var_off = a.var_off.with_subreg(t);
            } else {
                a.var_off = a.var_off.or(super::tnum::Tnum::konst(val));
            }
        }
        JmpCond::Le => {
            if jmp32 {
                r1.u32_max = r1.u32_max.min(r2.u32_max);
                r2.u32_min = r1.u32_min.max(r2.u32_min);
            } else {
                r1.umax = r1.umax.min(r2.umax);
                r2.umin = r1.umin.max(r2.umin);
            }
        }
        JmpCond::Lt => {
            if jmp32 {
                r1.u32_max = r1.u32_max.min(r2.u32_max.wrapping_sub(1));
                r2.u32_min = r1.u32_min.wrapping_add(1).max(r2.u32_min);
            } else {
                r1.umax = r1.umax.min(r2.umax.wrapping_sub(1));
                r2.umin = r1.umin.wrapping_add(1).max(r2.umin);
            }
        }
        JmpCond::Sle => {
            if jmp32 {
                r1.s32_max = r1.s32_max.min(r2.s32_max);
                r2.s32_min = r1.s32_min.max(r2.s32_min);
            } else {
                r1.smax = r1.smax.min(r2.smax);
                r2.smin = r1.smin.max(r2.smin);
            }
        }
        JmpCond::Slt => {
            if jmp32 {
                r1.s32_max = r1.s32_max.min(r2.s32_max.wrapping_sub(1));
                r2.s32_min = r1.s32_min.wrapping_add(1).max(r2.s32_min);
            } else {
                r1.smax = r1.smax.min(r2.smax.wrapping_sub(1));
                r2.smin = r1.smin.wrapping_add(1).max(r2.smin);
            }
        }
        _ => {}
    }
}

/// `sync_linked_regs`: registers and spills sharing `known`'s id learn its bounds.
fn sync_linked(st: &mut VState, known: RegState, fr: usize, regno: u8, live: &[u32]) {
    let base = known.id & !ADD_CONST;
    let apply = |r: &mut RegState| {
        if r.typ != RegType::Scalar || (r.id & !ADD_CONST) != base {
            return;
        }
        let both_plain = r.id & ADD_CONST == 0 && known.id & ADD_CONST == 0;
        if both_plain || r.off == known.off {
            *r = known;
        } else {
            let saved_off = r.off;
            let saved_id = r.id;
            let delta = RegState::known((saved_off as i64 - known.off as i64) as u64);
            let mut n = known;
            n.off = saved_off;
            n.id = saved_id;
            super::bounds::scalar_op(&mut n, &delta, crate::isa::AluOp::Add, true, true);
            n.off = saved_off;
            n.id = saved_id;
            *r = n;
        }
    };
    for (fi, f) in st.frames.iter_mut().enumerate() {
        for (i, r) in f.regs.iter_mut().enumerate() {
            if (fi == fr && i == regno as usize) || (i < 10 && live[fi] & (1 << i) == 0) {
                continue;
            }
            apply(r);
        }
        for s in f.stack.iter_mut() {
            if s.is_spilled_reg() {
                apply(&mut s.spilled);
            }
        }
    }
}

/// `mark_ptr_not_null_reg`: a maybe-null pointer known not to be NULL. A value looked up in
/// a map of maps becomes the inner map's pointer (CONST_PTR_TO_MAP with the map's
/// `inner_map_meta`, the index `metas` gives for the outer map), one looked up in an xskmap
/// an AF_XDP socket, one in a socket map a socket.
fn mark_ptr_not_null(x: &mut RegState, metas: &[Option<u32>], maps: &[crate::maps::MapDef]) {
    use crate::maps::MapKind;
    x.maybe_null = false;
    if x.typ != RegType::MapValue {
        return;
    }
    if let Some(&Some(meta)) = metas.get(x.map as usize) {
        x.typ = RegType::MapPtr;
        x.map = meta;
        return;
    }
    x.typ = match maps.get(x.map as usize).map(|m| m.kind) {
        Some(MapKind::Xskmap) => RegType::XdpSock,
        Some(MapKind::Sockmap | MapKind::Sockhash) => RegType::Sock,
        _ => return,
    };
    x.map = 0;
}

/// `mark_ptr_or_null_regs`: after `if rX == 0`, every copy of the pointer is null (a scalar 0)
/// on one side and a valid pointer ([`mark_ptr_not_null`], without its id) on the other.
fn mark_ptr_or_null(
    st: &mut VState,
    regno: u8,
    is_null: bool,
    metas: &[Option<u32>],
    maps: &[crate::maps::MapDef],
) {
    let fr = st.curframe();
    let r = st.frames[fr].regs[regno as usize];
    let id = r.id;
    if r.ref_obj_id != 0 && r.ref_obj_id == id && is_null {
        st.refs.retain(|x| x.id != id);
    }
    let fix = |x: &mut RegState| {
        if x.maybe_null && x.id == id {
            if is_null {
                *x = RegState::known(0);
            } else {
                mark_ptr_not_null(x, metas, maps);
                x.id = 0;
            }
        }
    };
    for f in st.frames.iter_mut() {
        for x in f.regs.iter_mut() {
            fix(x);
        }
        for s in f.stack.iter_mut() {
            if s.is_spilled_reg() {
                fix(&mut s.spilled);
            }
        }
    }
}

/// `find_good_pkt_pointers`: every copy of `dst` (same type and id) gets the proven range.
fn good_pkt(st: &mut VState, d: &RegState, right_open: bool) {
    if d.off < 0 || (d.off == 0 && right_open) {
        return;
    }
    if d.umax > MAX_PACKET_OFF || d.umax + d.off as u64 > MAX_PACKET_OFF {
        return;
    }
    let new_range = d.off + if right_open { 1 } else { 0 };
    for f in st.frames.iter_mut() {
        for x in f.regs.iter_mut() {
            if x.typ == d.typ && x.id == d.id {
                x.range = x.range.max(new_range);
            }
        }
        for s in f.stack.iter_mut() {
            if s.is_spilled_reg() && s.spilled.typ == d.typ && s.spilled.id == d.id {
                s.spilled.range = s.spilled.range.max(new_range);
            }
        }
    }
}

fn pkt_end_mark(st: &mut VState, regno: u8, open: bool) {
    let fr = st.curframe();
    let r = &mut st.frames[fr].regs[regno as usize];
    if r.typ != RegType::Pkt {
        return;
    }
    r.range = if open { BEYOND_PKT_END } else { AT_PKT_END };
}

fn is_init_pkt(r: &RegState, t: RegType) -> bool {
    r.typ == t && r.off == 0 && r.var_off.is_const() && r.var_off.value == 0
}

/// `try_match_pkt_pointers`: comparisons of packet pointers with `data_end` prove ranges.
fn try_match_pkt(
    cond: JmpCond,
    dno: u8,
    d: &RegState,
    sno: u8,
    s: &RegState,
    this: &mut VState,
    other: &mut VState,
) -> bool {
    let fwd = (d.typ == RegType::Pkt && s.typ == RegType::PktEnd)
        || (d.typ == RegType::PktMeta && is_init_pkt(s, RegType::Pkt));
    let back = (d.typ == RegType::PktEnd && s.typ == RegType::Pkt)
        || (is_init_pkt(d, RegType::Pkt) && s.typ == RegType::PktMeta);
    match cond {
        JmpCond::Gt => {
            if fwd {
                good_pkt(this, d, false);
                pkt_end_mark(other, dno, true);
            } else if back {
                good_pkt(other, s, true);
                pkt_end_mark(this, sno, false);
            } else {
                return false;
            }
        }
        JmpCond::Lt => {
            if fwd {
                good_pkt(other, d, true);
                pkt_end_mark(this, dno, false);
            } else if back {
                good_pkt(this, s, false);
                pkt_end_mark(other, sno, true);
            } else {
                return false;
            }
        }
        JmpCond::Ge => {
            if fwd {
                good_pkt(this, d, true);
                pkt_end_mark(other, dno, false);
            } else if back {
                good_pkt(other, s, false);
                pkt_end_mark(this, sno, true);
            } else {
                return false;
            }
        }
        JmpCond::Le => {
            if fwd {
                good_pkt(other, d, false);
                pkt_end_mark(this, dno, true);
            } else if back {
                good_pkt(this, s, true);
                pkt_end_mark(other, sno, false);
            } else {
                return false;
            }
        }
        _ => return false,
    }
    true
}
