//! The step function and the pure semantics of RFC 9669's operations.

use super::memory::{Memory, FRAME_SIZE, MAX_FRAMES};
use super::ops::{atomic_op, Code, Op, ATOMIC_FETCH, FUNC_ADDR};
use super::{Frame, HelperResult, Host, HostError, LoopCall, Vm, VmError, VmErrorKind, MAX_LOOPS};
use crate::isa::{AluOp, AtomicOp, JmpCond, Size};
use alloc::string::String;

/// What the machine does after an instruction.
pub(crate) enum Flow {
    Continue,
    Exit(u64),
}

/// The 64-bit ALU: `src` is the register or the immediate sign-extended to 64 bits.
#[inline(always)]
pub(crate) fn alu64(op: AluOp, dst: u64, src: u64) -> u64 {
    match op {
        AluOp::Add => dst.wrapping_add(src),
        AluOp::Sub => dst.wrapping_sub(src),
        AluOp::Mul => dst.wrapping_mul(src),
        AluOp::Div => dst.checked_div(src).unwrap_or(0),
        AluOp::SDiv => {
            if src == 0 {
                0
            } else {
                (dst as i64).wrapping_div(src as i64) as u64
            }
        }
        AluOp::Mod => dst.checked_rem(src).unwrap_or(dst),
        AluOp::SMod => {
            if src == 0 {
                dst
            } else {
                (dst as i64).wrapping_rem(src as i64) as u64
            }
        }
        AluOp::Or => dst | src,
        AluOp::And => dst & src,
        AluOp::Xor => dst ^ src,
        AluOp::Lsh => dst << (src & 63),
        AluOp::Rsh => dst >> (src & 63),
        AluOp::Arsh => ((dst as i64) >> (src & 63)) as u64,
        AluOp::Mov => src,
    }
}

/// The 32-bit ALU on the low halves; the caller zero-extends the result.
#[inline(always)]
pub(crate) fn alu32(op: AluOp, dst: u32, src: u32) -> u32 {
    match op {
        AluOp::Add => dst.wrapping_add(src),
        AluOp::Sub => dst.wrapping_sub(src),
        AluOp::Mul => dst.wrapping_mul(src),
        AluOp::Div => dst.checked_div(src).unwrap_or(0),
        AluOp::SDiv => {
            if src == 0 {
                0
            } else {
                (dst as i32).wrapping_div(src as i32) as u32
            }
        }
        AluOp::Mod => dst.checked_rem(src).unwrap_or(dst),
        AluOp::SMod => {
            if src == 0 {
                dst
            } else {
                (dst as i32).wrapping_rem(src as i32) as u32
            }
        }
        AluOp::Or => dst | src,
        AluOp::And => dst & src,
        AluOp::Xor => dst ^ src,
        AluOp::Lsh => dst << (src & 31),
        AluOp::Rsh => dst >> (src & 31),
        AluOp::Arsh => ((dst as i32) >> (src & 31)) as u32,
        AluOp::Mov => src,
    }
}

/// `le`/`be`/`bswap` of the low `bits` of `v` (as on a little-endian host), zero-extended.
#[cfg(test)]
pub(crate) fn byte_order(kind: crate::isa::EndKind, bits: u8, v: u64) -> u64 {
    match (kind, bits) {
        (crate::isa::EndKind::ToLe, 16) => v as u16 as u64,
        (crate::isa::EndKind::ToLe, 32) => v as u32 as u64,
        (crate::isa::EndKind::ToLe, _) => v,
        (_, 16) => (v as u16).swap_bytes() as u64,
        (_, 32) => (v as u32).swap_bytes() as u64,
        (_, _) => v.swap_bytes(),
    }
}

/// `movsx`: the low `bits` of `v` sign-extended to 64 bits (the 32-bit form then truncates).
#[cfg(test)]
pub(crate) fn sign_extend(v: u64, bits: u8) -> u64 {
    match bits {
        8 => v as i8 as i64 as u64,
        16 => v as i16 as i64 as u64,
        32 => v as i32 as i64 as u64,
        _ => v,
    }
}

