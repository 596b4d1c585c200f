//! Calls and exits: `check_helper_call` with `check_func_arg`, `check_func_call` (bpf-to-bpf
//! frames), `prepare_func_exit` and `check_return_code` (`check_reference_leak` is
//! [`Env::report_reference_leak`], which `LD_ABS` asks too).

use super::env::{Env, Fail, Flow, E2BIG, EACCES, EINVAL, R};
use super::mem::{
    check_mem_region, check_packet_access, check_ptr_alignment, check_stack_bounds, Access,
};
use super::reg::{RegState, RegType};
use super::state::{FuncState, Ref, SlotType, MAX_CALL_FRAMES};
use crate::helpers::{self, Arg, Ret};
use crate::isa::helpers::helper_name;
use crate::isa::CallKind;
use crate::maps::MapKind;
use alloc::format;
use alloc::string::String;

fn func_name(id: i32) -> &'static str {
    helper_name(id).unwrap_or("unknown")
}

pub(crate) fn check_call(env: &mut Env, idx: usize, kind: CallKind, imm: i32) -> R<Flow> {
    match kind {
        CallKind::Kfunc => {
            env.err(EINVAL, String::from("calling kernel functions is not supported by bpfplay"))
        }
        CallKind::Local => check_func_call(env, idx, imm),
        CallKind::Helper => check_helper_call(env, idx, imm),
    }
}

#[derive(Default)]
struct Meta {
    map: Option<u32>,
    mem_size: u64,
    /// The size argument's largest value (check_mem_size_reg's msize_max_value).
    msize_max: u64,
    release_regno: u8,
    ref_obj_id: u32,
    const_map_key: i64,
    /// The callback's subprogram (ARG_PTR_TO_FUNC).
    subprogno: Option<usize>,
}

