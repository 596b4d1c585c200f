//! ALU instructions: `check_alu_op`, `adjust_reg_min_max_vals` and `adjust_ptr_min_max_vals`
//! with the Spectre v1 sanitation of pointer arithmetic. The bounds of a scalar result
//! (`adjust_scalar_min_max_vals` and the per-operation `scalar(32)_min_max_*` rules) are
//! computed in `bounds.rs`.

use super::bounds::{self, coerce_subreg_sx, coerce_sx, safe_to_compute, scalar_op};
use super::env::{push_branch, Env, EACCES, EINVAL, MAX_VAR_OFF, R};
use super::reg::{RegState, RegType, ADD_CONST, S64_MIN};
use super::tnum::Tnum;
use crate::isa::{AluOp, Insn, Operand};
use alloc::format;
use alloc::string::String;

pub(crate) fn check_alu(env: &mut Env, insn: &Insn) -> R<()> {
    match *insn {
        Insn::Neg { alu64, dst } => {
            env.check_src(dst)?;
            if env.is_pointer_value(dst) {
                return env.err(EACCES, format!("R{dst} pointer arithmetic prohibited"));
            }
            // The kernel (6.12+) tracks negation as 0 - dst.
            let d = env.reg(dst);
            env.check_dst(dst, false)?;
            if d.typ == RegType::Scalar {
                let mut out = RegState::known(0);
                out.typ = RegType::Scalar;
                scalar_op(&mut out, &d, AluOp::Sub, alu64, true);
                out.id = 0;
                env.set_reg(dst, out);
            } else {
                let u = env.unknown();
                env.set_reg(dst, u);
            }
            Ok(())
        }
        Insn::End { dst, bits, kind } => {
            env.check_src(dst)?;
            if env.is_pointer_value(dst) {
                return env.err(EACCES, format!("R{dst} pointer arithmetic prohibited"));
            }
            let d = env.reg(dst);
            env.check_dst(dst, false)?;
            // Byte order on a scalar: the tnum's known bits move with their bytes (so a
            // constant stays a constant, as the 6.18 log shows); `le` on x86-64 truncates.
            let out = if d.typ == RegType::Scalar {
                let swap = |v: u64| match (kind, bits) {
                    (crate::isa::EndKind::ToLe, 16) => v & 0xffff,
                    (crate::isa::EndKind::ToLe, 32) => v & 0xffff_ffff,
                    (crate::isa::EndKind::ToLe, _) => v,
                    (_, 16) => (v as u16).swap_bytes() as u64,
                    (_, 32) => (v as u32).swap_bytes() as u64,
                    _ => v.swap_bytes(),
                };
                let mut r = RegState::unknown();
                r.var_off = Tnum::new(swap(d.var_off.value), swap(d.var_off.mask));
                r.sync_bounds();
                r
            } else {
                env.unknown()
            };
            env.set_reg(dst, out);
            Ok(())
        }
        Insn::MovSx { alu64, dst, src, bits } => {
            env.check_src(src)?;
            env.check_dst(dst, false)?;
            let s = env.reg(src);
            if env.is_pointer_value(src) {
                let what = if alu64 { "sign-extension part of" } else { "partial copy of" };
                return env.err(EACCES, format!("R{src} {what} pointer"));
            }
            let mut d = if s.typ == RegType::Scalar {
                let no_sext = s.umax < (1u64 << (bits - 1));
                let mut src_reg = s;
                if no_sext {
                    env.assign_scalar_id(src);
                    src_reg = env.reg(src);
                }
                let mut d = src_reg;
                if !no_sext {
                    d.id = 0;
                    d.off = 0;
                }
                if alu64 {
                    coerce_sx(&mut d, bits as u32 / 8);
                } else {
                    coerce_subreg_sx(&mut d, bits as u32 / 8);
                }
                d
            } else {
                env.unknown()
            };
            if !alu64 {
                d.zext_32_to_64();
                d.sync_bounds();
            }
            env.set_reg(dst, d);
            Ok(())
        }
        Insn::Alu { alu64, op: AluOp::Mov, dst, src } => {
            if let Operand::Reg(s) = src {
                env.check_src(s)?;
            }
            env.check_dst(dst, false)?;
            match src {
                Operand::Imm(i) => {
                    let mut d = env.unknown();
                    d.mark_known(if alu64 { i as i64 as u64 } else { i as u32 as u64 });
                    d.precise = false;
                    env.set_reg(dst, d);
                }
                Operand::Reg(s) => {
                    if alu64 {
                        env.assign_scalar_id(s);
                        let v = env.reg(s);
                        env.set_reg(dst, v);
                    } else {
                        if env.is_pointer_value(s) {
                            return env.err(EACCES, format!("R{s} partial copy of pointer"));
                        }
                        let sr = env.reg(s);
                        let mut d = if sr.typ == RegType::Scalar {
                            let u32ok = sr.width() <= 32;
                            if u32ok {
                                env.assign_scalar_id(s);
                            }
                            let mut d = env.reg(s);
                            if !u32ok {
                                d.id = 0;
                                d.off = 0;
                            }
                            d
                        } else {
                            env.unknown()
                        };
                        d.zext_32_to_64();
                        d.sync_bounds();
                        env.set_reg(dst, d);
                    }
                }
            }
            Ok(())
        }
        Insn::Alu { alu64, op, dst, src } => {
            if let Operand::Reg(s) = src {
                env.check_src(s)?;
            }
            env.check_src(dst)?;
            if matches!(op, AluOp::Div | AluOp::SDiv | AluOp::Mod | AluOp::SMod)
                && src == Operand::Imm(0)
            {
                return env.err(EINVAL, String::from("div by zero"));
            }
            if let (AluOp::Lsh | AluOp::Rsh | AluOp::Arsh, Operand::Imm(i)) = (op, src) {
                let size = if alu64 { 64 } else { 32 };
                if i < 0 || i >= size {
                    return env.err(EINVAL, format!("invalid shift {i}"));
                }
            }
            env.check_dst(dst, false)?;
            adjust_reg_min_max_vals(env, alu64, op, dst, src)
        }
        _ => Ok(()),
    }
}

