//! The interpreter's internal form of a program: one flat, fixed-size [`Op`] per slot, with a
//! single-byte [`Code`] that already names the operation, its width and its operand kind, so
//! that the hot loop dispatches with one jump table and does no decoding.
//!
//! Jump targets are absolute indexes, checked here: a jump out of the program goes to a trap op
//! appended after it, and the slot after the last instruction is a trap too, so the loop never
//! needs a bounds check of its own to produce the right error.

use crate::isa::opcode::PSEUDO_FUNC;
use crate::isa::{AluOp, AtomicOp, CallKind, EndKind, Insn, JmpCond, Operand, Size};
use alloc::vec::Vec;

/// One operation. `off` is a memory offset, or an absolute jump/call target; `imm` is the
/// immediate already extended as the operation uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Op {
    pub code: Code,
    pub dst: u8,
    pub src: u8,
    /// Atomics: the operation (see [`atomic_bits`]); `LD_IMM64` with a pseudo source: the
    /// pseudo number.
    pub aux: u8,
    pub off: i32,
    pub imm: u64,
}

macro_rules! codes {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Code { $($(#[$m])* $name),* }
    };
}

codes!(
    // 64-bit ALU, immediate (sign-extended) then register source.
    ADD64_IMM, SUB64_IMM, MUL64_IMM, DIV64_IMM, SDIV64_IMM, OR64_IMM, AND64_IMM, LSH64_IMM, RSH64_IMM,
    MOD64_IMM, SMOD64_IMM, XOR64_IMM, MOV64_IMM, ARSH64_IMM,
    ADD64_REG, SUB64_REG, MUL64_REG, DIV64_REG, SDIV64_REG, OR64_REG, AND64_REG, LSH64_REG, RSH64_REG,
    MOD64_REG, SMOD64_REG, XOR64_REG, MOV64_REG, ARSH64_REG,
    // 32-bit ALU (results zero-extended).
    ADD32_IMM, SUB32_IMM, MUL32_IMM, DIV32_IMM, SDIV32_IMM, OR32_IMM, AND32_IMM, LSH32_IMM, RSH32_IMM,
    MOD32_IMM, SMOD32_IMM, XOR32_IMM, MOV32_IMM, ARSH32_IMM,
    ADD32_REG, SUB32_REG, MUL32_REG, DIV32_REG, SDIV32_REG, OR32_REG, AND32_REG, LSH32_REG, RSH32_REG,
    MOD32_REG, SMOD32_REG, XOR32_REG, MOV32_REG, ARSH32_REG,
    NEG64, NEG32,
    MOVSX64_8, MOVSX64_16, MOVSX64_32, MOVSX32_8, MOVSX32_16,
    LE16, LE32, LE64, BE16, BE32, BE64,
    /// `LD_IMM64` of a constant (`imm` is the whole value); skips the second slot.
    LDDW,
    /// `LD_IMM64` with a pseudo source (`aux`), resolved by the host; `imm` = imm | imm2 << 32.
    LDDW_PSEUDO,
    /// The second slot of `LD_IMM64`, reached by a jump.
    IMM64_TAIL,
    LDABS_B, LDABS_H, LDABS_W, LDIND_B, LDIND_H, LDIND_W,
    LDX_B, LDX_H, LDX_W, LDX_DW, LDXS_B, LDXS_H, LDXS_W,
    ST_B, ST_H, ST_W, ST_DW,
    STX_B, STX_H, STX_W, STX_DW,
    ATOMIC_W, ATOMIC_DW,
    JA,
    /// `may_goto`: jumps to `off` when the frame's loop budget is spent, else spends one.
    MAY_GOTO,
    // Conditional jumps: 64-bit immediate, 64-bit register, 32-bit immediate, 32-bit register.
    JEQ_IMM, JGT_IMM, JGE_IMM, JSET_IMM, JNE_IMM, JSGT_IMM, JSGE_IMM, JLT_IMM, JLE_IMM, JSLT_IMM, JSLE_IMM,
    JEQ_REG, JGT_REG, JGE_REG, JSET_REG, JNE_REG, JSGT_REG, JSGE_REG, JLT_REG, JLE_REG, JSLT_REG, JSLE_REG,
    JEQ32_IMM, JGT32_IMM, JGE32_IMM, JSET32_IMM, JNE32_IMM, JSGT32_IMM, JSGE32_IMM, JLT32_IMM, JLE32_IMM, JSLT32_IMM, JSLE32_IMM,
    JEQ32_REG, JGT32_REG, JGE32_REG, JSET32_REG, JNE32_REG, JSGT32_REG, JSGE32_REG, JLT32_REG, JLE32_REG, JSLT32_REG, JSLE32_REG,
    CALL_HELPER, CALL_LOCAL, CALL_KFUNC, CALLX,
    EXIT,
    /// A trap: control left the program. `off` = the instruction that left it (or -1 for
    /// falling off the end), `imm` = the target as i64.
    OUT_OF_BOUNDS,
);

const fn alu_index(op: AluOp) -> u8 {
    match op {
        AluOp::Add => 0,
        AluOp::Sub => 1,
        AluOp::Mul => 2,
        AluOp::Div => 3,
        AluOp::SDiv => 4,
        AluOp::Or => 5,
        AluOp::And => 6,
        AluOp::Lsh => 7,
        AluOp::Rsh => 8,
        AluOp::Mod => 9,
        AluOp::SMod => 10,
        AluOp::Xor => 11,
        AluOp::Mov => 12,
        AluOp::Arsh => 13,
    }
}

const fn cond_index(c: JmpCond) -> u8 {
    match c {
        JmpCond::Eq => 0,
        JmpCond::Gt => 1,
        JmpCond::Ge => 2,
        JmpCond::Set => 3,
        JmpCond::Ne => 4,
        JmpCond::Sgt => 5,
        JmpCond::Sge => 6,
        JmpCond::Lt => 7,
        JmpCond::Le => 8,
        JmpCond::Slt => 9,
        JmpCond::Sle => 10,
    }
}

/// The code `base + k` for the families laid out consecutively above.
fn nth(base: Code, k: u8) -> Code {
    // `ALL_CODES` lists the dense `repr(u8)` enum in order (checked by a test).
    ALL_CODES[(base as u8 + k) as usize]
}

macro_rules! all_codes {
    ($($name:ident),* $(,)?) => { [$(Code::$name),*] };
}

const ALL_CODES: [Code; Code::OUT_OF_BOUNDS as usize + 1] = all_codes!(
    ADD64_IMM,
    SUB64_IMM,
    MUL64_IMM,
    DIV64_IMM,
    SDIV64_IMM,
    OR64_IMM,
    AND64_IMM,
    LSH64_IMM,
    RSH64_IMM,
    MOD64_IMM,
    SMOD64_IMM,
    XOR64_IMM,
    MOV64_IMM,
    ARSH64_IMM,
    ADD64_REG,
    SUB64_REG,
    MUL64_REG,
    DIV64_REG,
    SDIV64_REG,
    OR64_REG,
    AND64_REG,
    LSH64_REG,
    RSH64_REG,
    MOD64_REG,
    SMOD64_REG,
    XOR64_REG,
    MOV64_REG,
    ARSH64_REG,
    ADD32_IMM,
    SUB32_IMM,
    MUL32_IMM,
    DIV32_IMM,
    SDIV32_IMM,
    OR32_IMM,
    AND32_IMM,
    LSH32_IMM,
    RSH32_IMM,
    MOD32_IMM,
    SMOD32_IMM,
    XOR32_IMM,
    MOV32_IMM,
    ARSH32_IMM,
    ADD32_REG,
    SUB32_REG,
    MUL32_REG,
    DIV32_REG,
    SDIV32_REG,
    OR32_REG,
    AND32_REG,
    LSH32_REG,
    RSH32_REG,
    MOD32_REG,
    SMOD32_REG,
    XOR32_REG,
    MOV32_REG,
    ARSH32_REG,
    NEG64,
    NEG32,
    MOVSX64_8,
    MOVSX64_16,
    MOVSX64_32,
    MOVSX32_8,
    MOVSX32_16,
    LE16,
    LE32,
    LE64,
    BE16,
    BE32,
    BE64,
    LDDW,
    LDDW_PSEUDO,
    IMM64_TAIL,
    LDABS_B,
    LDABS_H,
    LDABS_W,
    LDIND_B,
    LDIND_H,
    LDIND_W,
    LDX_B,
    LDX_H,
    LDX_W,
    LDX_DW,
    LDXS_B,
    LDXS_H,
    LDXS_W,
    ST_B,
    ST_H,
    ST_W,
    ST_DW,
    STX_B,
    STX_H,
    STX_W,
    STX_DW,
    ATOMIC_W,
    ATOMIC_DW,
    JA,
    MAY_GOTO,
    JEQ_IMM,
    JGT_IMM,
    JGE_IMM,
    JSET_IMM,
    JNE_IMM,
    JSGT_IMM,
    JSGE_IMM,
    JLT_IMM,
    JLE_IMM,
    JSLT_IMM,
    JSLE_IMM,
    JEQ_REG,
    JGT_REG,
    JGE_REG,
    JSET_REG,
    JNE_REG,
    JSGT_REG,
    JSGE_REG,
    JLT_REG,
    JLE_REG,
    JSLT_REG,
    JSLE_REG,
    JEQ32_IMM,
    JGT32_IMM,
    JGE32_IMM,
    JSET32_IMM,
    JNE32_IMM,
    JSGT32_IMM,
    JSGE32_IMM,
    JLT32_IMM,
    JLE32_IMM,
    JSLT32_IMM,
    JSLE32_IMM,
    JEQ32_REG,
    JGT32_REG,
    JGE32_REG,
    JSET32_REG,
    JNE32_REG,
    JSGT32_REG,
    JSGE32_REG,
    JLT32_REG,
    JLE32_REG,
    JSLT32_REG,
    JSLE32_REG,
    CALL_HELPER,
    CALL_LOCAL,
    CALL_KFUNC,
    CALLX,
    EXIT,
    OUT_OF_BOUNDS,
);

/// The tag of a callback's address in a register (`LD_IMM64` BPF_PSEUDO_FUNC at run time):
/// high bits no real address has, the instruction index below.
pub(crate) const FUNC_ADDR: u64 = 0xbf0c_0000_0000_0000;

/// Atomic operation bits in [`Op::aux`]: the low 3 bits the operation, bit 3 `fetch`.
pub(crate) const ATOMIC_FETCH: u8 = 8;

pub(crate) fn atomic_bits(op: AtomicOp, fetch: bool) -> u8 {
    let k = match op {
        AtomicOp::Add => 0,
        AtomicOp::Or => 1,
        AtomicOp::And => 2,
        AtomicOp::Xor => 3,
        AtomicOp::Xchg => 4,
        AtomicOp::Cmpxchg => 5,
    };
    k | if fetch { ATOMIC_FETCH } else { 0 }
}

pub(crate) fn atomic_op(bits: u8) -> AtomicOp {
    match bits & 7 {
        0 => AtomicOp::Add,
        1 => AtomicOp::Or,
        2 => AtomicOp::And,
        3 => AtomicOp::Xor,
        4 => AtomicOp::Xchg,
        _ => AtomicOp::Cmpxchg,
    }
}

const fn op(code: Code, dst: u8, src: u8, off: i32, imm: u64) -> Op {
    Op { code, dst, src, aux: 0, off, imm }
}

/// Translates a program. Slot `i` of the result is instruction `i`; slot `len` is the
/// fall-off trap; traps for out-of-range jump targets follow.
pub(crate) fn translate(insns: &[Insn]) -> Vec<Op> {
    let len = insns.len();
    let mut ops: Vec<Op> = Vec::with_capacity(len + 1);
    let mut traps: Vec<Op> = Vec::new();
    // A checked absolute target for the instruction at `pc` jumping `rel` slots past pc + 1.
    let mut target = |pc: usize, rel: i64| -> i32 {
        let t = pc as i64 + 1 + rel;
        if t >= 0 && (t as u64) < len as u64 {
            t as i32
        } else {
            traps.push(op(Code::OUT_OF_BOUNDS, 0, 0, pc as i32, t as u64));
            (len + traps.len()) as i32
        }
    };
    for (pc, insn) in insns.iter().enumerate() {
        let o = match *insn {
            Insn::Alu { alu64, op: a, dst, src } => {
                let (base, s, imm) = match (alu64, src) {
                    (true, Operand::Imm(i)) => (Code::ADD64_IMM, 0, i as i64 as u64),
                    (true, Operand::Reg(r)) => (Code::ADD64_REG, r, 0),
                    (false, Operand::Imm(i)) => (Code::ADD32_IMM, 0, i as u32 as u64),
                    (false, Operand::Reg(r)) => (Code::ADD32_REG, r, 0),
                };
                op(nth(base, alu_index(a)), dst, s, 0, imm)
            }
            Insn::Neg { alu64, dst } => {
                op(if alu64 { Code::NEG64 } else { Code::NEG32 }, dst, 0, 0, 0)
            }
            Insn::MovSx { alu64, dst, src, bits } => {
                let c = match (alu64, bits) {
                    (true, 8) => Code::MOVSX64_8,
                    (true, 16) => Code::MOVSX64_16,
                    (true, _) => Code::MOVSX64_32,
                    (false, 8) => Code::MOVSX32_8,
                    (false, 16) => Code::MOVSX32_16,
                    // movsx32 from 32 bits is a plain 32-bit move.
                    (false, _) => Code::MOV32_REG,
                };
                op(c, dst, src, 0, 0)
            }
            Insn::End { kind, bits, dst } => {
                let c = match (kind, bits) {
                    (EndKind::ToLe, 16) => Code::LE16,
                    (EndKind::ToLe, 32) => Code::LE32,
                    (EndKind::ToLe, _) => Code::LE64,
                    (_, 16) => Code::BE16,
                    (_, 32) => Code::BE32,
                    (_, _) => Code::BE64,
                };
                op(c, dst, 0, 0, 0)
            }
            Insn::LdImm64 { dst, pseudo: 0, imm, imm2 } => {
                op(Code::LDDW, dst, 0, 0, Insn::imm64(imm, imm2))
            }
            // A callback's address: the instruction it starts at, tagged (FUNC_ADDR) so that
            // bpf_loop can tell it from a number.
            Insn::LdImm64 { dst, pseudo: PSEUDO_FUNC, imm, .. } => {
                let t = pc as i64 + 1 + imm as i64;
                let v = if (0..len as i64).contains(&t) { FUNC_ADDR | t as u64 } else { 0 };
                op(Code::LDDW, dst, 0, 0, v)
            }
            Insn::LdImm64 { dst, pseudo, imm, imm2 } => Op {
                code: Code::LDDW_PSEUDO,
                dst,
                src: 0,
                aux: pseudo,
                off: 0,
                imm: Insn::imm64(imm, imm2),
            },
            Insn::Imm64Tail => op(Code::IMM64_TAIL, 0, 0, 0, 0),
            Insn::LdAbs { size, imm } => {
                let c = match size {
                    Size::B => Code::LDABS_B,
                    Size::H => Code::LDABS_H,
                    _ => Code::LDABS_W,
                };
                op(c, 0, 0, 0, imm as i64 as u64)
            }
            Insn::LdInd { size, src, imm } => {
                let c = match size {
                    Size::B => Code::LDIND_B,
                    Size::H => Code::LDIND_H,
                    _ => Code::LDIND_W,
                };
                op(c, 0, src, 0, imm as i64 as u64)
            }
            Insn::Ldx { size, signed, dst, src, off } => {
                let c = match (size, signed) {
                    (Size::B, false) => Code::LDX_B,
                    (Size::H, false) => Code::LDX_H,
                    (Size::W, false) => Code::LDX_W,
                    (Size::DW, _) => Code::LDX_DW,
                    (Size::B, true) => Code::LDXS_B,
                    (Size::H, true) => Code::LDXS_H,
                    (Size::W, true) => Code::LDXS_W,
                };
                op(c, dst, src, off as i32, 0)
            }
            Insn::St { size, dst, off, imm } => {
                let c = [Code::ST_B, Code::ST_H, Code::ST_W, Code::ST_DW][size_index(size)];
                op(c, dst, 0, off as i32, imm as i64 as u64)
            }
            Insn::Stx { size, dst, src, off } => {
                let c = [Code::STX_B, Code::STX_H, Code::STX_W, Code::STX_DW][size_index(size)];
                op(c, dst, src, off as i32, 0)
            }
            Insn::Atomic { size, op: a, fetch, dst, src, off } => {
                let c = if size == Size::DW { Code::ATOMIC_DW } else { Code::ATOMIC_W };
                Op { code: c, dst, src, aux: atomic_bits(a, fetch), off: off as i32, imm: 0 }
            }
            Insn::Ja { off, .. } => op(Code::JA, 0, 0, target(pc, off as i64), 0),
            Insn::MayGoto { off } => op(Code::MAY_GOTO, 0, 0, target(pc, off as i64), 0),
            Insn::Jmp { jmp32, cond, dst, src, off } => {
                let (base, s, imm) = match (jmp32, src) {
                    (false, Operand::Imm(i)) => (Code::JEQ_IMM, 0, i as i64 as u64),
                    (false, Operand::Reg(r)) => (Code::JEQ_REG, r, 0),
                    (true, Operand::Imm(i)) => (Code::JEQ32_IMM, 0, i as u32 as u64),
                    (true, Operand::Reg(r)) => (Code::JEQ32_REG, r, 0),
                };
                op(nth(base, cond_index(cond)), dst, s, target(pc, off as i64), imm)
            }
            Insn::Call { kind: CallKind::Helper, imm } => {
                op(Code::CALL_HELPER, 0, 0, 0, imm as u32 as u64)
            }
            Insn::Call { kind: CallKind::Kfunc, imm } => {
                op(Code::CALL_KFUNC, 0, 0, 0, imm as i64 as u64)
            }
            Insn::Call { kind: CallKind::Local, imm } => {
                op(Code::CALL_LOCAL, 0, 0, target(pc, imm as i64), 0)
            }
            Insn::Callx { reg } => op(Code::CALLX, reg, 0, 0, 0),
            Insn::Exit => op(Code::EXIT, 0, 0, 0, 0),
        };
        ops.push(o);
    }
    // Falling off the end: reported at the last instruction, as control leaving it.
    ops.push(op(Code::OUT_OF_BOUNDS, 0, 0, len as i32 - 1, len as u64));
    ops.extend(traps);
    ops
}

fn size_index(s: Size) -> usize {
    match s {
        Size::B => 0,
        Size::H => 1,
        Size::W => 2,
        Size::DW => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_table_matches_enum() {
        for (i, c) in ALL_CODES.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
        assert_eq!(nth(Code::ADD64_IMM, alu_index(AluOp::Arsh)), Code::ARSH64_IMM);
        assert_eq!(nth(Code::ADD32_REG, alu_index(AluOp::Mov)), Code::MOV32_REG);
        assert_eq!(nth(Code::JEQ_IMM, cond_index(JmpCond::Sle)), Code::JSLE_IMM);
        assert_eq!(nth(Code::JEQ32_REG, cond_index(JmpCond::Set)), Code::JSET32_REG);
    }
}