fn check_helper_call(env: &mut Env, idx: usize, id: i32) -> R<Flow> {
    if !(0..212).contains(&id) || helper_name(id).is_none() {
        return env.err(EINVAL, format!("invalid func {}#{}", func_name(id), id));
    }
    if !helpers::available(env.opts.prog_type, id) {
        return env.err(
            EINVAL,
            format!("program of this type cannot use helper {}#{}", func_name(id), id),
        );
    }
    // Without CAP_PERFMON, bpf_base_func_proto leaves out the tracing helpers.
    if env.opts.unpriv && matches!(id, 6 | 35 | 112 | 113 | 114 | 115 | 117 | 165 | 175 | 177) {
        return env.err(
            EINVAL,
            format!("program of this type cannot use helper {}#{}", func_name(id), id),
        );
    }
    let Some(proto) = helpers::proto(id) else {
        return env.err(
            EINVAL,
            format!("helper {}#{} is not modelled by bpfplay yet", func_name(id), id),
        );
    };
    let mut meta = Meta { const_map_key: -1, ..Meta::default() };
    for i in 0..5 {
        check_func_arg(env, i, proto.args[i], &proto.args, &mut meta, id)?;
    }
    // Release (ringbuf submit/discard).
    if meta.release_regno != 0 {
        let r = env.reg(meta.release_regno);
        if meta.ref_obj_id != 0 {
            release_reference(env, meta.ref_obj_id);
        } else if r.is_const() && r.var_off.value == 0 {
            // releasing NULL is fine for helpers that allow it
        } else {
            return env.err(
                EINVAL,
                format!("func {}#{} reference has not been acquired before", func_name(id), id),
            );
        }
    }
    // record_func_map: the map each map helper call was given; a call reached with two
    // maps is poisoned (do_misc_fixups refuses that for an unprivileged tail call).
    if matches!(id, 1 | 2 | 3 | 12 | 51 | 87 | 88 | 89 | 164 | 195) {
        if let Some(m) = meta.map {
            let a = &mut env.aux[idx];
            match a.map_ptr {
                None => a.map_ptr = Some(m),
                Some(old) if old != m => a.map_ptr_poison = true,
                Some(_) => {}
            }
        }
    }
    if id == 12 {
        // record_func_key: a constant index within the map must stay that constant (one
        // out of range, or not constant, poisons the key and is not made precise).
        let r3 = env.reg(3);
        let max = meta.map.map(|m| env.map(m).max_entries as u64).unwrap_or(0);
        if r3.is_const() && r3.var_off.value < max {
            super::precise::mark_precise(env, 1 << 3, 0);
        }
    }
    if id == 12 && !env.st.refs.is_empty() {
        return env.err(EINVAL, String::from("tail_call would lead to reference leak"));
    }
    if id == super::cfg::BPF_FUNC_LOOP {
        bpf_loop(env, idx, meta.subprogno.unwrap_or(0))?;
    }
    // Caller-saved registers are clobbered.
    for r in 1..=5u8 {
        env.set_reg(r, RegState::not_init());
    }
    let mut r0 = match proto.ret {
        Ret::Integer => env.unknown(),
        Ret::Void => RegState::not_init(),
        Ret::MapValueOrNull => {
            let mut r = RegState::ptr(RegType::MapValue);
            let map = meta.map.unwrap_or(0);
            r.map = map;
            let m = env.map(map);
            let elide = id == 1
                && matches!(m.kind, MapKind::Array | MapKind::PercpuArray)
                && meta.const_map_key >= 0
                && (meta.const_map_key as u64) < m.max_entries as u64;
            if !elide {
                r.maybe_null = true;
                r.id = env.new_id();
            }
            r
        }
        Ret::RingbufMemOrNull => {
            let mut r = RegState::ptr(RegType::Mem);
            r.ringbuf = true;
            r.maybe_null = true;
            r.mem_size = meta.mem_size as u32;
            r
        }
    };
    // is_acquire_function: a socket map's lookup takes a reference on the socket.
    let sock_lookup = id == 1
        && meta
            .map
            .is_some_and(|m| matches!(env.map(m).kind, MapKind::Sockmap | MapKind::Sockhash));
    if proto.ret == Ret::RingbufMemOrNull || sock_lookup {
        // A maybe-null return gets an id first; acquire_reference_state takes the next.
        if !sock_lookup {
            env.new_id();
        }
        let rid = env.new_id();
        env.st.refs.push(Ref { id: rid, insn_idx: idx });
        r0.id = rid;
        r0.ref_obj_id = rid;
    }
    // do_refine_retval_range
    if proto.ret == Ret::Integer {
        match id {
            // get_stack, get_task_stack, probe_read{,_kernel,_user}_str: at most the size
            // asked for, or a negative errno.
            67 | 141 | 45 | 115 | 114 => {
                r0.smax = meta.msize_max as i64;
                r0.s32_max = meta.msize_max as i32;
                r0.smin = -4095;
                r0.s32_min = -4095;
                r0.sync_bounds();
            }
            // get_smp_processor_id: below nr_cpu_ids.
            8 => {
                let top = crate::helpers::POSSIBLE_CPUS as u64 - 1;
                r0.umin = 0;
                r0.umax = top;
                r0.smin = 0;
                r0.smax = top as i64;
                r0.u32_min = 0;
                r0.u32_max = top as u32;
                r0.s32_min = 0;
                r0.s32_max = top as i32;
                r0.sync_bounds();
            }
            _ => {}
        }
    }
    env.set_reg(0, r0);
    // bpf_helper_changes_pkt_data: packet pointers die (clear_all_pkt_pointers).
    if matches!(id, 9 | 10 | 11 | 13 | 38 | 39 | 44 | 45 | 50 | 51 | 54 | 65 | 69 | 70) {
        let allow_leaks = env.allow_ptr_leaks();
        let dead = |x: &mut RegState| {
            if matches!(x.typ, RegType::Pkt | RegType::PktMeta | RegType::PktEnd) {
                *x = if allow_leaks { RegState::unknown() } else { RegState::not_init() };
            }
        };
        for f in env.st.frames.iter_mut() {
            for x in f.regs.iter_mut() {
                dead(x);
            }
            for s in f.stack.iter_mut() {
                if s.is_spilled_reg() {
                    dead(&mut s.spilled);
                }
            }
        }
    }
    // Map compatibility, both ways (check_map_func_compatibility).
    if let Some(m) = meta.map {
        let kind = env.map(m).kind;
        let compat = super::map_func::check(kind, id, env.opts.prog_type);
        if id == 12 && kind != MapKind::ProgArray {
            // The kernel prints this one without a newline.
            env.err_first = Some(String::from("expected prog array map for tail call"));
            env.say("expected prog array map for tail call");
            env.last_error = env.err_first.clone();
            return Err(Fail { errno: EINVAL });
        }
        if let Err(why) = compat {
            if why.sockmap_context {
                env.err_line("cannot update sockmap in this context");
            }
            return env.err(
                EINVAL,
                format!("cannot pass map_type {} into func {}#{}", kind as u32, func_name(id), id),
            );
        }
    }
    Ok(Flow::Next)
}