#[inline(always)]
pub(crate) fn cond64(cond: JmpCond, a: u64, b: u64) -> bool {
    match cond {
        JmpCond::Eq => a == b,
        JmpCond::Ne => a != b,
        JmpCond::Gt => a > b,
        JmpCond::Ge => a >= b,
        JmpCond::Lt => a < b,
        JmpCond::Le => a <= b,
        JmpCond::Set => a & b != 0,
        JmpCond::Sgt => (a as i64) > (b as i64),
        JmpCond::Sge => (a as i64) >= (b as i64),
        JmpCond::Slt => (a as i64) < (b as i64),
        JmpCond::Sle => (a as i64) <= (b as i64),
    }
}

#[inline(always)]
pub(crate) fn cond32(cond: JmpCond, a: u32, b: u32) -> bool {
    match cond {
        JmpCond::Eq => a == b,
        JmpCond::Ne => a != b,
        JmpCond::Gt => a > b,
        JmpCond::Ge => a >= b,
        JmpCond::Lt => a < b,
        JmpCond::Le => a <= b,
        JmpCond::Set => a & b != 0,
        JmpCond::Sgt => (a as i32) > (b as i32),
        JmpCond::Sge => (a as i32) >= (b as i32),
        JmpCond::Slt => (a as i32) < (b as i32),
        JmpCond::Sle => (a as i32) <= (b as i32),
    }
}

/// `SKF_NET_OFF` / `SKF_LL_OFF` (include/uapi/linux/filter.h): negative `LD_ABS`/`LD_IND`
/// offsets from these reach the network header and the link-layer header.
const SKF_NET_OFF: i64 = -0x10_0000;
const SKF_LL_OFF: i64 = -0x20_0000;

/// `LD_ABS`/`LD_IND`: a big-endian load of `N` bytes from the packet, `None` when out of range.
/// A non-negative offset counts from `skb->data` (the network header for socket filters); a
/// negative one is taken as `bpf_internal_load_pointer_neg_helper` (net/core/filter.c) takes
/// it: from `SKF_NET_OFF` up, relative to the network header; from `SKF_LL_OFF` up, relative
/// to the link-layer header; below that, or past the packet's end, the load fails.
#[inline(always)]
fn packet_load<const N: usize>(mem: &Memory, off: i64) -> Option<u64> {
    let be = |b: &[u8]| b.iter().fold(0u64, |v, &x| (v << 8) | x as u64);
    let pkt = mem.packet();
    let from = |buf: &[u8], off: i64| -> Option<u64> {
        let off = usize::try_from(off).ok()?;
        Some(be(buf.get(off..off.checked_add(N)?)?))
    };
    if off >= 0 {
        from(pkt, off)
    } else if off >= SKF_NET_OFF {
        from(pkt, off - SKF_NET_OFF)
    } else if off >= SKF_LL_OFF {
        let ll = mem.link_header();
        let at = usize::try_from(off - SKF_LL_OFF).ok()?;
        let end = at.checked_add(N)?;
        if end > ll.len() + pkt.len() {
            return None;
        }
        let mut b = [0u8; 8];
        for (i, x) in b[..N].iter_mut().enumerate() {
            let j = at + i;
            *x = if j < ll.len() { ll[j] } else { pkt[j - ll.len()] };
        }
        Some(be(&b[..N]))
    } else {
        None
    }
}

fn host_error(pc: usize, id: u64, e: HostError) -> VmError {
    let kind = match e {
        HostError::UnknownHelper | HostError::Unsupported => VmErrorKind::UnknownHelper { id },
        HostError::Failed(message) => VmErrorKind::HelperFailed { id: id as u32, message },
    };
    VmError { pc, kind }
}

/// What a helper call asks of the loop.
enum Called {
    Next,
    Exit(u64),
    TailCall(usize),
}