fn op_symbol(op: AluOp) -> &'static str {
    match op {
        AluOp::SDiv => "/=",
        AluOp::SMod => "%=",
        o => o.symbol(),
    }
}

fn adjust_reg_min_max_vals(env: &mut Env, alu64: bool, op: AluOp, dst: u8, src: Operand) -> R<()> {
    let d = env.reg(dst);
    let src_reg = match src {
        Operand::Reg(s) => env.reg(s),
        Operand::Imm(i) => RegState::known(i as i64 as u64),
    };
    env.cur_src = match src {
        Operand::Reg(s) => s,
        Operand::Imm(_) => 0,
    };
    if let Operand::Reg(_) = src {
        if src_reg.typ != RegType::Scalar {
            if d.typ != RegType::Scalar {
                if op == AluOp::Sub && env.allow_ptr_leaks() {
                    let u = env.unknown();
                    env.set_reg(dst, u);
                    return Ok(());
                }
                return env
                    .err(EACCES, format!("R{dst} pointer {} pointer prohibited", op_symbol(op)));
            }
            // scalar += pointer
            super::precise::mark_precise(env, 1 << dst, 0);
            return adjust_ptr(env, alu64, op, dst, src_reg, d, false, true);
        }
    }
    if d.typ != RegType::Scalar {
        if let Operand::Reg(s) = src {
            super::precise::mark_precise(env, 1 << s, 0);
        }
        return adjust_ptr(env, alu64, op, dst, d, src_reg, true, matches!(src, Operand::Reg(_)));
    }
    if let Operand::Reg(s) = src {
        if d.precise {
            super::precise::mark_precise(env, 1 << s, 0);
        }
    }
    if matches!(op, AluOp::Add | AluOp::Sub)
        && matches!(src, Operand::Reg(_))
        && !skip_alu_sanitation(env)
        && safe_to_compute(&src_reg, op, alu64)
    {
        // sanitize_val_alu: this instruction does plain arithmetic on this path.
        update_alu_state(env, op, dst, ALU_NON_POINTER, 0)?;
    }
    let d = if matches!(op, AluOp::And | AluOp::Or) && src_reg.var_off.is_const() {
        maybe_fork_scalars(env, dst)?;
        env.reg(dst)
    } else {
        d
    };
    let mut out = d;
    scalar_op(&mut out, &src_reg, op, alu64, false);
    // Linked scalars with a constant delta (BPF_ADD_CONST): 64-bit `+=` or `-=` of a
    // constant that fits in s32, either sign (as the 6.18 kernel here does: `r1 += -1` gives
    // `id=1-1`, `r1 -= 2` gives `id=1-2`; measured, reg_linked_* in the kernel corpus).
    let same_reg = matches!(src, Operand::Reg(s) if s == dst);
    if matches!(op, AluOp::Add | AluOp::Sub)
        && alu64
        && out.id != 0
        && src_reg.is_const32(false)
        && !same_reg
        && env.bpf_capable()
    {
        let val = src_reg.var_off.value as i64;
        let off = i32::try_from(val).ok().and_then(|o| match op {
            AluOp::Sub => o.checked_neg(),
            _ => Some(o),
        });
        match off {
            Some(o) if out.id & ADD_CONST == 0 => {
                out.id |= ADD_CONST;
                out.off = o;
            }
            _ => {
                out.id = 0;
                out.off = 0;
            }
        }
    } else {
        out.id = 0;
        out.off = 0;
    }
    env.set_reg(dst, out);
    Ok(())
}