fn release_reference(env: &mut Env, ref_obj_id: u32) {
    env.st.refs.retain(|r| r.id != ref_obj_id);
    // mark_reg_invalid: unreadable without pointer leaks allowed, else an unknown scalar.
    let gone = if env.allow_ptr_leaks() { RegState::unknown() } else { RegState::not_init() };
    let fix = |x: &mut RegState| {
        if x.ref_obj_id == ref_obj_id {
            *x = gone;
        }
    };
    for f in env.st.frames.iter_mut() {
        for x in f.regs.iter_mut() {
            fix(x);
        }
        for s in f.stack.iter_mut() {
            if s.is_spilled_reg() && s.spilled.ref_obj_id == ref_obj_id {
                s.spilled = RegState::unknown();
                for t in s.types.iter_mut() {
                    *t = SlotType::Misc;
                }
            }
        }
    }
}

fn type_list(arg: Arg) -> &'static [&'static str] {
    match arg {
        Arg::MapKey
        | Arg::MapValue
        | Arg::MapValueUninit
        | Arg::MemRdonly
        | Arg::UninitMem
        | Arg::WriteLong => &[
            "fp",
            "pkt",
            "pkt_meta",
            "map_key",
            "map_value",
            "mem",
            "ringbuf_mem",
            "buf",
            "trusted_ptr_",
        ],
        Arg::ConstSize | Arg::ConstSizeOrZero | Arg::ConstAllocSizeOrZero | Arg::Anything => {
            &["scalar"]
        }
        Arg::ConstMapPtr => &["map_ptr"],
        Arg::Ctx => &["ctx"],
        Arg::RingbufMemRelease => &["ringbuf_mem"],
        // btf_id_sock_common_types
        Arg::SockCommon | Arg::SockCommonRelease => {
            &["sock_common", "sock", "tcp_sock", "xdp_sock", "ptr_", "trusted_ptr_"]
        }
        Arg::Func => &["func"],
        Arg::StackOrNull => &["fp"],
        Arg::DontCare => &[],
    }
}

fn type_ok(arg: Arg, r: &RegState) -> bool {
    match arg {
        Arg::MapKey
        | Arg::MapValue
        | Arg::MapValueUninit
        | Arg::MemRdonly
        | Arg::UninitMem
        | Arg::WriteLong => {
            !r.maybe_null
                && matches!(
                    r.typ,
                    RegType::Stack
                        | RegType::Pkt
                        | RegType::PktMeta
                        | RegType::MapKey
                        | RegType::MapValue
                        | RegType::Mem
                )
        }
        Arg::ConstSize | Arg::ConstSizeOrZero | Arg::ConstAllocSizeOrZero | Arg::Anything => {
            r.typ == RegType::Scalar
        }
        Arg::ConstMapPtr => r.typ == RegType::MapPtr,
        Arg::Ctx => r.typ == RegType::Ctx,
        Arg::RingbufMemRelease => r.typ == RegType::Mem && r.ringbuf && !r.maybe_null,
        Arg::SockCommon | Arg::SockCommonRelease => r.typ.is_sk_pointer() && !r.maybe_null,
        Arg::Func => r.typ == RegType::Func,
        Arg::StackOrNull => {
            r.typ == RegType::Stack
                || (r.typ == RegType::Scalar && r.is_const() && r.var_off.value == 0)
        }
        Arg::DontCare => true,
    }
}

