//! Loads, stores and atomics: `check_mem_access` and what it calls for each pointer type
//! (`check_stack_read/write_fixed_off`, `check_map_access`, `check_ctx_access`,
//! `check_packet_access`, `check_mem_region_access`), `check_ld_imm`, `check_ld_abs`,
//! `check_atomic`.

use super::env::{Env, EACCES, EINVAL, MAX_VAR_OFF, R};
use super::reg::{RegState, RegType, ADD_CONST, S64_MIN};
use super::state::{SlotType, MAX_BPF_STACK};
use crate::isa::opcode::*;
use crate::isa::{AtomicOp, Insn, Size};
use crate::progtype::CtxField;
use alloc::format;
use alloc::string::String;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

/// Where a value comes from or goes to: a register, or (for ST) an immediate.
#[derive(Clone, Copy)]
pub(crate) enum Value {
    Reg(u8),
    Imm(i32),
    None,
}

pub(crate) fn check_ld_imm(env: &mut Env, dst: u8, pseudo: u8, imm: i32, imm2: i32) -> R<()> {
    env.check_dst(dst, true)?;
    let mut r = RegState::ptr(RegType::Scalar);
    match pseudo {
        0 => r.mark_known(crate::isa::Insn::imm64(imm, imm2)),
        PSEUDO_MAP_FD => {
            r = RegState::ptr(RegType::MapPtr);
            r.map = imm as u32;
        }
        PSEUDO_MAP_VALUE => {
            r = RegState::ptr(RegType::MapValue);
            r.map = imm as u32;
            r.off = imm2;
        }
        // A callback's address: it must have BTF func info and be static.
        PSEUDO_FUNC => {
            let target = (env.insn_idx as i64 + imm as i64 + 1) as usize;
            let sub = env.subprogs.binary_search(&target).unwrap_or(0);
            if env.funcs.is_empty() {
                return env.err(EINVAL, String::from("missing btf func_info"));
            }
            if super::func_info::at(env.funcs, target).is_some_and(|f| f.global) {
                return env.err(EINVAL, String::from("callback function not static"));
            }
            r = RegState::ptr(RegType::Func);
            r.map = sub as u32;
        }
        _ => return env.err(EINVAL, String::from("unsupported LD_IMM64 pseudo source")),
    }
    env.set_reg(dst, r);
    Ok(())
}

pub(crate) fn check_ld_abs(env: &mut Env, insn: &Insn) -> R<()> {
    if !env.opts.prog_type.may_access_skb() {
        return env.err(
            EINVAL,
            String::from("BPF_LD_[ABS|IND] instructions not allowed for this program type"),
        );
    }
    env.check_src(6)?;
    // check_resource_leak(.., "BPF_LD_[ABS|IND]"): the program may end here at run time.
    if env.report_reference_leak() {
        return env.err(EINVAL, String::from("BPF_LD_[ABS|IND] would lead to reference leak"));
    }
    if env.reg(6).typ != RegType::Ctx {
        return env.err(EINVAL, String::from("at the time of BPF_LD_ABS|IND R6 != pointer to skb"));
    }
    if let Insn::LdInd { src, .. } = *insn {
        env.check_src(src)?;
    }
    for r in 1..=5 {
        env.set_reg(r, RegState::not_init());
    }
    let u = env.unknown();
    env.set_reg(0, u);
    Ok(())
}

pub(crate) fn check_load(
    env: &mut Env,
    size: Size,
    signed: bool,
    dst: u8,
    src: u8,
    off: i16,
) -> R<()> {
    env.check_src(src)?;
    env.check_dst(dst, false)?;
    check_mem_access(
        env,
        src,
        off as i32,
        size.bytes() as u32,
        Access::Read,
        Value::Reg(dst),
        false,
        signed,
    )
}

pub(crate) fn check_store(
    env: &mut Env,
    size: Size,
    dst: u8,
    src: Option<u8>,
    off: i16,
    imm: i32,
) -> R<()> {
    if let Some(s) = src {
        env.check_src(s)?;
    }
    env.check_src(dst)?;
    let v = match src {
        Some(s) => Value::Reg(s),
        None => Value::Imm(imm),
    };
    check_mem_access(env, dst, off as i32, size.bytes() as u32, Access::Write, v, false, false)
}