/// Pointer arithmetic (`adjust_ptr_min_max_vals`). `ptr_is_dst` tells which operand the
/// pointer was; the result always lands in `dst`.
#[allow(clippy::too_many_arguments)]
fn adjust_ptr(
    env: &mut Env,
    alu64: bool,
    op: AluOp,
    dst: u8,
    ptr: RegState,
    off: RegState,
    ptr_is_dst: bool,
    src_is_reg: bool,
) -> R<()> {
    let known = off.var_off.is_const();
    let (smin_val, smax_val, umin_val, umax_val) = (off.smin, off.smax, off.umin, off.umax);
    if (known && (smin_val != smax_val || umin_val != umax_val))
        || smin_val > smax_val
        || umin_val > umax_val
    {
        let u = env.unknown();
        env.set_reg(dst, u);
        return Ok(());
    }
    if !alu64 {
        if op == AluOp::Sub && env.allow_ptr_leaks() {
            let u = env.unknown();
            env.set_reg(dst, u);
            return Ok(());
        }
        return env.err(EACCES, format!("R{dst} 32-bit pointer arithmetic prohibited"));
    }
    let tname = ptr.type_name();
    if ptr.maybe_null {
        return env.err(
            EACCES,
            format!("R{dst} pointer arithmetic on {tname} prohibited, null-check it first"),
        );
    }
    match ptr.typ {
        RegType::Ctx
        | RegType::MapValue
        | RegType::MapKey
        | RegType::Stack
        | RegType::PktMeta
        | RegType::Pkt
        | RegType::Mem => {}
        RegType::MapPtr if known && smin_val == 0 && op == AluOp::Add => {}
        _ => return env.err(EACCES, format!("R{dst} pointer arithmetic on {tname} prohibited")),
    }
    sane_offset(env, &off, tname)?;
    sane_offset(env, &ptr, tname)?;
    let commit = if matches!(op, AluOp::Add | AluOp::Sub) && src_is_reg && !skip_alu_sanitation(env)
    {
        sanitize_ptr_alu(env, op, dst, &ptr, &off, ptr_is_dst)?
    } else {
        None
    };
    let mut d = ptr;
    d.mark32_unbounded();
    match op {
        AluOp::Add => {
            let sum = ptr.off as i64 + smin_val;
            if known && sum == sum as i32 as i64 {
                d.off = sum as i32;
            } else {
                // The pointer's 64-bit bounds move as a scalar's would.
                bounds::add64(&mut d, &off);
                d.var_off = ptr.var_off.add(off.var_off);
                if ptr.typ.is_pkt() {
                    d.id = env.new_id();
                    d.range = 0;
                }
            }
        }
        AluOp::Sub => {
            if !ptr_is_dst {
                return env.err(EACCES, format!("R{dst} tried to subtract pointer from scalar"));
            }
            if ptr.typ == RegType::Stack {
                return env
                    .err(EACCES, format!("R{dst} subtraction from stack pointer prohibited"));
            }
            let diff = ptr.off as i64 - smin_val;
            if known && diff == diff as i32 as i64 {
                d.off = diff as i32;
            } else {
                bounds::sub64(&mut d, &off);
                d.var_off = ptr.var_off.sub(off.var_off);
                if ptr.typ.is_pkt() {
                    d.id = env.new_id();
                    if smin_val < 0 {
                        d.range = 0;
                    }
                }
            }
        }
        AluOp::And | AluOp::Or | AluOp::Xor => {
            return env.err(
                EACCES,
                format!("R{dst} bitwise operator {} on pointer prohibited", op.symbol()),
            );
        }
        _ => {
            return env.err(
                EACCES,
                format!("R{dst} pointer arithmetic with {} operator prohibited", op_symbol(op)),
            );
        }
    }
    sane_offset(env, &d, tname)?;
    d.sync_bounds();
    if !env.bypass_spec_v1() {
        match d.typ {
            RegType::Stack => {
                if !d.var_off.is_const() {
                    return env.err(
                        EACCES,
                        format!(
                            "R{dst} variable stack access prohibited for !root, var_off={} off={}",
                            d.var_off,
                            d.off as i64 + d.var_off.value as i64
                        ),
                    );
                }
                let o = d.off as i64 + d.var_off.value as i64;
                if o >= 0 || o < -(super::state::MAX_BPF_STACK as i64) {
                    return env.err(EACCES, format!("R{dst} stack pointer arithmetic goes out of range, prohibited for !root; off={o}"));
                }
            }
            RegType::MapValue => {
                // sanitize_check_bounds -> check_map_access(dst, off, size 1): its message
                // comes first, then the summary line.
                let vs = env.map(d.map).value_size;
                env.st.cur_mut().regs[dst as usize] = d;
                if super::mem::check_mem_region(env, dst, d.off, 1, vs, false).is_err() {
                    return env.err(EACCES, format!("R{dst} pointer arithmetic of map value goes out of range, prohibited for !root"));
                }
            }
            _ => {}
        }
    }
    if let Some((mask_to_left, state, limit)) = commit {
        // The commit window: the mask covers how far the pointer actually moved.
        let after = ptr_limit(env, op, dst, &d, mask_to_left)?;
        update_alu_state(env, op, dst, state, (limit as i64 - after as i64).unsigned_abs() as u32)?;
    }
    env.set_reg(dst, d);
    Ok(())
}