fn check_func_arg(
    env: &mut Env,
    i: usize,
    arg: Arg,
    args: &[Arg; 5],
    meta: &mut Meta,
    _id: i32,
) -> R<()> {
    let regno = (i + 1) as u8;
    if arg == Arg::DontCare {
        return Ok(());
    }
    env.check_src(regno)?;
    let r = env.reg(regno);
    if arg == Arg::Anything {
        if env.is_pointer_value(regno) {
            return env.err(EACCES, format!("R{regno} leaks addr into helper function"));
        }
        return Ok(());
    }
    if r.typ.is_pkt() && !matches!(env.opts.prog_type, crate::progtype::ProgType::Xdp) {
        return env.err(EACCES, String::from("helper access to the packet is not allowed"));
    }
    // resolve_map_arg_type: a socket map's values are sockets.
    let mut arg = arg;
    if matches!(arg, Arg::MapValue | Arg::MapValueUninit) {
        if let Some(m) = meta.map {
            if matches!(env.map(m).kind, MapKind::Sockmap | MapKind::Sockhash) {
                if arg != Arg::MapValue {
                    return env.err(EINVAL, String::from("invalid arg_type for sockmap/sockhash"));
                }
                arg = Arg::SockCommon;
            }
        }
    }
    if !type_ok(arg, &r) {
        let list = type_list(arg).join(", ");
        return env.err(EACCES, format!("R{regno} type={} expected={}", r.type_name(), list));
    }
    // check_func_arg_reg_off: ctx and map pointers must be unmodified.
    let release = matches!(arg, Arg::RingbufMemRelease | Arg::SockCommonRelease);
    if (arg == Arg::Ctx || release) && (r.off != 0 || !r.var_off.is_const() || r.var_off.value != 0)
    {
        if release {
            return env.err(EACCES, format!("R{regno} must have zero offset when passed to release func or trusted arg to kfunc"));
        }
        super::mem::check_ptr_off_reg(env, &r, regno, false)?;
    }
    if release {
        if r.ref_obj_id == 0 {
            return env.err(
                EINVAL,
                format!("R{regno} must be referenced when passed to release function"),
            );
        }
        meta.release_regno = regno;
    }
    if r.ref_obj_id != 0 {
        meta.ref_obj_id = r.ref_obj_id;
    }
    match arg {
        Arg::Func => meta.subprogno = Some(r.map as usize),
        Arg::ConstMapPtr => meta.map = Some(r.map),
        Arg::MapKey => {
            let Some(m) = meta.map else {
                return env.err(EACCES, String::from("invalid map_ptr to access map->key"));
            };
            let ks = env.map(m).key_size;
            helper_mem_access(env, regno, ks as i32, Access::Read, false, false)?;
            let kind = env.map(m).kind;
            if matches!(kind, MapKind::Array | MapKind::PercpuArray) {
                meta.const_map_key = constant_map_key(env, &r, ks);
                // A key read from a spilled constant must stay that constant.
                if meta.const_map_key >= 0 && r.frameno == 0 {
                    let slot = (-(r.off as i64 + r.var_off.value as i64) - 1) as usize;
                    let spi = slot / 8;
                    if spi < 64
                        && env.st.frames[0]
                            .stack
                            .get(spi)
                            .map(|s| s.is_spilled_scalar())
                            .unwrap_or(false)
                    {
                        super::precise::mark_precise(env, 0, 1u64 << spi);
                    }
                }
            }
        }
        Arg::MapValue => {
            let Some(m) = meta.map else {
                return env.err(EACCES, String::from("invalid map_ptr to access map->value"));
            };
            let vs = env.map(m).value_size;
            helper_mem_access(env, regno, vs as i32, Access::Read, false, false)?;
        }
        // MEM_UNINIT | MEM_WRITE: raw memory the helper fills (check_helper_mem_access with
        // BPF_WRITE).
        Arg::MapValueUninit => {
            let Some(m) = meta.map else {
                return env.err(EACCES, String::from("invalid map_ptr to access map->value"));
            };
            let vs = env.map(m).value_size;
            helper_mem_access(env, regno, vs as i32, Access::Write, false, true)?;
        }
        Arg::ConstSize | Arg::ConstSizeOrZero => {
            meta.msize_max = r.umax;
            let zero_ok = arg == Arg::ConstSizeOrZero;
            let write = args[i - 1] == Arg::UninitMem;
            if r.smin < 0 {
                return env.err(
                    EACCES,
                    format!(
                        "R{regno} min value is negative, either use unsigned or 'var &= const'"
                    ),
                );
            }
            if r.umin == 0 && !zero_ok {
                return env.err(
                    EACCES,
                    format!(
                        "R{regno} invalid zero-sized read: u64=[{},{}]",
                        r.umin as i64, r.umax as i64
                    ),
                );
            }
            if r.umax >= 1 << 29 {
                return env.err(EACCES, format!("R{regno} unbounded memory access, use 'var &= const' or 'if (var < const)'"));
            }
            // check_mem_size_reg: with a variable size the helper gets no raw mode, so the
            // memory must be initialised as for a read; a stack buffer is then clobbered
            // (check_stack_range_initialized with BPF_WRITE) without its slots being
            // scratched in the log.
            helper_mem_access(
                env,
                regno - 1,
                r.umax as i32,
                if write { Access::Write } else { Access::Read },
                zero_ok,
                write && r.var_off.is_const(),
            )?;
            super::precise::mark_precise(env, 1 << regno, 0);
        }
        // check_func_arg, ARG_PTR_TO_MEM with MEM_FIXED_SIZE: the access first, then
        // MEM_ALIGNED's strict alignment.
        Arg::WriteLong => {
            helper_mem_access(env, regno, 8, Access::Write, false, true)?;
            let r = env.reg(regno);
            check_ptr_alignment(env, &r, 0, 8, true)?;
        }
        Arg::ConstAllocSizeOrZero => {
            if !r.var_off.is_const() {
                return env.err(EACCES, format!("R{regno} is not a known constant'"));
            }
            meta.mem_size = r.var_off.value;
            super::precise::mark_precise(env, 1 << regno, 0);
        }
        _ => {}
    }
    Ok(())
}