pub(crate) fn check_atomic(
    env: &mut Env,
    size: Size,
    op: AtomicOp,
    fetch: bool,
    dst: u8,
    src: u8,
    off: i16,
) -> R<()> {
    env.check_src(src)?;
    env.check_src(dst)?;
    if op == AtomicOp::Cmpxchg {
        env.check_src(0)?;
        if env.is_pointer_value(0) {
            return env.err(EACCES, String::from("R0 leaks addr into mem"));
        }
    }
    if env.is_pointer_value(src) {
        return env.err(EACCES, format!("R{src} leaks addr into mem"));
    }
    let d = env.reg(dst);
    if matches!(d.typ, RegType::Ctx | RegType::Pkt | RegType::PktMeta) {
        let name = d.type_name();
        return env.err(EACCES, format!("BPF_ATOMIC stores into R{dst} {name} is not allowed"));
    }
    let n = size.bytes() as u32;
    let load_reg = if op == AtomicOp::Cmpxchg {
        Some(0)
    } else if fetch {
        Some(src)
    } else {
        None
    };
    // Read then write, each checked like a plain access (strict alignment for atomics).
    if let Some(l) = load_reg {
        // check_reg_arg(load_reg, DST_OP) clobbers it before the access is checked, which
        // matters when it is also the address register.
        env.check_dst(l, true)?;
    }
    // check_atomic_rmw reads once as a plain value (a spilled pointer may not be used as a
    // number without pointer leaks allowed), then again into the fetch register.
    check_mem_access(env, dst, off as i32, n, Access::Read, Value::None, true, false)?;
    if let Some(l) = load_reg {
        check_mem_access(env, dst, off as i32, n, Access::Read, Value::Reg(l), true, false)?;
    }
    check_mem_access(env, dst, off as i32, n, Access::Write, Value::None, true, false)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn check_mem_access(
    env: &mut Env,
    regno: u8,
    off: i32,
    size: u32,
    t: Access,
    value: Value,
    strict_once: bool,
    signed: bool,
) -> R<()> {
    let reg = env.reg(regno);
    check_ptr_alignment(env, &reg, off, size, strict_once)?;
    let off = off + reg.off;
    let val_reg = match value {
        Value::Reg(v) => Some(v),
        _ => None,
    };
    let leaks =
        |env: &Env| t == Access::Write && matches!(value, Value::Reg(v) if env.is_pointer_value(v));
    let mut loaded: Option<RegState> = None;
    match reg.typ {
        RegType::MapKey => {
            if t == Access::Write {
                return env.err(EACCES, format!("write to change key R{regno} not allowed"));
            }
            let ks = env.map(reg.map).key_size;
            check_mem_region(env, regno, off, size as i32, ks, false)?;
            loaded = Some(env.unknown());
        }
        RegType::MapValue if !reg.maybe_null => {
            if leaks(env) {
                return env.err(EACCES, format!("R{} leaks addr into map", val_reg.unwrap_or(0)));
            }
            let vs = env.map(reg.map).value_size;
            // check_map_access_type: BPF_F_RDONLY_PROG maps (.rodata) refuse program writes,
            // BPF_F_WRONLY_PROG maps program reads.
            let mflags = env.map(reg.map).prog_flags();
            if t == Access::Write && mflags & crate::maps::flags::RDONLY_PROG != 0 {
                return env.err(
                    EACCES,
                    format!("write into map forbidden, value_size={vs} off={off} size={size}"),
                );
            }
            if t == Access::Read && mflags & crate::maps::flags::WRONLY_PROG != 0 {
                return env.err(
                    EACCES,
                    format!("read from map forbidden, value_size={vs} off={off} size={size}"),
                );
            }
            check_mem_region(env, regno, off, size as i32, vs, false)?;
            if t == Access::Read {
                loaded = Some(env.unknown());
            }
        }
        RegType::Mem if !reg.maybe_null => {
            if t == Access::Write && reg.rdonly {
                return env.err(EACCES, format!("R{regno} cannot write into {}", reg.type_name()));
            }
            if leaks(env) {
                return env.err(EACCES, format!("R{} leaks addr into mem", val_reg.unwrap_or(0)));
            }
            check_mem_region(env, regno, off, size as i32, reg.mem_size, false)?;
            if t == Access::Read {
                loaded = Some(env.unknown());
            }
        }
        RegType::Ctx => {
            if leaks(env) {
                return env.err(EACCES, format!("R{} leaks addr into ctx", val_reg.unwrap_or(0)));
            }
            check_ptr_off_reg(env, &reg, regno, false)?;
            let field = env.opts.prog_type.ctx_access(off as i64, size, t == Access::Write);
            let Some(field) = field else {
                return env
                    .err(EACCES, format!("invalid bpf_context access off={off} size={size}"));
            };
            if t == Access::Read {
                loaded = Some(match field {
                    CtxField::Scalar => env.unknown(),
                    CtxField::PktData => RegState::ptr(RegType::Pkt),
                    CtxField::PktMeta => RegState::ptr(RegType::PktMeta),
                    CtxField::PktEnd => RegState::ptr(RegType::PktEnd),
                    CtxField::SockCommonOrNull => {
                        let mut r = RegState::ptr(RegType::SockCommon);
                        r.maybe_null = true;
                        r.id = env.new_id();
                        r
                    }
                });
                if signed && field != CtxField::Scalar {
                    return env
                        .err(EACCES, format!("invalid bpf_context access off={off} size={size}"));
                }
            }
        }
        t0 if t0.is_sk_pointer() && !reg.maybe_null => {
            if t == Access::Write {
                return env.err(EACCES, format!("R{regno} cannot write into {}", reg.type_name()));
            }
            check_sock_access(env, regno, &reg, off, size)?;
            loaded = Some(env.unknown());
        }
        RegType::Stack => {
            check_stack_bounds(env, regno, off, size as i32, t, false)?;
            if t == Access::Read {
                loaded = stack_read(env, regno, off, size as i32, val_reg)?;
            } else {
                stack_write(env, regno, off, size as i32, value)?;
            }
        }
        RegType::Pkt | RegType::PktMeta => {
            if t == Access::Write && !may_write_pkt(env) {
                return env.err(EACCES, String::from("cannot write into packet"));
            }
            if leaks(env) {
                return env
                    .err(EACCES, format!("R{} leaks addr into packet", val_reg.unwrap_or(0)));
            }
            check_packet_access(env, regno, off, size as i32, false)?;
            if t == Access::Read {
                loaded = Some(env.unknown());
            }
        }
        RegType::MapPtr => {
            // check_ptr_to_map_access: BTF access to `struct bpf_map` fields, root only.
            let kind = env.map(reg.map).kind;
            let sname = kind.kernel_struct();
            if !env.allow_ptr_leaks() {
                return env.err(
                    EACCES,
                    format!(
                        "'struct {sname}' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN"
                    ),
                );
            }
            if off < 0 {
                return env.err(
                    EACCES,
                    format!("R{regno} is {sname} invalid negative access: off={off}"),
                );
            }
            if t == Access::Write {
                return env.err(EACCES, format!("only read from {sname} is supported"));
            }
            loaded = Some(env.unknown());
        }
        _ => {
            return env.err(EACCES, format!("R{regno} invalid mem access '{}'", reg.type_name()));
        }
    }
    if let (Some(mut l), Some(v), Access::Read) = (loaded, val_reg, t) {
        if l.typ == RegType::Scalar && size < 8 {
            if signed {
                super::bounds::coerce_sx(&mut l, size);
            } else {
                l.coerce_to_size(size);
                if size < 4 {
                    l.mark32_unbounded();
                }
                l.sync_bounds();
            }
        }
        env.set_reg(v, l);
    }
    Ok(())
}

/// `check_sock_access`: the fields of `struct bpf_sock`, `bpf_tcp_sock` and `bpf_xdp_sock`
/// a program may read (net/core/filter.c `bpf_sock_common_is_valid_access`,
/// `bpf_sock_is_valid_access`, `bpf_tcp_sock_is_valid_access`,
/// `bpf_xdp_sock_is_valid_access`).
fn check_sock_access(env: &mut Env, regno: u8, reg: &RegState, off: i32, size: u32) -> R<()> {
    if reg.smin < 0 {
        return env.err(
            EACCES,
            format!(
                "R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."
            ),
        );
    }
    // bpf_ctx_narrow_access_ok against a 4-byte field.
    let narrow = |size: u32, field: u32| size <= field && size.is_power_of_two();
    let sock = |off: i32, size: u32| -> bool {
        // struct bpf_sock: 80 bytes; dst_port a __be16 at 48 with 2 bytes of padding.
        if !(0..80).contains(&off) || off % size as i32 != 0 {
            return false;
        }
        match off {
            // state, family, type, protocol, src_port, rx_queue_mapping, and the addresses
            4 | 8 | 12 | 44 | 72 | 76 | 24..=27 | 28..=43 | 52..=55 | 56..=71 => narrow(size, 4),
            48..=49 => narrow(size, if size == 4 { 4 } else { 2 }),
            50..=51 => false,
            _ => size == 4,
        }
    };
    let ok = match reg.typ {
        // No type, protocol, mark or priority in the common part.
        RegType::SockCommon => !(8..24).contains(&off) && sock(off, size),
        RegType::Sock => sock(off, size),
        // struct bpf_tcp_sock: 112 bytes of u32 fields but the u64 bytes_received (80)
        // and bytes_acked (88).
        RegType::TcpSock => {
            (0..112).contains(&off)
                && off % size as i32 == 0
                && size == if matches!(off, 80 | 88) { 8 } else { 4 }
        }
        // struct bpf_xdp_sock: queue_id only.
        _ => off == 0 && size == 4,
    };
    if ok {
        return Ok(());
    }
    env.err(EACCES, format!("R{regno} invalid {} access off={off} size={size}", reg.type_name()))
}

fn may_write_pkt(env: &Env) -> bool {
    env.opts.prog_type == crate::progtype::ProgType::Xdp
}

/// `check_ptr_alignment`: strict for the stack (and once for atomics); packets are not
/// strict on x86-64 (CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS).
pub(crate) fn check_ptr_alignment(
    env: &mut Env,
    reg: &RegState,
    off: i32,
    size: u32,
    strict_once: bool,
) -> R<()> {
    let (desc, strict) = match reg.typ {
        RegType::Pkt | RegType::PktMeta => {
            if !strict_once {
                return Ok(());
            }
            // check_pkt_ptr_alignment with NET_IP_ALIGN 2.
            let reg_off = reg
                .var_off
                .add(super::tnum::Tnum::konst((2i64 + reg.off as i64 + off as i64) as u64));
            if size != 1 && !reg_off.is_aligned(size as u64) {
                return env.err(
                    EACCES,
                    format!(
                        "misaligned packet access off {}+{}+{}+{} size {}",
                        2, reg.var_off, reg.off, off, size
                    ),
                );
            }
            return Ok(());
        }
        RegType::MapKey => ("key ", strict_once),
        RegType::MapValue => ("value ", strict_once),
        RegType::Ctx => ("context ", strict_once),
        RegType::Stack => ("stack ", true),
        _ => ("", strict_once),
    };
    if !strict || size == 1 {
        return Ok(());
    }
    let reg_off = reg.var_off.add(super::tnum::Tnum::konst((reg.off as i64 + off as i64) as u64));
    if !reg_off.is_aligned(size as u64) {
        // 6.18 prints a constant variable offset as a number.
        let vo = if reg.var_off.is_const() {
            format!("{}", reg.var_off.value as i64)
        } else {
            format!("{}", reg.var_off)
        };
        return env.err(
            EACCES,
            format!("misaligned {desc}access off {vo}+{}+{} size {}", reg.off, off, size),
        );
    }
    Ok(())
}

/// `__check_ptr_off_reg` for ctx: no negative, modified or variable offsets.
pub(crate) fn check_ptr_off_reg(
    env: &mut Env,
    reg: &RegState,
    regno: u8,
    fixed_off_ok: bool,
) -> R<()> {
    let tname = reg.type_name();
    if reg.off < 0 {
        return env.err(
            EACCES,
            format!("negative offset {tname} ptr R{regno} off={} disallowed", reg.off),
        );
    }
    if !fixed_off_ok && reg.off != 0 {
        return env.err(
            EACCES,
            format!("dereference of modified {tname} ptr R{regno} off={} disallowed", reg.off),
        );
    }
    if !reg.var_off.is_const() || reg.var_off.value != 0 {
        return env
            .err(EACCES, format!("variable {tname} access var_off={} disallowed", reg.var_off));
    }
    Ok(())
}

/// `__check_mem_access`'s message for an access outside `[0, mem_size)`.
fn mem_error(env: &mut Env, regno: u8, off: i64, size: i32, mem_size: u32) -> String {
    let reg = env.reg(regno);
    match reg.typ {
        RegType::MapKey => {
            format!("invalid access to map key, key_size={mem_size} off={off} size={size}")
        }
        RegType::MapValue => {
            format!("invalid access to map value, value_size={mem_size} off={off} size={size}")
        }
        RegType::Pkt | RegType::PktMeta | RegType::PktEnd => {
            format!("invalid access to packet, off={off} size={size}, R{regno}(id={},off={off},r={mem_size})", reg.id)
        }
        _ => format!("invalid access to memory, mem_size={mem_size} off={off} size={size}"),
    }
}

fn mem_ok(off: i64, size: i32, mem_size: u32, zero_ok: bool) -> bool {
    let size_ok = size > 0 || (size == 0 && zero_ok);
    off >= 0 && size_ok && (off as u64 + size as u64) <= mem_size as u64
}

/// `check_mem_region_access`: both ends of a variable offset must be inside.
pub(crate) fn check_mem_region(
    env: &mut Env,
    regno: u8,
    off: i32,
    size: i32,
    mem_size: u32,
    zero_ok: bool,
) -> R<()> {
    let reg = env.reg(regno);
    let off64 = off as i64;
    if reg.smin < 0
        && (reg.smin == S64_MIN
            || (off64 + reg.smin) != (off64 + reg.smin) as i32 as i64
            || reg.smin + off64 < 0)
    {
        return env.err(EACCES, format!("R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."));
    }
    let lo = (reg.smin + off64) as i32 as i64;
    if !mem_ok(lo, size, mem_size, zero_ok) {
        let m = mem_error(env, regno, lo, size, mem_size);
        env.err_line(&m);
        return env
            .err(EACCES, format!("R{regno} min value is outside of the allowed memory range"));
    }
    if reg.umax >= MAX_VAR_OFF as u64 {
        return env.err(
            EACCES,
            format!("R{regno} unbounded memory access, make sure to bounds check any such access"),
        );
    }
    let hi = (reg.umax as i64 + off64) as i32 as i64;
    if !mem_ok(hi, size, mem_size, zero_ok) {
        let m = mem_error(env, regno, hi, size, mem_size);
        env.err_line(&m);
        return env
            .err(EACCES, format!("R{regno} max value is outside of the allowed memory range"));
    }
    Ok(())
}

/// `check_packet_access`: the fixed offset against the proven range.
pub(crate) fn check_packet_access(
    env: &mut Env,
    regno: u8,
    off: i32,
    size: i32,
    zero_ok: bool,
) -> R<()> {
    let reg = env.reg(regno);
    if reg.smin < 0 {
        return env.err(EACCES, format!("R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."));
    }
    if reg.range < 0 || !mem_ok(off as i64, size, reg.range as u32, zero_ok) {
        if reg.range >= 0 {
            let m = mem_error(env, regno, off as i64, size, reg.range as u32);
            env.err_line(&m);
        }
        return env.err(EACCES, format!("R{regno} offset is outside of the packet"));
    }
    Ok(())
}

/// `check_stack_access_within_bounds`. `helper` selects the helper wording.
pub(crate) fn check_stack_bounds(
    env: &mut Env,
    regno: u8,
    off: i32,
    size: i32,
    t: Access,
    helper: bool,
) -> R<()> {
    let reg = env.reg(regno);
    let extra = if helper {
        " indirect access to"
    } else if t == Access::Read {
        " read from"
    } else {
        " write to"
    };
    let (min_off, max_off) = if reg.var_off.is_const() {
        let m = reg.var_off.value as i64 + off as i64;
        (m, m + size as i64)
    } else {
        if reg.smax >= MAX_VAR_OFF || reg.smin <= -MAX_VAR_OFF {
            return env
                .err(EACCES, format!("invalid unbounded variable-offset{extra} stack R{regno}"));
        }
        (reg.smin + off as i64, reg.smax + off as i64 + size as i64)
    };
    let frameno = reg.frameno as usize;
    let allocated = env.st.frames[frameno].allocated_stack() as i64;
    let min_valid = if t == Access::Write || env.allow_uninit_stack() {
        -(MAX_BPF_STACK as i64)
    } else {
        -allocated
    };
    let bad = min_off < min_valid || min_off > -1 || max_off > 0 || size < 0;
    if bad {
        if reg.var_off.is_const() {
            return env.err(EACCES, format!("invalid{extra} stack R{regno} off={off} size={size}"));
        }
        return env.err(
            EACCES,
            format!(
                "invalid variable-offset{extra} stack R{regno} var_off={} off={off} size={size}",
                reg.var_off
            ),
        );
    }
    let f = &mut env.st.frames[frameno];
    f.grow_stack((-min_off) as i32);
    let sub = f.subprog_start;
    // A zero-size helper access touches no byte: the kernel (6.18) does not count it in the
    // subprogram's stack depth (a reproducer: fuzz_kprobe_kacc_combined_stack_size_of_calls_1505_ok).
    if size == 0 {
        return Ok(());
    }
    if let Ok(i) = env.subprogs.binary_search(&sub) {
        let d = &mut env.stack_depth[i];
        *d = (*d).max(((-min_off + 7) / 8 * 8) as i32);
    }
    Ok(())
}

fn stack_write(env: &mut Env, regno: u8, off: i32, size: i32, value: Value) -> R<()> {
    let reg = env.reg(regno);
    if !reg.var_off.is_const() {
        // Variable-offset writes (root only): every byte in range becomes MISC.
        let frameno = reg.frameno as usize;
        let lo = reg.smin + off as i64;
        let hi = reg.smax + off as i64 + size as i64;
        let val_is_zero = matches!(value, Value::Imm(0))
            || matches!(value, Value::Reg(v) if { let r = env.reg(v); r.is_const() && r.var_off.value == 0 });
        for a in lo..hi {
            let slot = (-a - 1) as usize;
            let (spi, j) = (slot / 8, slot % 8);
            env.scratch_slot(spi);
            let s = &mut env.st.frames[frameno].stack[spi];
            if s.is_spilled_reg() {
                s.spilled = RegState::not_init();
                for t in s.types.iter_mut() {
                    if *t == SlotType::Spill {
                        *t = SlotType::Misc;
                    }
                }
            }
            if !(val_is_zero && s.types[j] == SlotType::Zero) {
                s.types[j] = SlotType::Misc;
            }
        }
        return Ok(());
    }
    let off = reg.var_off.value as i64 as i32 + off;
    let slot = (-off - 1) as usize;
    let spi = slot / 8;
    let frameno = reg.frameno as usize;
    env.scratch_slot(spi);
    env.st.note_stack_access(frameno, spi);
    let cur_frame = env.st.curframe();
    {
        let s = &env.st.frames[frameno].stack[spi];
        if !env.allow_ptr_leaks() && s.is_spilled_reg() && !s.is_spilled_scalar() && size != 8 {
            return env.err(EACCES, String::from("attempt to corrupt spilled pointer on stack"));
        }
    }
    let vreg = match value {
        Value::Reg(v) => Some(env.reg(v)),
        _ => None,
    };
    if !env.bypass_spec_v4() {
        // check_stack_write_fixed_off: spilling a pointer, or overwriting bytes that are not
        // plain data, gets a barrier (Spectre v4) after the store.
        let s = &env.st.frames[frameno].stack[spi];
        let sanitize = vreg.map(|r| r.typ.is_ptr()).unwrap_or(false)
            || (0..size as usize).any(|i| {
                !matches!(s.types[(slot + 8 - i % 8) % 8], SlotType::Misc | SlotType::Zero)
            });
        if sanitize {
            env.aux[env.insn_idx].nospec_result = true;
        }
    }
    let aligned = off % 8 == 0;
    if let (Some(r), true) = (
        vreg,
        aligned && vreg.map(|r| r.typ == RegType::Scalar).unwrap_or(false) && env.bpf_capable(),
    ) {
        let fits = r.width() <= 8 * size as u32;
        let mut r = r;
        if fits {
            if let Value::Reg(v) = value {
                env.assign_scalar_id(v);
                r = env.reg(v);
            }
        }
        save_register_state(env, frameno, spi, r, size);
        if !fits {
            env.st.frames[frameno].stack[spi].spilled.id = 0;
        }
    } else if vreg.is_none() && aligned && matches!(value, Value::Imm(_)) && env.bpf_capable() {
        let Value::Imm(i) = value else { unreachable!() };
        let r = RegState::known(i as i64 as u64);
        save_register_state(env, frameno, spi, r, size);
    } else if let Some(r) = vreg.filter(|r| r.typ.is_ptr()) {
        if size != 8 {
            return env.err(EACCES, String::from("invalid size of register spill"));
        }
        if frameno != cur_frame && r.typ == RegType::Stack {
            return env.err(
                EINVAL,
                String::from("cannot spill pointers to stack into stack frame of the caller"),
            );
        }
        save_register_state(env, frameno, spi, r, size);
    } else {
        let zero = match value {
            Value::Reg(_) => vreg.map(|r| r.is_const() && r.var_off.value == 0).unwrap_or(false),
            Value::Imm(i) => i == 0,
            Value::None => false,
        };
        let s = &mut env.st.frames[frameno].stack[spi];
        s.spilled = RegState::not_init();
        if s.is_spilled_reg() {
            for t in s.types.iter_mut() {
                scrub(t);
            }
        }
        if zero {
            if let Value::Reg(v) = value {
                // STACK_ZERO is only right if the register stays zero.
                super::precise::mark_precise(env, 1 << v, 0);
            }
        }
        let s = &mut env.st.frames[frameno].stack[spi];
        let ty = if zero { SlotType::Zero } else { SlotType::Misc };
        for i in 0..size as usize {
            s.types[(slot - i) % 8] = ty;
        }
    }
    Ok(())
}

fn scrub(t: &mut SlotType) {
    if *t != SlotType::Invalid {
        *t = SlotType::Misc;
    }
}

fn save_register_state(env: &mut Env, frameno: usize, spi: usize, r: RegState, size: i32) {
    let s = &mut env.st.frames[frameno].stack[spi];
    s.spilled = r;
    let size = size as usize;
    for i in (8 - size)..8 {
        s.types[i] = SlotType::Spill;
    }
    for i in 0..(8 - size) {
        let t = &mut s.types[i];
        if *t == SlotType::Zero {
            continue;
        }
        // mark_stack_slot_misc: uninitialised bytes stay uninitialised.
        if *t == SlotType::Invalid {
            continue;
        }
        *t = SlotType::Misc;
    }
}

fn stack_read(
    env: &mut Env,
    regno: u8,
    off: i32,
    size: i32,
    dst: Option<u8>,
) -> R<Option<RegState>> {
    let reg = env.reg(regno);
    let frameno = reg.frameno as usize;
    if !reg.var_off.is_const() {
        // check_stack_read_var_off: every byte must be initialised (or root).
        let lo = reg.smin + off as i64;
        let hi = reg.smax + off as i64 + size as i64;
        let mut zeros = true;
        for a in lo..hi {
            let slot = (-a - 1) as usize;
            let (spi, j) = (slot / 8, slot % 8);
            env.scratch_slot(spi);
            let t = env.st.frames[frameno]
                .stack
                .get(spi)
                .map(|s| s.types[j])
                .unwrap_or(SlotType::Invalid);
            if t != SlotType::Zero {
                zeros = false;
            }
            if t == SlotType::Invalid && !env.allow_uninit_stack() {
                return env.err(EACCES, format!("invalid variable-offset read from stack R{regno} var_off={} off={off} size={size}", reg.var_off));
            }
        }
        return Ok(Some(if zeros { RegState::known(0) } else { env.unknown() }));
    }
    let off = reg.var_off.value as i64 as i32 + off;
    let slot = (-off - 1) as usize;
    let spi = slot / 8;
    env.scratch_slot(spi);
    env.st.note_stack_access(frameno, spi);
    let s = env.st.frames[frameno].stack[spi];
    if s.is_spilled_reg() {
        let mut spill_size = 1;
        let mut i = 7;
        while i > 0 && s.types[i - 1] == SlotType::Spill {
            spill_size += 1;
            i -= 1;
        }
        if size != 8 || spill_size != 8 {
            if s.spilled.typ != RegType::Scalar {
                return env.err(EACCES, String::from("invalid size of register fill"));
            }
            if dst.is_none() {
                return Ok(None);
            }
            // bpf_stack_narrow_access_ok: little endian, the fill reads the spill's start.
            // bpf_stack_narrow_access_ok (little endian): the fill starts where the spill does.
            if size <= spill_size && off % 8 == 0 {
                let mut r = s.spilled;
                if r.width() > size as u32 * 8 {
                    r.id = 0;
                }
                return Ok(Some(r));
            }
            let (mut spill_cnt, mut zero_cnt) = (0, 0);
            for i in 0..size as usize {
                let t = s.types[(slot - i) % 8];
                match t {
                    SlotType::Spill => spill_cnt += 1,
                    SlotType::Misc => {}
                    SlotType::Zero => zero_cnt += 1,
                    SlotType::Invalid if env.allow_uninit_stack() => {}
                    SlotType::Invalid => {
                        return env.err(
                            EACCES,
                            format!("invalid read from stack off {off}+{i} size {size}"),
                        );
                    }
                }
            }
            if spill_cnt == size && s.spilled.is_const() && s.spilled.var_off.value == 0 {
                return Ok(Some(RegState::known(0)));
            }
            if zero_cnt == size {
                return Ok(Some(RegState::known(0)));
            }
            return Ok(Some(env.unknown()));
        }
        if let Some(_d) = dst {
            if env.bpf_capable() && s.spilled.typ == RegType::Scalar {
                // assign_scalar_id_before_mov on the slot.
                let sp = &mut env.st.frames[frameno].stack[spi].spilled;
                if sp.id & ADD_CONST != 0 {
                    sp.id = 0;
                    sp.off = 0;
                }
                if sp.id == 0 && !sp.var_off.is_const() {
                    env.id_gen += 1;
                    let id = env.id_gen;
                    env.st.frames[frameno].stack[spi].spilled.id = id;
                }
            }
            return Ok(Some(env.st.frames[frameno].stack[spi].spilled));
        }
        if !env.allow_ptr_leaks() && s.spilled.typ.is_ptr() {
            return env.err(EACCES, format!("leaking pointer from stack off {off}"));
        }
        return Ok(None);
    }
    let mut zeros = 0;
    for i in 0..size as usize {
        let t = s.types[(slot - i) % 8];
        match t {
            SlotType::Misc => {}
            SlotType::Zero => zeros += 1,
            SlotType::Invalid if env.allow_uninit_stack() => {}
            _ => {
                return env
                    .err(EACCES, format!("invalid read from stack off {off}+{i} size {size}"))
            }
        }
    }
    if dst.is_none() {
        return Ok(None);
    }
    Ok(Some(if zeros == size { RegState::known(0) } else { env.unknown() }))
}