/// `maybe_fork_scalars` (6.18): a scalar that is 0 or -1 (all ones), e.g. `-(x & 1)`, is
/// split before `&= K` / `|= K`: this path goes on with -1, and the same instruction is
/// explored again with 0, so each side gets an exact result.
fn maybe_fork_scalars(env: &mut Env, dst: u8) -> R<()> {
    let r = env.reg(dst);
    let alu32 = if r.smin == -1 && r.smax == 0 {
        false
    } else if r.s32_min == -1 && r.s32_max == 0 {
        true
    } else {
        return Ok(());
    };
    let idx = env.insn_idx;
    let mut other = env.st.clone();
    let mut zero = r;
    let mut ones = r;
    if alu32 {
        zero.mark_reg32_known(0);
        ones.mark_reg32_known(u64::MAX);
    } else {
        for (x, v) in [(&mut zero, 0u64), (&mut ones, u64::MAX)] {
            x.mark_known(v);
            x.id = 0;
            x.off = 0;
        }
    }
    other.cur_mut().regs[dst as usize] = zero;
    push_branch(env, idx, idx, other)?;
    env.st.cur_mut().regs[dst as usize] = ones;
    Ok(())
}

const ALU_SANITIZE_SRC: u8 = 1;
const ALU_SANITIZE_DST: u8 = 2;
const ALU_NEG_VALUE: u8 = 4;
const ALU_NON_POINTER: u8 = 8;
const ALU_IMMEDIATE: u8 = 16;
const NOT_ROOT: &str = "pointer arithmetic with it prohibited for !root";

/// `can_skip_alu_sanitation` (the BPF_K case is left out by the callers).
fn skip_alu_sanitation(env: &Env) -> bool {
    env.bypass_spec_v1() || env.aux[env.insn_idx].nospec
}

/// `update_alu_sanitation_state`: another path through this instruction must mask the same way.
fn update_alu_state(env: &mut Env, op: AluOp, dst: u8, state: u8, limit: u32) -> R<()> {
    let aux = &mut env.aux[env.insn_idx];
    if aux.alu_state != 0 && (aux.alu_state != state || aux.alu_limit != limit) {
        let opn = if op == AluOp::Add { "add" } else { "sub" };
        return env.err(
            EACCES,
            format!("R{dst} tried to {opn} from different maps, paths or scalars, {NOT_ROOT}"),
        );
    }
    aux.alu_state = state;
    aux.alu_limit = limit;
    Ok(())
}