/// `get_constant_map_key`: a constant key in an aligned stack slot lets an array lookup
/// return a non-null pointer.
fn constant_map_key(env: &Env, key: &RegState, key_size: u32) -> i64 {
    if key.typ != RegType::Stack || !key.var_off.is_const() {
        return -1;
    }
    let stack_off = key.off as i64 + key.var_off.value as i64;
    let slot = (-stack_off - 1) as usize;
    let (spi, off) = (slot / 8, slot % 8);
    let Some(s) = env.st.frames[key.frameno as usize].stack.get(spi) else { return -1 };
    let zero = (0..=off).rev().take_while(|&i| s.types[i] == SlotType::Zero).count();
    if zero as u32 >= key_size {
        return 0;
    }
    if !s.is_spilled_scalar() {
        return -1;
    }
    let spill = (0..=off).rev().take_while(|&i| s.types[i] == SlotType::Spill).count();
    if spill as u32 != key_size || !s.spilled.var_off.is_const() {
        return -1;
    }
    s.spilled.var_off.value as i64
}

/// `check_helper_mem_access` for a pointer argument of `size` bytes.
/// `check_helper_mem_access`. `raw`: the helper fills the memory (MEM_UNINIT with a known
/// size: the kernel's raw mode), so a stack buffer need not be initialised and its slots are
/// written byte by byte; a write without raw mode checks the buffer as a read does and then
/// clobbers it.
fn helper_mem_access(
    env: &mut Env,
    regno: u8,
    size: i32,
    t: Access,
    zero_ok: bool,
    raw: bool,
) -> R<()> {
    let r = env.reg(regno);
    match r.typ {
        RegType::Pkt | RegType::PktMeta => check_packet_access(env, regno, r.off, size, zero_ok),
        RegType::MapKey => {
            if t == Access::Write {
                return env.err(EACCES, format!("R{regno} cannot write into {}", r.type_name()));
            }
            let ks = env.map(r.map).key_size;
            check_mem_region(env, regno, r.off, size, ks, false)
        }
        RegType::MapValue => {
            let vs = env.map(r.map).value_size;
            check_mem_region(env, regno, r.off, size, vs, zero_ok)
        }
        RegType::Mem => check_mem_region(env, regno, r.off, size, r.mem_size, zero_ok),
        RegType::Stack => stack_range_initialized(env, regno, r.off, size, zero_ok, t, raw),
        _ => {
            if zero_ok && size == 0 && r.is_const() && r.var_off.value == 0 {
                return Ok(());
            }
            env.err(EACCES, format!("R{regno} type={} expected=fp", r.type_name()))
        }
    }
}