/// A helper, `callx` or kfunc call (kept out of the dispatch loop).
#[inline(never)]
fn call<H: Host + ?Sized>(
    host: &mut H,
    op: Op,
    pc: usize,
    regs: &mut [u64; 16],
    mem: &mut Memory,
) -> Result<Called, VmError> {
    let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
    let (res, id) = match op.code {
        Code::CALL_KFUNC => {
            let btf_id = op.imm as i64 as i32;
            match host.call_kfunc(btf_id, args, mem) {
                Ok(r) => (r, btf_id as u32 as u64),
                Err(HostError::Failed(message)) => {
                    return Err(VmError {
                        pc,
                        kind: VmErrorKind::HelperFailed { id: btf_id as u32, message },
                    })
                }
                Err(_) => {
                    return Err(VmError { pc, kind: VmErrorKind::UnsupportedKfunc { btf_id } })
                }
            }
        }
        Code::CALLX => {
            let id = regs[(op.dst & 15) as usize];
            let Ok(id32) = u32::try_from(id) else {
                return Err(VmError { pc, kind: VmErrorKind::UnknownHelper { id } });
            };
            (host.call_helper(id32, args, mem).map_err(|e| host_error(pc, id, e))?, id)
        }
        _ => (
            host.call_helper(op.imm as u32, args, mem).map_err(|e| host_error(pc, op.imm, e))?,
            op.imm,
        ),
    };
    let _ = id;
    Ok(match res {
        HelperResult::Return(v) => {
            regs[0] = v;
            Called::Next
        }
        HelperResult::Keep => Called::Next,
        HelperResult::Exit(v) => Called::Exit(v),
        HelperResult::TailCall(k) => Called::TailCall(k),
    })
}

/// An atomic read-modify-write (kept out of the dispatch loop: it is rare and large).
#[inline(never)]
fn atomic(op: Op, pc: usize, regs: &mut [u64; 16], mem: &mut Memory) -> Result<(), VmError> {
    let addr = regs[(op.dst & 15) as usize].wrapping_add(op.off as i64 as u64);
    let wide = op.code == Code::ATOMIC_DW;
    let size = if wide { Size::DW } else { Size::W };
    let old = mem.load(addr, size).map_err(|e| fault(pc, e.addr, e.size, false))?;
    let s = regs[(op.src & 15) as usize];
    let s = if wide { s } else { s as u32 as u64 };
    let aop = atomic_op(op.aux);
    let new = match aop {
        AtomicOp::Add => Some(old.wrapping_add(s)),
        AtomicOp::Or => Some(old | s),
        AtomicOp::And => Some(old & s),
        AtomicOp::Xor => Some(old ^ s),
        AtomicOp::Xchg => Some(s),
        AtomicOp::Cmpxchg => {
            let r0 = if wide { regs[0] } else { regs[0] as u32 as u64 };
            regs[0] = old;
            (r0 == old).then_some(s)
        }
    };
    if let Some(v) = new {
        // The 32-bit store keeps the low half (the add may carry past it).
        mem.store(addr, size, v).map_err(|e| fault(pc, e.addr, e.size, true))?;
    }
    if op.aux & ATOMIC_FETCH != 0 && aop != AtomicOp::Cmpxchg {
        regs[(op.src & 15) as usize] = old;
    }
    Ok(())
}

#[cold]
fn fault(pc: usize, addr: u64, size: u8, write: bool) -> VmError {
    VmError { pc, kind: VmErrorKind::MemoryAccess { addr, size, write } }
}

/// A call's new frame (bpf-to-bpf, or a bpf_loop callback's first): the caller's r6-r9 and
/// frame pointer saved with where it resumes, a fresh stack frame and may_goto budget.
/// False when the call stack is full.
#[allow(clippy::too_many_arguments)]
fn enter_frame(
    frames: &mut [Frame],
    nframes: &mut usize,
    loops: &mut [u32],
    mem: &mut Memory,
    regs: &mut [u64; 16],
    return_pc: usize,
    prog: usize,
    bpf_loop: Option<LoopCall>,
) -> bool {
    if *nframes + 1 >= MAX_FRAMES || *nframes >= frames.len() || !mem.push_frame() {
        return false;
    }
    frames[*nframes] = Frame {
        return_pc,
        saved: [regs[6], regs[7], regs[8], regs[9]],
        saved_fp: regs[10],
        prog,
        bpf_loop,
    };
    *nframes += 1;
    loops[*nframes] = MAX_LOOPS;
    regs[10] = Memory::frame_pointer(*nframes);
    true
}

