//! The verifier log's text, in the format of kernel/bpf/log.c (`print_verifier_state`,
//! `print_reg_state`, `print_scalar_ranges`, `vlog_alignment`).

use super::reg::{RegState, RegType, ADD_CONST, S64_MAX, S64_MIN};
use super::state::{FuncState, SlotType, VState};
use crate::isa::opcode::{CLS_LD, MODE_IMM, PSEUDO_MAP_FD, PSEUDO_MAP_VALUE, SZ_DW};
use crate::isa::RawInsn;
use crate::maps::MapDef;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// kernel/bpf/log.c prints numbers within s16 / u16 in decimal, others in hex.
fn snum_decimal(n: i64) -> bool {
    (i16::MIN as i64..=i16::MAX as i64).contains(&n)
}

/// `verbose_snum`.
pub fn snum(out: &mut String, n: i64) {
    if snum_decimal(n) {
        let _ = write!(out, "{n}");
    } else {
        let _ = write!(out, "{:#x}", n as u64);
    }
}

/// `verbose_unum`.
pub fn unum(out: &mut String, n: u64) {
    if n <= u16::MAX as u64 {
        let _ = write!(out, "{n}");
    } else {
        let _ = write!(out, "{n:#x}");
    }
}

/// `print_scalar_ranges`: equal bounds share one value (`smax=umax=0xffffffff`).
fn scalar_ranges(out: &mut String, r: &RegState, sep: &mut &'static str) {
    let s32v = |v: i32| if snum_decimal(v as i64) { v as i64 as u64 } else { v as u32 as u64 };
    let mut m: [(&str, u64, bool); 8] = [
        ("smin", r.smin as u64, r.smin == S64_MIN),
        ("smax", r.smax as u64, r.smax == S64_MAX),
        ("umin", r.umin, r.umin == 0),
        ("umax", r.umax, r.umax == u64::MAX),
        ("smin32", s32v(r.s32_min), r.s32_min == i32::MIN),
        ("smax32", s32v(r.s32_max), r.s32_max == i32::MAX),
        ("umin32", r.u32_min as u64, r.u32_min == 0),
        ("umax32", r.u32_max as u64, r.u32_max == u32::MAX),
    ];
    for i in 0..8 {
        if m[i].2 {
            continue;
        }
        let neg1 = m[i].0.starts_with('s') && (m[i].1 as i64) < 0;
        let _ = write!(out, "{}{}=", sep, m[i].0);
        *sep = ",";
        let mut j = i + 2;
        while j < 8 {
            if !m[j].2 && m[j].1 == m[i].1 {
                let neg2 = m[j].0.starts_with('s') && (m[j].1 as i64) < 0;
                if neg1 == neg2 {
                    m[j].2 = true;
                    let _ = write!(out, "{}=", m[j].0);
                }
            }
            j += 2;
        }
        if m[i].0.starts_with('s') {
            snum(out, m[i].1 as i64);
        } else {
            unum(out, m[i].1);
        }
    }
}

/// `print_reg_state`.
pub fn reg_state(out: &mut String, r: &RegState, frameno: u8, maps: &[MapDef]) {
    if r.typ == RegType::Scalar && r.precise {
        out.push('P');
    }
    if r.typ == RegType::Scalar && r.var_off.is_const() {
        snum(out, r.var_off.value as i64);
        return;
    }
    out.push_str(r.type_name());
    if r.typ == RegType::Stack {
        if r.frameno != frameno {
            let _ = write!(out, "[{}]", r.frameno);
        }
        if r.var_off.is_const() {
            snum(out, (r.var_off.value as i64).wrapping_add(r.off as i64));
            return;
        }
    }
    out.push('(');
    let mut sep: &'static str = "";
    if r.id != 0 {
        let _ = write!(out, "{sep}id={}", r.id & !ADD_CONST);
        sep = ",";
    }
    if r.id & ADD_CONST != 0 {
        let _ = write!(out, "{:+}", r.off);
    }
    if r.ref_obj_id != 0 {
        let _ = write!(out, "{sep}ref_obj_id={}", r.ref_obj_id);
        sep = ",";
    }
    if matches!(r.typ, RegType::MapPtr | RegType::MapValue | RegType::MapKey) {
        if let Some(m) = maps.get(r.map as usize) {
            if !m.name.is_empty() {
                let _ = write!(out, "{sep}map={}", kernel_map_name(&m.name));
                sep = ",";
            }
            let _ = write!(out, "{sep}ks={},vs={}", m.key_size, m.value_size);
            sep = ",";
        }
    }
    if r.typ != RegType::Scalar && r.off != 0 {
        let _ = write!(out, "{sep}off=");
        sep = ",";
        snum(out, r.off as i64);
    }
    if r.typ.is_pkt() {
        let _ = write!(out, "{sep}r=");
        sep = ",";
        unum(out, r.range as u64);
    }
    if r.typ == RegType::Mem {
        let _ = write!(out, "{sep}sz=");
        sep = ",";
        unum(out, r.mem_size as u64);
    }
    if r.var_off.is_const() {
        if r.var_off.value != 0 {
            let _ = write!(out, "{sep}imm=");
            snum(out, r.var_off.value as i64);
        }
    } else {
        scalar_ranges(out, r, &mut sep);
        if !r.var_off.is_unknown() {
            let _ = write!(out, "{sep}var_off={}", r.var_off);
        }
    }
    out.push(')');
}

