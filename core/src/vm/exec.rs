//! The step function and the pure semantics of RFC 9669's operations.

use super::memory::{AccessError, Memory, FRAME_SIZE, MAX_FRAMES};
use super::{Frame, HelperResult, Host, HostError, Vm, VmError, VmErrorKind};
use crate::isa::{AluOp, AtomicOp, CallKind, EndKind, Insn, JmpCond, Operand, Size};
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
#[inline(always)]
pub(crate) fn byte_order(kind: EndKind, bits: u8, v: u64) -> u64 {
    match (kind, bits) {
        (EndKind::ToLe, 16) => v as u16 as u64,
        (EndKind::ToLe, 32) => v as u32 as u64,
        (EndKind::ToLe, _) => v,
        (_, 16) => (v as u16).swap_bytes() as u64,
        (_, 32) => (v as u32).swap_bytes() as u64,
        (_, _) => v.swap_bytes(),
    }
}

/// `movsx`: the low `bits` of `v` sign-extended to 64 bits (the 32-bit form then truncates).
#[inline(always)]
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

/// The value of a loaded `size`-byte quantity, sign-extended when `signed`.
#[inline(always)]
fn extend(v: u64, size: Size, signed: bool) -> u64 {
    if !signed {
        return v;
    }
    match size {
        Size::B => v as i8 as i64 as u64,
        Size::H => v as i16 as i64 as u64,
        Size::W => v as i32 as i64 as u64,
        Size::DW => v,
    }
}

/// `LD_ABS`/`LD_IND`: a big-endian load from the packet, `None` when out of range.
#[inline]
fn packet_load(mem: &Memory, off: i64, size: Size) -> Option<u64> {
    let off = usize::try_from(off).ok()?;
    let b = mem.packet().get(off..off.checked_add(size.bytes())?)?;
    Some(match *b {
        [a] => a as u64,
        [a, b] => u16::from_be_bytes([a, b]) as u64,
        [a, b, c, d] => u32::from_be_bytes([a, b, c, d]) as u64,
        _ => return None,
    })
}

fn host_error(pc: usize, id: u64, e: HostError) -> VmError {
    let kind = match e {
        HostError::UnknownHelper | HostError::Unsupported => VmErrorKind::UnknownHelper { id },
        HostError::Failed(message) => VmErrorKind::HelperFailed { id: id as u32, message },
    };
    VmError { pc, kind }
}