/// A variable-size helper write into the stack (`check_stack_range_initialized` with
/// BPF_WRITE and no raw mode): every byte it may reach becomes MISC, spilled registers
/// there unknown.
fn clobber_stack(env: &mut Env, regno: u8, off: i32, size: i32) {
    let r = env.reg(regno);
    if r.typ != RegType::Stack {
        return;
    }
    let (lo, hi) = if r.var_off.is_const() {
        let m = r.var_off.value as i64 + off as i64;
        (m, m)
    } else {
        (r.smin + off as i64, r.smax + off as i64)
    };
    let frameno = r.frameno as usize;
    for a in lo..hi + size as i64 {
        let Ok(slot) = usize::try_from(-a - 1) else { continue };
        let (spi, j) = (slot / 8, slot % 8);
        let Some(s) = env.st.frames[frameno].stack.get_mut(spi) else { continue };
        if s.is_spilled_reg() {
            s.spilled = RegState::unknown();
            for t in s.types.iter_mut() {
                if *t != SlotType::Invalid {
                    *t = SlotType::Misc;
                }
            }
        }
        if matches!(s.types[j], SlotType::Zero | SlotType::Invalid) {
            s.types[j] = SlotType::Misc;
        }
    }
}

/// `check_stack_range_initialized` for helper arguments (bytes become MISC: the helper may
/// write them).
fn stack_range_initialized(
    env: &mut Env,
    regno: u8,
    off: i32,
    size: i32,
    zero_ok: bool,
    t: Access,
    raw: bool,
) -> R<()> {
    if size == 0 && !zero_ok {
        return env.err(EACCES, String::from("invalid zero-sized read"));
    }
    check_stack_bounds(env, regno, off, size, t, false)?;
    if t == Access::Write && raw {
        // Raw (uninitialised) memory the helper fills: after the call every byte is data
        // (check_helper_call writes it byte by byte).
        let r = env.reg(regno);
        if r.var_off.is_const() {
            let frameno = r.frameno as usize;
            let base = r.var_off.value as i64 + off as i64;
            let v4 = !env.bypass_spec_v4();
            for a in base..base + size as i64 {
                let slot = (-a - 1) as usize;
                let (spi, j) = (slot / 8, slot % 8);
                if v4
                    && !matches!(
                        env.st.frames[frameno].stack[spi].types[j],
                        SlotType::Misc | SlotType::Zero
                    )
                {
                    // The helper's byte-wise stack writes get a Spectre v4 barrier.
                    env.aux[env.insn_idx].nospec_result = true;
                }
                let s = &mut env.st.frames[frameno].stack[spi];
                if s.is_spilled_reg() {
                    s.spilled = RegState::not_init();
                    for t in s.types.iter_mut() {
                        if *t != SlotType::Invalid {
                            *t = SlotType::Misc;
                        }
                    }
                }
                s.types[j] = SlotType::Misc;
                // check_stack_write marks each slot written scratched: the state printed
                // after the call shows it (`fp-8=mmmmmmmm`).
                env.scratch_slot(spi);
            }
        }
        return Ok(());
    }
    let r = env.reg(regno);
    let (min_off, max_off) = if r.var_off.is_const() {
        let m = r.var_off.value as i64 + off as i64;
        (m, m)
    } else {
        if !env.bypass_spec_v1() {
            return env.err(EACCES, format!("R{regno} indirect variable offset stack access prohibited for !root, var_off={}", r.var_off));
        }
        (r.smin + off as i64, r.smax + off as i64)
    };
    let frameno = r.frameno as usize;
    let allow_uninit = env.allow_uninit_stack();
    let allow_leaks = env.allow_ptr_leaks();
    for i in min_off..max_off + size as i64 {
        let slot = (-i - 1) as usize;
        let (spi, j) = (slot / 8, slot % 8);
        // A read leaves the stack as it is (6.18 clobbers only for writes).
        let s = &env.st.frames[frameno].stack[spi];
        let t = s.types[j];
        if t == SlotType::Misc || t == SlotType::Zero || (t == SlotType::Invalid && allow_uninit) {
            continue;
        }
        if s.is_spilled_reg() && (s.spilled.typ == RegType::Scalar || allow_leaks) {
            continue;
        }
        if r.var_off.is_const() {
            return env.err(
                EACCES,
                format!(
                    "invalid read from stack R{regno} off {}+{} size {}",
                    min_off,
                    i - min_off,
                    size
                ),
            );
        }
        return env.err(
            EACCES,
            format!(
                "invalid read from stack R{regno} var_off {}+{} size {}",
                r.var_off,
                i - min_off,
                size
            ),
        );
    }
    if t == Access::Write {
        clobber_stack(env, regno, off, size);
    }
    Ok(())
}