impl Vm {
    /// Executes at most `steps` instructions from where the machine is. `Flow::Continue`
    /// means it paused after `steps` instructions.
    pub(crate) fn run_ops<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        steps: u64,
    ) -> Result<Flow, VmError> {
        let Vm {
            progs, cur, regs, pc: pc_out, frames, nframes, loops, mem, executed, config, ..
        } = self;
        let mut ops: &[Op] = &progs[*cur].ops;
        let mut pc = *pc_out;
        let n0 = *executed;
        let mut n = n0;
        let budget = config.budget;
        let pause_at = n0.saturating_add(steps);
        let stop = budget.min(pause_at);

        macro_rules! r {
            ($i:expr) => {
                regs[($i & 15) as usize]
            };
        }
        macro_rules! alu64 {
            ($o:ident, imm, $op:expr) => {{
                let d = &mut r!($op.dst);
                *d = alu64(AluOp::$o, *d, $op.imm);
            }};
            ($o:ident, reg, $op:expr) => {{
                let s = r!($op.src);
                let d = &mut r!($op.dst);
                *d = alu64(AluOp::$o, *d, s);
            }};
        }
        macro_rules! alu32 {
            ($o:ident, imm, $op:expr) => {{
                let d = &mut r!($op.dst);
                *d = alu32(AluOp::$o, *d as u32, $op.imm as u32) as u64;
            }};
            ($o:ident, reg, $op:expr) => {{
                let s = r!($op.src) as u32;
                let d = &mut r!($op.dst);
                *d = alu32(AluOp::$o, *d as u32, s) as u64;
            }};
        }
        macro_rules! jmp {
            ($c:ident, imm, $op:expr) => {
                if cond64(JmpCond::$c, r!($op.dst), $op.imm) {
                    pc = $op.off as usize;
                    continue;
                }
            };
            ($c:ident, reg, $op:expr) => {
                if cond64(JmpCond::$c, r!($op.dst), r!($op.src)) {
                    pc = $op.off as usize;
                    continue;
                }
            };
            ($c:ident, imm32, $op:expr) => {
                if cond32(JmpCond::$c, r!($op.dst) as u32, $op.imm as u32) {
                    pc = $op.off as usize;
                    continue;
                }
            };
            ($c:ident, reg32, $op:expr) => {
                if cond32(JmpCond::$c, r!($op.dst) as u32, r!($op.src) as u32) {
                    pc = $op.off as usize;
                    continue;
                }
            };
        }
        macro_rules! ldx {
            ($n:literal, $t:ty, $conv:ty, $op:expr) => {{
                let a = r!($op.src).wrapping_add($op.off as i64 as u64);
                match mem.get::<$n>(a) {
                    Some(b) => r!($op.dst) = <$t>::from_le_bytes(b) as $conv as u64,
                    None => break Err(fault(pc, a, $n, false)),
                }
            }};
        }
        macro_rules! st {
            ($n:literal, $t:ty, $reg:expr, $v:expr, $op:expr) => {{
                let a = r!($reg).wrapping_add($op.off as i64 as u64);
                if !mem.put::<$n>(a, ($v as $t).to_le_bytes()) {
                    break Err(fault(pc, a, $n, true));
                }
            }};
        }
        macro_rules! ldabs {
            ($n:literal, $off:expr) => {{
                match packet_load::<$n>(mem, $off) {
                    Some(v) => regs[0] = v,
                    None => break Ok(Flow::Exit(0)),
                }
            }};
        }
        macro_rules! helper_result {
            ($res:expr, $op:expr) => {
                match $res {
                    Ok(Called::Next) => {}
                    Ok(Called::Exit(v)) => break Ok(Flow::Exit(v)),
                    Ok(Called::TailCall(k)) => match progs.get(k) {
                        Some(p) => {
                            *cur = k;
                            ops = &p.ops;
                            pc = 0;
                            loops[*nframes] = MAX_LOOPS;
                            continue;
                        }
                        None => {
                            break Err(VmError {
                                pc,
                                kind: VmErrorKind::HelperFailed {
                                    id: $op.imm as u32,
                                    message: alloc::format!("no program {k} to tail-call"),
                                },
                            })
                        }
                    },
                    Err(e) => break Err(e),
                }
            };
        }

        let result = loop {
            let Some(&op) = ops.get(pc) else {
                // Unreachable by construction (every target is checked); kept as a typed error.
                break Err(VmError { pc, kind: VmErrorKind::PcOutOfBounds { target: pc as i64 } });
            };
            if n >= stop {
                if n >= pause_at {
                    break Ok(Flow::Continue);
                }
                if op.code != Code::OUT_OF_BOUNDS {
                    break Err(VmError {
                        pc,
                        kind: VmErrorKind::BudgetExhausted { limit: budget },
                    });
                }
            }
            n += 1;
            match op.code {
                Code::ADD64_IMM => alu64!(Add, imm, op),
                Code::SUB64_IMM => alu64!(Sub, imm, op),
                Code::MUL64_IMM => alu64!(Mul, imm, op),
                Code::DIV64_IMM => alu64!(Div, imm, op),
                Code::SDIV64_IMM => alu64!(SDiv, imm, op),
                Code::OR64_IMM => alu64!(Or, imm, op),
                Code::AND64_IMM => alu64!(And, imm, op),
                Code::LSH64_IMM => alu64!(Lsh, imm, op),
                Code::RSH64_IMM => alu64!(Rsh, imm, op),
                Code::MOD64_IMM => alu64!(Mod, imm, op),
                Code::SMOD64_IMM => alu64!(SMod, imm, op),
                Code::XOR64_IMM => alu64!(Xor, imm, op),
                Code::MOV64_IMM => r!(op.dst) = op.imm,
                Code::ARSH64_IMM => alu64!(Arsh, imm, op),
                Code::ADD64_REG => alu64!(Add, reg, op),
                Code::SUB64_REG => alu64!(Sub, reg, op),
                Code::MUL64_REG => alu64!(Mul, reg, op),
                Code::DIV64_REG => alu64!(Div, reg, op),
                Code::SDIV64_REG => alu64!(SDiv, reg, op),
                Code::OR64_REG => alu64!(Or, reg, op),
                Code::AND64_REG => alu64!(And, reg, op),
                Code::LSH64_REG => alu64!(Lsh, reg, op),
                Code::RSH64_REG => alu64!(Rsh, reg, op),
                Code::MOD64_REG => alu64!(Mod, reg, op),
                Code::SMOD64_REG => alu64!(SMod, reg, op),
                Code::XOR64_REG => alu64!(Xor, reg, op),
                Code::MOV64_REG => r!(op.dst) = r!(op.src),
                Code::ARSH64_REG => alu64!(Arsh, reg, op),
                Code::ADD32_IMM => alu32!(Add, imm, op),
                Code::SUB32_IMM => alu32!(Sub, imm, op),
                Code::MUL32_IMM => alu32!(Mul, imm, op),
                Code::DIV32_IMM => alu32!(Div, imm, op),
                Code::SDIV32_IMM => alu32!(SDiv, imm, op),
                Code::OR32_IMM => alu32!(Or, imm, op),
                Code::AND32_IMM => alu32!(And, imm, op),
                Code::LSH32_IMM => alu32!(Lsh, imm, op),
                Code::RSH32_IMM => alu32!(Rsh, imm, op),
                Code::MOD32_IMM => alu32!(Mod, imm, op),
                Code::SMOD32_IMM => alu32!(SMod, imm, op),
                Code::XOR32_IMM => alu32!(Xor, imm, op),
                Code::MOV32_IMM => r!(op.dst) = op.imm,
                Code::ARSH32_IMM => alu32!(Arsh, imm, op),
                Code::ADD32_REG => alu32!(Add, reg, op),
                Code::SUB32_REG => alu32!(Sub, reg, op),
                Code::MUL32_REG => alu32!(Mul, reg, op),
                Code::DIV32_REG => alu32!(Div, reg, op),
                Code::SDIV32_REG => alu32!(SDiv, reg, op),
                Code::OR32_REG => alu32!(Or, reg, op),
                Code::AND32_REG => alu32!(And, reg, op),
                Code::LSH32_REG => alu32!(Lsh, reg, op),
                Code::RSH32_REG => alu32!(Rsh, reg, op),
                Code::MOD32_REG => alu32!(Mod, reg, op),
                Code::SMOD32_REG => alu32!(SMod, reg, op),
                Code::XOR32_REG => alu32!(Xor, reg, op),
                Code::MOV32_REG => r!(op.dst) = r!(op.src) as u32 as u64,
                Code::ARSH32_REG => alu32!(Arsh, reg, op),
                Code::NEG64 => r!(op.dst) = r!(op.dst).wrapping_neg(),
                Code::NEG32 => r!(op.dst) = (r!(op.dst) as u32).wrapping_neg() as u64,
                Code::MOVSX64_8 => r!(op.dst) = r!(op.src) as i8 as i64 as u64,
                Code::MOVSX64_16 => r!(op.dst) = r!(op.src) as i16 as i64 as u64,
                Code::MOVSX64_32 => r!(op.dst) = r!(op.src) as i32 as i64 as u64,
                Code::MOVSX32_8 => r!(op.dst) = r!(op.src) as i8 as i32 as u32 as u64,
                Code::MOVSX32_16 => r!(op.dst) = r!(op.src) as i16 as i32 as u32 as u64,
                Code::LE16 => r!(op.dst) = r!(op.dst) as u16 as u64,
                Code::LE32 => r!(op.dst) = r!(op.dst) as u32 as u64,
                Code::LE64 => {}
                Code::BE16 => r!(op.dst) = (r!(op.dst) as u16).swap_bytes() as u64,
                Code::BE32 => r!(op.dst) = (r!(op.dst) as u32).swap_bytes() as u64,
                Code::BE64 => r!(op.dst) = r!(op.dst).swap_bytes(),
                Code::LDDW => {
                    r!(op.dst) = op.imm;
                    pc += 2;
                    continue;
                }
                Code::LDDW_PSEUDO => {
                    let (imm, imm2) = (op.imm as u32 as i32, (op.imm >> 32) as u32 as i32);
                    match host.load_imm64(op.aux, imm, imm2, mem) {
                        Ok(v) => r!(op.dst) = v,
                        Err(e) => {
                            let message = match e {
                                HostError::Failed(m) => m,
                                HostError::UnknownHelper | HostError::Unsupported => {
                                    String::from("no map resolver")
                                }
                            };
                            break Err(VmError {
                                pc,
                                kind: VmErrorKind::UnresolvedLdImm64 {
                                    pseudo: op.aux,
                                    imm,
                                    message,
                                },
                            });
                        }
                    }
                    pc += 2;
                    continue;
                }
                Code::IMM64_TAIL => break Err(VmError { pc, kind: VmErrorKind::JumpIntoLdImm64 }),
                Code::LDABS_B => ldabs!(1, op.imm as i32 as i64),
                Code::LDABS_H => ldabs!(2, op.imm as i32 as i64),
                Code::LDABS_W => ldabs!(4, op.imm as i32 as i64),
                // The kernel adds in 32 bits and treats the sum as a signed offset.
                Code::LDIND_B => {
                    ldabs!(1, (r!(op.src) as u32).wrapping_add(op.imm as u32) as i32 as i64)
                }
                Code::LDIND_H => {
                    ldabs!(2, (r!(op.src) as u32).wrapping_add(op.imm as u32) as i32 as i64)
                }
                Code::LDIND_W => {
                    ldabs!(4, (r!(op.src) as u32).wrapping_add(op.imm as u32) as i32 as i64)
                }
                Code::LDX_B => ldx!(1, u8, u8, op),
                Code::LDX_H => ldx!(2, u16, u16, op),
                Code::LDX_W => ldx!(4, u32, u32, op),
                Code::LDX_DW => ldx!(8, u64, u64, op),
                Code::LDXS_B => ldx!(1, i8, i64, op),
                Code::LDXS_H => ldx!(2, i16, i64, op),
                Code::LDXS_W => ldx!(4, i32, i64, op),
                Code::ST_B => st!(1, u8, op.dst, op.imm, op),
                Code::ST_H => st!(2, u16, op.dst, op.imm, op),
                Code::ST_W => st!(4, u32, op.dst, op.imm, op),
                Code::ST_DW => st!(8, u64, op.dst, op.imm, op),
                Code::STX_B => st!(1, u8, op.dst, r!(op.src), op),
                Code::STX_H => st!(2, u16, op.dst, r!(op.src), op),
                Code::STX_W => st!(4, u32, op.dst, r!(op.src), op),
                Code::STX_DW => st!(8, u64, op.dst, r!(op.src), op),
                Code::ATOMIC_W | Code::ATOMIC_DW => {
                    if let Err(e) = atomic(op, pc, regs, mem) {
                        break Err(e);
                    }
                }
                Code::JA => {
                    pc = op.off as usize;
                    continue;
                }
                Code::MAY_GOTO => {
                    let left = &mut loops[*nframes];
                    if *left == 0 {
                        pc = op.off as usize;
                        continue;
                    }
                    *left -= 1;
                }
                Code::JEQ_IMM => jmp!(Eq, imm, op),
                Code::JGT_IMM => jmp!(Gt, imm, op),
                Code::JGE_IMM => jmp!(Ge, imm, op),
                Code::JSET_IMM => jmp!(Set, imm, op),
                Code::JNE_IMM => jmp!(Ne, imm, op),
                Code::JSGT_IMM => jmp!(Sgt, imm, op),
                Code::JSGE_IMM => jmp!(Sge, imm, op),
                Code::JLT_IMM => jmp!(Lt, imm, op),
                Code::JLE_IMM => jmp!(Le, imm, op),
                Code::JSLT_IMM => jmp!(Slt, imm, op),
                Code::JSLE_IMM => jmp!(Sle, imm, op),
                Code::JEQ_REG => jmp!(Eq, reg, op),
                Code::JGT_REG => jmp!(Gt, reg, op),
                Code::JGE_REG => jmp!(Ge, reg, op),
                Code::JSET_REG => jmp!(Set, reg, op),
                Code::JNE_REG => jmp!(Ne, reg, op),
                Code::JSGT_REG => jmp!(Sgt, reg, op),
                Code::JSGE_REG => jmp!(Sge, reg, op),
                Code::JLT_REG => jmp!(Lt, reg, op),
                Code::JLE_REG => jmp!(Le, reg, op),
                Code::JSLT_REG => jmp!(Slt, reg, op),
                Code::JSLE_REG => jmp!(Sle, reg, op),
                Code::JEQ32_IMM => jmp!(Eq, imm32, op),
                Code::JGT32_IMM => jmp!(Gt, imm32, op),
                Code::JGE32_IMM => jmp!(Ge, imm32, op),
                Code::JSET32_IMM => jmp!(Set, imm32, op),
                Code::JNE32_IMM => jmp!(Ne, imm32, op),
                Code::JSGT32_IMM => jmp!(Sgt, imm32, op),
                Code::JSGE32_IMM => jmp!(Sge, imm32, op),
                Code::JLT32_IMM => jmp!(Lt, imm32, op),
                Code::JLE32_IMM => jmp!(Le, imm32, op),
                Code::JSLT32_IMM => jmp!(Slt, imm32, op),
                Code::JSLE32_IMM => jmp!(Sle, imm32, op),
                Code::JEQ32_REG => jmp!(Eq, reg32, op),
                Code::JGT32_REG => jmp!(Gt, reg32, op),
                Code::JGE32_REG => jmp!(Ge, reg32, op),
                Code::JSET32_REG => jmp!(Set, reg32, op),
                Code::JNE32_REG => jmp!(Ne, reg32, op),
                Code::JSGT32_REG => jmp!(Sgt, reg32, op),
                Code::JSGE32_REG => jmp!(Sge, reg32, op),
                Code::JLT32_REG => jmp!(Lt, reg32, op),
                Code::JLE32_REG => jmp!(Le, reg32, op),
                Code::JSLT32_REG => jmp!(Slt, reg32, op),
                Code::JSLE32_REG => jmp!(Sle, reg32, op),
                Code::CALL_HELPER if op.imm == 181 => {
                    // bpf_loop(nr_loops, callback, ctx, flags): -EINVAL for flags, -E2BIG
                    // past BPF_MAX_LOOPS, 0 for no iterations; else the first call of the
                    // callback, from a frame that remembers the loop.
                    let (n, cb, ctx, flags) = (regs[1] as u32 as u64, regs[2], regs[3], regs[4]);
                    let target = (cb & !FUNC_ADDR) as usize;
                    let err = |e: i64| e as u64;
                    if flags != 0 {
                        regs[0] = err(-22);
                    } else if n > MAX_LOOPS as u64 {
                        regs[0] = err(-7);
                    } else if n == 0 {
                        regs[0] = 0;
                    } else if cb & FUNC_ADDR != FUNC_ADDR || target >= ops.len() {
                        break Err(VmError {
                            pc,
                            kind: VmErrorKind::HelperFailed {
                                id: 181,
                                message: String::from("the callback is not a function"),
                            },
                        });
                    } else {
                        let lp = Some(LoopCall { i: 0, n, target, ctx });
                        if !enter_frame(frames, nframes, loops, mem, regs, pc + 1, *cur, lp) {
                            break Err(VmError {
                                pc,
                                kind: VmErrorKind::CallDepthExceeded { max: MAX_FRAMES },
                            });
                        }
                        regs[1] = 0;
                        regs[2] = ctx;
                        pc = target;
                        continue;
                    }
                }
                Code::CALL_HELPER | Code::CALLX | Code::CALL_KFUNC => {
                    helper_result!(call(host, op, pc, regs, mem), op)
                }
                Code::CALL_LOCAL => {
                    if ops[op.off as usize].code == Code::OUT_OF_BOUNDS {
                        let t = ops[op.off as usize].imm as i64;
                        break Err(VmError { pc, kind: VmErrorKind::PcOutOfBounds { target: t } });
                    }
                    if !enter_frame(frames, nframes, loops, mem, regs, pc + 1, *cur, None) {
                        break Err(VmError {
                            pc,
                            kind: VmErrorKind::CallDepthExceeded { max: MAX_FRAMES },
                        });
                    }
                    pc = op.off as usize;
                    continue;
                }
                Code::EXIT => {
                    if *nframes == 0 {
                        break Ok(Flow::Exit(regs[0]));
                    }
                    // A bpf_loop callback returned: call it again with the next index, or
                    // end the loop (a non-zero return, or the count reached).
                    if let Some(lp) = frames[*nframes - 1].bpf_loop.as_mut() {
                        let stop = regs[0] != 0;
                        lp.i += 1;
                        if !stop && lp.i < lp.n {
                            let (i, ctx, target) = (lp.i, lp.ctx, lp.target);
                            mem.pop_frame();
                            if !mem.push_frame() {
                                break Err(VmError {
                                    pc,
                                    kind: VmErrorKind::CallDepthExceeded { max: MAX_FRAMES },
                                });
                            }
                            loops[*nframes] = MAX_LOOPS;
                            regs[10] = Memory::frame_pointer(*nframes);
                            regs[1] = i;
                            regs[2] = ctx;
                            pc = target;
                            continue;
                        }
                        regs[0] = lp.i;
                    }
                    *nframes -= 1;
                    let f = frames.get(*nframes).copied().unwrap_or_default();
                    regs[6..10].copy_from_slice(&f.saved);
                    regs[10] = f.saved_fp;
                    mem.pop_frame();
                    if f.prog != *cur {
                        *cur = f.prog;
                        ops = &progs[f.prog].ops;
                    }
                    pc = f.return_pc;
                    continue;
                }
                Code::OUT_OF_BOUNDS => {
                    // Control left the program at the previous instruction; this trap is not
                    // an instruction of its own.
                    n -= 1;
                    break Err(VmError {
                        pc: op.off.max(0) as usize,
                        kind: VmErrorKind::PcOutOfBounds { target: op.imm as i64 },
                    });
                }
            }
            pc += 1;
        };
        *pc_out = pc;
        *executed = n;
        result
    }
}

// Keep the frame size in sync with the memory layout the call sequence assumes.
const _: () = assert!(FRAME_SIZE == 512);