impl Vm {
    /// Executes the instruction at `pc`.
    #[inline(always)]
    pub(crate) fn exec_one<H: Host + ?Sized>(&mut self, host: &mut H) -> Result<Flow, VmError> {
        let pc = self.pc;
        let Some(&insn) = self.insns.get(pc) else {
            return Err(VmError { pc: pc.saturating_sub(1), kind: VmErrorKind::PcOutOfBounds { target: pc as i64 } });
        };
        if self.executed >= self.config.budget {
            return Err(VmError { pc, kind: VmErrorKind::BudgetExhausted { limit: self.config.budget } });
        }
        self.executed += 1;
        let len = self.insns.len();
        let regs = &mut self.regs;
        let mem_err = |e: AccessError| VmError { pc, kind: VmErrorKind::MemoryAccess { addr: e.addr, size: e.size, write: e.write } };
        // Relative jump target, checked to lie in the program.
        let jump = |off: i64| -> Result<usize, VmError> {
            let t = pc as i64 + 1 + off;
            if (t as u64) < len as u64 {
                Ok(t as usize)
            } else {
                Err(VmError { pc, kind: VmErrorKind::PcOutOfBounds { target: t } })
            }
        };
        let mut next = pc + 1;
        match insn {
            Insn::Alu { alu64: true, op, dst, src } => {
                let s = match src {
                    Operand::Reg(r) => regs[(r & 15) as usize],
                    Operand::Imm(i) => i as i64 as u64,
                };
                let d = &mut regs[(dst & 15) as usize];
                *d = alu64(op, *d, s);
            }
            Insn::Alu { alu64: false, op, dst, src } => {
                let s = match src {
                    Operand::Reg(r) => regs[(r & 15) as usize] as u32,
                    Operand::Imm(i) => i as u32,
                };
                let d = &mut regs[(dst & 15) as usize];
                *d = alu32(op, *d as u32, s) as u64;
            }
            Insn::Neg { alu64, dst } => {
                let d = &mut regs[(dst & 15) as usize];
                *d = if alu64 { d.wrapping_neg() } else { (*d as u32).wrapping_neg() as u64 };
            }
            Insn::MovSx { alu64, dst, src, bits } => {
                let v = sign_extend(regs[(src & 15) as usize], bits);
                regs[(dst & 15) as usize] = if alu64 { v } else { v as u32 as u64 };
            }
            Insn::End { kind, bits, dst } => {
                let d = &mut regs[(dst & 15) as usize];
                *d = byte_order(kind, bits, *d);
            }
            Insn::LdImm64 { dst, pseudo, imm, imm2 } => {
                let v = if pseudo == 0 {
                    Insn::imm64(imm, imm2)
                } else {
                    host.load_imm64(pseudo, imm, imm2, &mut self.mem).map_err(|e| {
                        let message = match e {
                            HostError::Failed(m) => m,
                            HostError::UnknownHelper | HostError::Unsupported => String::from("no map resolver"),
                        };
                        VmError { pc, kind: VmErrorKind::UnresolvedLdImm64 { pseudo, imm, message } }
                    })?
                };
                regs[(dst & 15) as usize] = v;
                next = pc + 2;
            }
            Insn::Imm64Tail => return Err(VmError { pc, kind: VmErrorKind::JumpIntoLdImm64 }),
            Insn::LdAbs { size, imm } => match packet_load(&self.mem, imm as i64, size) {
                Some(v) => regs[0] = v,
                None => return Ok(Flow::Exit(0)),
            },
            Insn::LdInd { size, src, imm } => {
                // The kernel adds in 32 bits and treats the sum as a signed offset.
                let off = (regs[(src & 15) as usize] as u32).wrapping_add(imm as u32) as i32;
                match packet_load(&self.mem, off as i64, size) {
                    Some(v) => regs[0] = v,
                    None => return Ok(Flow::Exit(0)),
                }
            }
            Insn::Ldx { size, signed, dst, src, off } => {
                let addr = regs[(src & 15) as usize].wrapping_add(off as i64 as u64);
                let v = self.mem.load(addr, size).map_err(mem_err)?;
                regs[(dst & 15) as usize] = extend(v, size, signed);
            }
            Insn::St { size, dst, off, imm } => {
                let addr = regs[(dst & 15) as usize].wrapping_add(off as i64 as u64);
                self.mem.store(addr, size, imm as i64 as u64).map_err(mem_err)?;
            }
            Insn::Stx { size, dst, src, off } => {
                let addr = regs[(dst & 15) as usize].wrapping_add(off as i64 as u64);
                self.mem.store(addr, size, regs[(src & 15) as usize]).map_err(mem_err)?;
            }
            Insn::Atomic { size, op, fetch, dst, src, off } => {
                let addr = regs[(dst & 15) as usize].wrapping_add(off as i64 as u64);
                let wide = size == Size::DW;
                let size = if wide { Size::DW } else { Size::W };
                let old = self.mem.load(addr, size).map_err(mem_err)?;
                let s = regs[(src & 15) as usize];
                let s = if wide { s } else { s as u32 as u64 };
                let new = match op {
                    AtomicOp::Add => Some(old.wrapping_add(s)),
                    AtomicOp::Or => Some(old | s),
                    AtomicOp::And => Some(old & s),
                    AtomicOp::Xor => Some(old ^ s),
                    AtomicOp::Xchg => Some(s),
                    AtomicOp::Cmpxchg => {
                        let r0 = if wide { regs[0] } else { regs[0] as u32 as u64 };
                        regs[0] = old;
                        if r0 == old {
                            Some(s)
                        } else {
                            None
                        }
                    }
                };
                if let Some(n) = new {
                    // The 32-bit store keeps the low half (the add may carry past it).
                    self.mem.store(addr, size, n).map_err(|mut e| {
                        e.write = true;
                        mem_err(e)
                    })?;
                }
                if fetch && !matches!(op, AtomicOp::Cmpxchg) {
                    regs[(src & 15) as usize] = old;
                }
            }
            Insn::Ja { off, .. } => next = jump(off as i64)?,
            Insn::Jmp { jmp32, cond, dst, src, off } => {
                let a = regs[(dst & 15) as usize];
                let b = match src {
                    Operand::Reg(r) => regs[(r & 15) as usize],
                    Operand::Imm(i) => i as i64 as u64,
                };
                let taken = if jmp32 { cond32(cond, a as u32, b as u32) } else { cond64(cond, a, b) };
                if taken {
                    next = jump(off as i64)?;
                }
            }
            Insn::Call { kind: CallKind::Helper, imm } => {
                let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
                match host.call_helper(imm as u32, args, &mut self.mem).map_err(|e| host_error(pc, imm as u32 as u64, e))? {
                    HelperResult::Return(v) => regs[0] = v,
                    HelperResult::Exit(v) => return Ok(Flow::Exit(v)),
                }
            }
            Insn::Callx { reg } => {
                let id = regs[(reg & 15) as usize];
                let Ok(id32) = u32::try_from(id) else {
                    return Err(VmError { pc, kind: VmErrorKind::UnknownHelper { id } });
                };
                let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
                match host.call_helper(id32, args, &mut self.mem).map_err(|e| host_error(pc, id, e))? {
                    HelperResult::Return(v) => regs[0] = v,
                    HelperResult::Exit(v) => return Ok(Flow::Exit(v)),
                }
            }
            Insn::Call { kind: CallKind::Kfunc, imm } => {
                let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
                match host.call_kfunc(imm, args, &mut self.mem) {
                    Ok(HelperResult::Return(v)) => regs[0] = v,
                    Ok(HelperResult::Exit(v)) => return Ok(Flow::Exit(v)),
                    Err(HostError::Failed(message)) => {
                        return Err(VmError { pc, kind: VmErrorKind::HelperFailed { id: imm as u32, message } })
                    }
                    Err(_) => return Err(VmError { pc, kind: VmErrorKind::UnsupportedKfunc { btf_id: imm } }),
                }
            }
            Insn::Call { kind: CallKind::Local, imm } => {
                let target = jump(imm as i64)?;
                let depth_err = VmError { pc, kind: VmErrorKind::CallDepthExceeded { max: MAX_FRAMES } };
                if self.nframes + 1 >= MAX_FRAMES {
                    return Err(depth_err);
                }
                let Some(slot) = self.frames.get_mut(self.nframes) else { return Err(depth_err) };
                if !self.mem.push_frame() {
                    return Err(depth_err);
                }
                *slot = Frame { return_pc: pc + 1, saved: [regs[6], regs[7], regs[8], regs[9]], saved_fp: regs[10] };
                self.nframes += 1;
                regs[10] = Memory::frame_pointer(self.nframes);
                next = target;
            }
            Insn::Exit => {
                if self.nframes == 0 {
                    return Ok(Flow::Exit(regs[0]));
                }
                self.nframes -= 1;
                let f = self.frames.get(self.nframes).copied().unwrap_or_default();
                regs[6..10].copy_from_slice(&f.saved);
                regs[10] = f.saved_fp;
                self.mem.pop_frame();
                next = f.return_pc;
            }
        }
        self.pc = next;
        Ok(Flow::Continue)
    }
}

// Keep the frame size in sync with the memory layout the call sequence assumes.
const _: () = assert!(FRAME_SIZE == 512);