/// bpf_loop (check_helper_call's BPF_FUNC_loop): the flags argument is made precise while the
/// call could be inlined (`update_loop_inline_state`: flags 0 at every visit), the count
/// always; while this frame has queued fewer iterations than the count can be, one more is
/// queued (`push_callback_call`): the callback in a new frame, R1 the index and R2 the
/// context, exiting back to this call. The walk goes on after the call at once, as if the
/// loop had ended.
fn bpf_loop(env: &mut Env, idx: usize, subprog: usize) -> R<()> {
    let r4 = env.reg(4);
    let flags_zero = r4.typ == RegType::Scalar && r4.is_const() && r4.var_off.value == 0;
    let inline = &mut env.aux[idx].loop_inline;
    let fit = match *inline {
        None => flags_zero,
        Some(fit) => fit && flags_zero,
    };
    let was_fit = inline.is_none_or(|f| f);
    *inline = Some(fit);
    if was_fit && flags_zero {
        super::precise::mark_precise(env, 1 << 4, 0);
    }
    super::precise::mark_precise(env, 1 << 1, 0);
    let nr = env.reg(1).umax;
    if u64::from(env.st.cur().callback_depth) < nr {
        check_frame_room(env)?;
        let mut st = env.st.clone();
        let caller = st.cur().clone();
        let frameno = st.frames.len() as u8;
        let start = env.subprogs.get(subprog).copied().unwrap_or(0);
        let mut callee = FuncState::new(frameno, idx, start);
        callee.regs[1] = RegState::unknown();
        callee.regs[2] = caller.regs[3];
        callee.in_callback_fn = true;
        st.cur_mut().callback_depth += 1;
        st.frames.push(callee);
        st.callback_unroll_depth += 1;
        super::env::push_branch(env, start, idx, st)?;
        env.st.cur_mut().callback_depth = 0;
        // init_func_state marks the whole state scratched (mark_verifier_state_scratched).
        env.scratched_regs = u32::MAX;
        env.scratched_stack = u64::MAX;
    } else {
        env.st.cur_mut().callback_depth = 0;
        if env.opts.log_level >= 2 {
            let f = env.st.curframe();
            env.say(&format!("frame{f} bpf_loop iteration limit reached\n"));
        }
    }
    Ok(())
}

/// `setup_func_entry`'s limit: a call (or a callback) needs a frame of the 8.
fn check_frame_room(env: &mut Env) -> R<()> {
    if env.st.frames.len() >= MAX_CALL_FRAMES {
        return env.err(
            E2BIG,
            format!("the call stack of {} frames is too deep", env.st.frames.len() + 1),
        );
    }
    Ok(())
}

/// A bpf-to-bpf call: a new frame with r1-r5 passed (`check_func_call`, `setup_func_entry`).
fn check_func_call(env: &mut Env, idx: usize, imm: i32) -> R<Flow> {
    let target = (idx as i64 + 1 + imm as i64) as usize;
    check_frame_room(env)?;
    let frameno = env.st.frames.len() as u8;
    let mut callee = FuncState::new(frameno, idx, target);
    for r in 1..=5usize {
        callee.regs[r] = env.st.cur().regs[r];
    }
    // clear_caller_saved_regs
    for r in 0..=5u8 {
        env.set_reg(r, RegState::not_init());
    }
    let caller = env.st.cur().clone();
    env.st.frames.push(callee);
    if env.opts.log_level > 0 {
        let mut s = String::from("caller:\n");
        let st = env.st.clone();
        super::log::func_state(&mut s, &st, &caller, env.maps, |_| true, |_| true);
        s.push_str("callee:\n");
        let cf = env.st.cur().clone();
        super::log::func_state(&mut s, &st, &cf, env.maps, |_| true, |_| true);
        env.say(&s);
    }
    Ok(Flow::Jump(target))
}