/// `retrieve_ptr_limit`: how far the pointer may move in the masked direction.
fn ptr_limit(env: &mut Env, op: AluOp, dst: u8, ptr: &RegState, mask_to_left: bool) -> R<u32> {
    let (max, limit) = match ptr.typ {
        RegType::Stack => (
            (super::state::MAX_BPF_STACK + mask_to_left as i32) as u32,
            (-(ptr.var_off.value as i64 + ptr.off as i64)) as u32,
        ),
        RegType::MapValue => {
            let vs = env.map(ptr.map).value_size;
            let base = if mask_to_left { ptr.smin } else { ptr.umax as i64 };
            (vs, (base + ptr.off as i64) as u32)
        }
        _ => {
            // The destination either way in 6.18 (6.12 named the pointer's register; the
            // selftests' verifier_map_ptr/_0_r_r_map_ptr and deducing_bounds_from_const_*).
            let ptr_regno = dst;
            return env.err(
                EACCES,
                format!("R{ptr_regno} has pointer with unsupported alu operation, {NOT_ROOT}"),
            );
        }
    };
    if limit >= max {
        let opn = if op == AluOp::Add { "add" } else { "sub" };
        return env.err(EACCES, format!("R{dst} tried to {opn} beyond pointer bounds, {NOT_ROOT}"));
    }
    Ok(limit)
}

/// `sanitize_ptr_alu` (Spectre v1, unprivileged only), before the operation: the offset must
/// have one sign and keep the pointer in its object, and a path where the masked offset is 0
/// is explored too. Returns what the commit after the operation needs (none on speculative
/// paths).
fn sanitize_ptr_alu(
    env: &mut Env,
    op: AluOp,
    dst: u8,
    ptr: &RegState,
    off: &RegState,
    ptr_is_dst: bool,
) -> R<Option<(bool, u8, u32)>> {
    let off_is_imm = off.var_off.is_const();
    let mut commit = None;
    if !env.st.speculative {
        if !off_is_imm && (off.smin < 0) != (off.smax < 0) {
            // The source register either way in 6.18 (6.12 named the scalar's: `r1 += r10`
            // now names R10; the selftests' verifier_var_off/zero_sized_access_max_out_of_bound).
            let off_regno = env.cur_src;
            return env.err(
                EACCES,
                format!("R{off_regno} has unknown scalar with mixed signed bounds, {NOT_ROOT}"),
            );
        }
        let off_is_neg = off.smin < 0;
        let mask_to_left = (op == AluOp::Add && off_is_neg) || (op == AluOp::Sub && !off_is_neg);
        let limit = ptr_limit(env, op, dst, ptr, mask_to_left)?;
        let mut state = if off_is_neg { ALU_NEG_VALUE } else { 0 };
        state |= if off_is_imm { ALU_IMMEDIATE } else { 0 };
        state |= if ptr_is_dst { ALU_SANITIZE_SRC } else { ALU_SANITIZE_DST };
        if !off_is_imm {
            env.explore_alu_limits = true;
        }
        commit = Some((mask_to_left, state, limit));
    }
    if off_is_imm {
        return Ok(commit);
    }
    // sanitize_speculative_path: the masked (zero) offset, i.e. the pointer unchanged.
    let mut spec = env.st.clone();
    spec.speculative = true;
    spec.cur_mut().regs[dst as usize] = *ptr;
    let next = env.insn_idx + 1;
    let from = env.insn_idx;
    push_branch(env, next, from, spec)?;
    Ok(commit)
}

/// `check_reg_sane_offset`.
fn sane_offset(env: &mut Env, r: &RegState, tname: &str) -> R<()> {
    let known = r.var_off.is_const();
    let val = r.var_off.value as i64;
    if known && (val >= MAX_VAR_OFF || val <= -MAX_VAR_OFF) {
        return env.err(EACCES, format!("math between {tname} pointer and {val} is not allowed"));
    }
    if r.off as i64 >= MAX_VAR_OFF || r.off as i64 <= -MAX_VAR_OFF {
        return env.err(EACCES, format!("{tname} pointer offset {} is not allowed", r.off));
    }
    if r.smin == S64_MIN {
        return env.err(
            EACCES,
            format!(
                "math between {tname} pointer and register with unbounded min value is not allowed"
            ),
        );
    }
    if r.smin >= MAX_VAR_OFF || r.smin <= -MAX_VAR_OFF {
        return env.err(EACCES, format!("value {} makes {tname} pointer be out of bounds", r.smin));
    }
    Ok(())
}