/// The kernel keeps map names to 15 characters (BPF_OBJ_NAME_LEN - 1).
pub fn kernel_map_name(name: &str) -> &str {
    let mut end = name.len().min(15);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `print_verifier_state` for one frame: registers and stack slots selected by `show_reg` /
/// `show_slot` (all of them, or the ones scratched by the last instruction).
pub fn func_state(
    out: &mut String,
    st: &VState,
    f: &FuncState,
    maps: &[MapDef],
    show_reg: impl Fn(usize) -> bool,
    show_slot: impl Fn(usize) -> bool,
) {
    if f.frameno != 0 {
        let _ = write!(out, " frame{}:", f.frameno);
    }
    for (i, r) in f.regs.iter().enumerate() {
        if r.typ == RegType::NotInit || !show_reg(i) {
            continue;
        }
        let _ = write!(out, " R{i}=");
        reg_state(out, r, f.frameno, maps);
    }
    for (spi, slot) in f.stack.iter().enumerate() {
        if !show_slot(spi) {
            continue;
        }
        if slot.types.iter().all(|t| *t == SlotType::Invalid) {
            continue;
        }
        let _ = write!(out, " fp{}=", -((spi as i32) + 1) * 8);
        if slot.types[7] == SlotType::Spill {
            for t in slot.types.iter().take_while(|t| **t != SlotType::Spill) {
                out.push(t.ch());
            }
            reg_state(out, &slot.spilled, f.frameno, maps);
        } else {
            for t in &slot.types {
                out.push(t.ch());
            }
        }
    }
    if let Some(first) = st.refs.first() {
        let _ = write!(out, " refs={}", first.id);
        for r in &st.refs[1..] {
            let _ = write!(out, ",{}", r.id);
        }
    }
    if f.in_callback_fn {
        out.push_str(" cb");
    }
    out.push('\n');
}

/// `vlog_alignment`: spaces before the `;` that follows an instruction of `pos` characters.
pub fn alignment(pos: usize) -> usize {
    let v = (pos + 4).max(40);
    let rounded = v.div_ceil(8) * 8;
    rounded - pos - 1
}

/// The kernel-style text of the instruction at `i` (with its opcode), for the log.
pub(crate) fn insn_line(raw: &[RawInsn], i: usize, maps: &[MapDef]) -> String {
    let names: Vec<&str> = maps.iter().map(|m| m.name.as_str()).collect();
    crate::disasm::raw_text(raw[i], raw.get(i + 1).copied(), &names)
}

/// Length of the line the kernel would print for instruction `i`: a map reference is a
/// kernel address there (`0xffff888...`, 18 characters; `0x0` without CAP_PERFMON), a name
/// here, and the `;` column follows the kernel's length.
pub(crate) fn kernel_insn_len(raw: &[RawInsn], i: usize, text: &str, unpriv: bool) -> usize {
    let r = raw[i];
    if r.code == CLS_LD | MODE_IMM | SZ_DW && matches!(r.src, PSEUDO_MAP_FD | PSEUDO_MAP_VALUE) {
        return format!("({:02x}) r{} = ", r.code, r.dst).len() + if unpriv { 3 } else { 18 };
    }
    text.len()
}
