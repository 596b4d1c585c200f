//! Typed instructions to 8-byte slots.

use super::opcode::*;
use super::*;
use alloc::vec::Vec;

/// Encodes one instruction. `LdImm64` yields its first slot; [`encode_program`] adds the second.
pub fn encode(insn: &Insn) -> RawInsn {
    let cls = |alu64: bool| if alu64 { CLS_ALU64 } else { CLS_ALU };
    match *insn {
        Insn::Alu { alu64, op, dst, src } => {
            let (code, off) = op.code_off();
            match src {
                Operand::Reg(r) => RawInsn::new(cls(alu64) | code | SRC_X, dst, r, off, 0),
                Operand::Imm(i) => RawInsn::new(cls(alu64) | code | SRC_K, dst, 0, off, i),
            }
        }
        Insn::Neg { alu64, dst } => RawInsn::new(cls(alu64) | ALU_NEG, dst, 0, 0, 0),
        Insn::MovSx { alu64, dst, src, bits } => {
            RawInsn::new(cls(alu64) | ALU_MOV | SRC_X, dst, src, bits as i16, 0)
        }
        Insn::End { kind, bits, dst } => {
            let code = match kind {
                EndKind::ToLe => CLS_ALU | ALU_END | SRC_K,
                EndKind::ToBe => CLS_ALU | ALU_END | SRC_X,
                EndKind::Swap => CLS_ALU64 | ALU_END | SRC_K,
            };
            RawInsn::new(code, dst, 0, 0, bits as i32)
        }
        Insn::LdImm64 { dst, pseudo, imm, .. } => {
            RawInsn::new(CLS_LD | MODE_IMM | SZ_DW, dst, pseudo, 0, imm)
        }
        Insn::Imm64Tail => RawInsn::default(),
        Insn::LdAbs { size, imm } => RawInsn::new(CLS_LD | MODE_ABS | size.code(), 0, 0, 0, imm),
        Insn::LdInd { size, src, imm } => {
            RawInsn::new(CLS_LD | MODE_IND | size.code(), 0, src, 0, imm)
        }
        Insn::Ldx { size, signed, dst, src, off } => {
            let mode = if signed { MODE_MEMSX } else { MODE_MEM };
            RawInsn::new(CLS_LDX | mode | size.code(), dst, src, off, 0)
        }
        Insn::St { size, dst, off, imm } => {
            RawInsn::new(CLS_ST | MODE_MEM | size.code(), dst, 0, off, imm)
        }
        Insn::Stx { size, dst, src, off } => {
            RawInsn::new(CLS_STX | MODE_MEM | size.code(), dst, src, off, 0)
        }
        Insn::Atomic { size, op, fetch, dst, src, off } => {
            let imm = match op {
                AtomicOp::Add => ALU_ADD as i32,
                AtomicOp::Or => ALU_OR as i32,
                AtomicOp::And => ALU_AND as i32,
                AtomicOp::Xor => ALU_XOR as i32,
                AtomicOp::Xchg => ATOMIC_XCHG,
                AtomicOp::Cmpxchg => ATOMIC_CMPXCHG,
            } | if fetch { ATOMIC_FETCH } else { 0 };
            RawInsn::new(CLS_STX | MODE_ATOMIC | size.code(), dst, src, off, imm)
        }
        Insn::Ja { off, long: false } => RawInsn::new(CLS_JMP | JMP_JA, 0, 0, off as i16, 0),
        Insn::Ja { off, long: true } => RawInsn::new(CLS_JMP32 | JMP_JA, 0, 0, 0, off),
        Insn::MayGoto { off } => RawInsn::new(CLS_JMP | JMP_JCOND, 0, 0, off, 0),
        Insn::Jmp { jmp32, cond, dst, src, off } => {
            let c = if jmp32 { CLS_JMP32 } else { CLS_JMP } | cond.code();
            match src {
                Operand::Reg(r) => RawInsn::new(c | SRC_X, dst, r, off, 0),
                Operand::Imm(i) => RawInsn::new(c | SRC_K, dst, 0, off, i),
            }
        }
        Insn::Call { kind, imm } => {
            let src = match kind {
                CallKind::Helper => 0,
                CallKind::Local => PSEUDO_CALL,
                CallKind::Kfunc => PSEUDO_KFUNC_CALL,
            };
            RawInsn::new(CLS_JMP | JMP_CALL, 0, src, 0, imm)
        }
        Insn::Callx { reg } => RawInsn::new(CLS_JMP | JMP_CALL | SRC_X, reg, 0, 0, 0),
        Insn::Exit => RawInsn::new(CLS_JMP | JMP_EXIT, 0, 0, 0, 0),
    }
}

/// Encodes a slot-aligned program (as [`Program`] holds it).
pub fn encode_program(insns: &[Insn]) -> Vec<RawInsn> {
    let mut out = Vec::with_capacity(insns.len());
    let mut pending_hi: Option<i32> = None;
    for insn in insns {
        match insn {
            Insn::Imm64Tail => out.push(RawInsn::new(0, 0, 0, 0, pending_hi.take().unwrap_or(0))),
            Insn::LdImm64 { imm2, .. } => {
                pending_hi = Some(*imm2);
                out.push(encode(insn));
            }
            _ => out.push(encode(insn)),
        }
    }
    out
}