/// `verbose_invalid_scalar`: `CTX the register REG has smin=.. smax=.. should have been in
/// [MIN, MAX]` (the bounds the register has, or "unknown scalar value").
fn invalid_scalar(r: &RegState, range: (i32, i32), ctx: &str, reg: &str) -> String {
    let mut s = format!("{ctx} the register {reg} has");
    if r.smin > i64::MIN {
        s.push_str(&format!(" smin={}", r.smin));
    }
    if r.smax < i64::MAX {
        s.push_str(&format!(" smax={}", r.smax));
    }
    if r.smin == i64::MIN && r.smax == i64::MAX {
        s.push_str(" unknown scalar value");
    }
    s.push_str(&format!(" should have been in [{}, {}]", range.0, range.1));
    s
}

/// A callback's exit (prepare_func_exit for `in_callback_fn`): R0 must be a scalar in
/// `[0, 1]` (precise: the kernel relies on its value), then the walk goes back to the call
/// that called the callback, with the callback's changes to the caller's memory, and the
/// imprecise scalars that changed since the previous visit there widened.
fn callback_exit(env: &mut Env) -> R<Flow> {
    env.check_src(0)?;
    let r0 = env.reg(0);
    if r0.typ != RegType::Scalar {
        return env.err(EACCES, String::from("R0 not a scalar value"));
    }
    super::precise::mark_precise(env, 1, 0);
    let r0 = env.reg(0);
    if r0.smin < 0 || r0.smax > 1 {
        return env.err(EINVAL, invalid_scalar(&r0, (0, 1), "At callback return", "R0"));
    }
    let callee = env.st.frames.pop().expect("callee frame");
    let ret_to = callee.callsite;
    log_return(env, &callee, ret_to);
    if let Some(p) = super::prune::find_prev_entry_below(env, ret_to, env.st.dfs_depth) {
        let u = env.unknown();
        super::prune::widen_imprecise_scalars(&env.explored.arena[p].st, &mut env.st, u);
    }
    Ok(Flow::Jump(ret_to))
}

/// `prepare_func_exit`'s log: the frame left and the caller's, where the walk goes on.
fn log_return(env: &mut Env, callee: &FuncState, ret_to: usize) {
    if env.opts.log_level == 0 {
        return;
    }
    let st = env.st.clone();
    let mut s = String::from("returning from callee:\n");
    super::log::func_state(&mut s, &st, callee, env.maps, |_| true, |_| true);
    s.push_str(&format!("to caller at {ret_to}:\n"));
    let cf = env.st.cur().clone();
    super::log::func_state(&mut s, &st, &cf, env.maps, |_| true, |_| true);
    env.say(&s);
}

pub(crate) fn check_exit(env: &mut Env) -> R<Flow> {
    let main = env.st.frames.len() == 1;
    if main {
        // check_reference_leak
        if env.report_reference_leak() {
            return env.err(
                EINVAL,
                String::from("BPF_EXIT instruction in main prog would lead to reference leak"),
            );
        }
        env.check_src(0)?;
        if env.is_pointer_value(0) {
            return env.err(EACCES, String::from("R0 leaks addr as return value"));
        }
        return Ok(Flow::Exit);
    }
    // prepare_func_exit
    let r0 = env.reg(0);
    if env.st.cur().in_callback_fn {
        return callback_exit(env);
    }
    if r0.typ == RegType::Stack {
        return env.err(EINVAL, String::from("cannot return stack pointer to the caller"));
    }
    let callee = env.st.frames.pop().expect("callee frame");
    let ret_to = callee.callsite + 1;
    env.st.cur_mut().regs[0] = r0;
    log_return(env, &callee, ret_to);
    env.scratch_reg(0);
    Ok(Flow::Jump(ret_to))
}
