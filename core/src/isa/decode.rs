//! Slots to typed instructions, with the kernel's opcode table and "tidiness" rules.
//!
//! Follows the checks of kernel/bpf/verifier.c (`resolve_pseudo_ldimm64`, `check_alu_op`,
//! `check_cond_jmp_op`, `check_ld_abs`, `check_atomic`, `do_check_insn`) and the opcode table of
//! kernel/bpf/core.c (`bpf_opcode_in_insntable`); the error messages are the kernel's. The
//! kernel runs the opcode/`LD_IMM64` pass over the whole program first and the reserved-field
//! checks while verifying, so this does the same two passes.

use super::opcode::*;
use super::*;
use alloc::vec::Vec;
use core::fmt;

/// Why a program could not be decoded; `index` is the slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub index: usize,
    pub kind: DecodeErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The byte length is not a multiple of 8.
    Length(usize),
    /// No instructions at all.
    Empty,
    UnknownOpcode(u8),
    /// `LD_IMM64` without a valid second slot.
    InvalidLdImm64,
    /// `LD_IMM64` with an unknown pseudo source.
    UnrecognizedLdImm64,
    /// Non-zero unused fields; the kernel's message names the class (`BPF_ALU`, `BPF_JA`...).
    Reserved(&'static str),
    InvalidRegister(u8),
    InvalidAtomicOp(i32),
    InvalidAtomicSize,
    InvalidAluOpcode(u8),
    InvalidJmpOpcode(u8),
    /// `may_goto` with a register or an immediate (6.18's check_cond_jmp_op message).
    InvalidMayGoto(i32),
    /// Other refusals, with the kernel's message.
    Other(&'static str),
}

/// Which rules decide what decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Exactly what Linux 6.18 accepts: no `callx`, `exit` may carry an offset.
    Kernel,
    /// RFC 9669 as the conformance suite reads it: every unused field must be zero (so also
    /// `exit`'s offset), and `callx` (0x8d, register in dst_reg) is an instruction.
    Conformance,
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Length(n) => write!(f, "program length {n} is not a multiple of 8"),
            DecodeErrorKind::Empty => write!(f, "empty program"),
            DecodeErrorKind::UnknownOpcode(c) => write!(f, "unknown opcode {c:02x}"),
            DecodeErrorKind::InvalidLdImm64 => write!(f, "invalid bpf_ld_imm64 insn"),
            DecodeErrorKind::UnrecognizedLdImm64 => write!(f, "unrecognized bpf_ld_imm64 insn"),
            DecodeErrorKind::Reserved(what) => write!(f, "{what} uses reserved fields"),
            DecodeErrorKind::InvalidRegister(r) => write!(f, "R{r} is invalid"),
            DecodeErrorKind::InvalidAtomicOp(i) => {
                write!(f, "BPF_ATOMIC uses invalid atomic opcode {i:02x}")
            }
            DecodeErrorKind::InvalidAtomicSize => write!(f, "invalid atomic operand size"),
            DecodeErrorKind::InvalidAluOpcode(o) => write!(f, "invalid BPF_ALU opcode {o:x}"),
            DecodeErrorKind::InvalidJmpOpcode(o) => write!(f, "invalid BPF_JMP/JMP32 opcode {o:x}"),
            DecodeErrorKind::InvalidMayGoto(i) => write!(f, "invalid may_goto imm {i}"),
            DecodeErrorKind::Other(m) => f.write_str(m),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "insn {}: {}", self.index, self.kind)
    }
}

/// Is `code` in the kernel's table of valid opcodes?
pub fn opcode_known_in(code: u8, dialect: Dialect) -> bool {
    if code == CLS_JMP | JMP_CALL | SRC_X {
        return dialect == Dialect::Conformance;
    }
    if code == CLS_JMP | JMP_JCOND {
        return dialect == Dialect::Kernel;
    }
    opcode_known(code)
}

/// Is `code` an opcode of either dialect (the kernel's table plus `callx`)?
pub fn opcode_known(code: u8) -> bool {
    match class(code) {
        CLS_ALU | CLS_ALU64 => match op(code) {
            ALU_NEG => src(code) == SRC_K,
            ALU_END => class(code) == CLS_ALU || src(code) == SRC_K,
            o => o <= ALU_ARSH,
        },
        CLS_JMP => match op(code) {
            JMP_JA | JMP_EXIT | JMP_JCOND => src(code) == SRC_K,
            JMP_CALL => true,
            o => o <= JMP_JSLE,
        },
        CLS_JMP32 => match op(code) {
            JMP_JA => src(code) == SRC_K,
            JMP_CALL | JMP_EXIT => false,
            o => o <= JMP_JSLE,
        },
        CLS_LD => match mode(code) {
            MODE_IMM => size(code) == SZ_DW,
            MODE_ABS | MODE_IND => size(code) != SZ_DW,
            _ => false,
        },
        CLS_LDX => mode(code) == MODE_MEM || (mode(code) == MODE_MEMSX && size(code) != SZ_DW),
        CLS_ST => mode(code) == MODE_MEM,
        CLS_STX => mode(code) == MODE_MEM || mode(code) == MODE_ATOMIC,
        _ => false,
    }
}

/// Decodes little-endian bytes (8 per slot) by the conformance rules.
pub fn decode_bytes(bytes: &[u8]) -> Result<Program, DecodeError> {
    decode_bytes_with(bytes, Dialect::Conformance)
}

/// Decodes little-endian bytes (8 per slot).
pub fn decode_bytes_with(bytes: &[u8], dialect: Dialect) -> Result<Program, DecodeError> {
    if !bytes.len().is_multiple_of(8) {
        return Err(DecodeError {
            index: bytes.len() / 8,
            kind: DecodeErrorKind::Length(bytes.len()),
        });
    }
    let raw: Vec<RawInsn> = bytes
        .chunks_exact(8)
        .map(|c| RawInsn::from_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    decode_with(&raw, dialect)
}

/// Decodes raw slots into a [`Program`] by the conformance rules.
pub fn decode(raw: &[RawInsn]) -> Result<Program, DecodeError> {
    decode_with(raw, Dialect::Conformance)
}

/// Decodes raw slots into a [`Program`].
pub fn decode_with(raw: &[RawInsn], dialect: Dialect) -> Result<Program, DecodeError> {
    if raw.is_empty() {
        return Err(DecodeError { index: 0, kind: DecodeErrorKind::Empty });
    }
    // Pass 1, as resolve_pseudo_ldimm64: LDX fields, LD_IMM64 pairs, the opcode table.
    let mut i = 0;
    while i < raw.len() {
        let r = raw[i];
        let err = |kind| Err(DecodeError { index: i, kind });
        if class(r.code) == CLS_LDX
            && ((mode(r.code) != MODE_MEM && mode(r.code) != MODE_MEMSX) || r.imm != 0)
        {
            return err(DecodeErrorKind::Reserved("BPF_LDX"));
        }
        if r.code == CLS_LD | MODE_IMM | SZ_DW {
            let next = raw.get(i + 1);
            match next {
                Some(n) if n.code == 0 && n.dst == 0 && n.src == 0 && n.off == 0 => {}
                _ => return err(DecodeErrorKind::InvalidLdImm64),
            }
            let ok = match r.src {
                0 | PSEUDO_MAP_VALUE | PSEUDO_MAP_IDX_VALUE | PSEUDO_BTF_ID | PSEUDO_FUNC => true,
                PSEUDO_MAP_FD | PSEUDO_MAP_IDX => raw[i + 1].imm == 0,
                _ => false,
            };
            if !ok {
                return err(DecodeErrorKind::UnrecognizedLdImm64);
            }
            i += 2;
            continue;
        }
        if !opcode_known_in(r.code, dialect) {
            return err(DecodeErrorKind::UnknownOpcode(r.code));
        }
        i += 1;
    }
    // Pass 2: reserved fields and registers, instruction by instruction.
    let mut insns = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let insn = decode_one(raw[i], raw.get(i + 1).copied(), dialect)
            .map_err(|kind| DecodeError { index: i, kind })?;
        insns.push(insn);
        if let Insn::LdImm64 { .. } = insn {
            insns.push(Insn::Imm64Tail);
            i += 2;
        } else {
            i += 1;
        }
    }
    Ok(Program { insns })
}

fn reg(r: u8) -> Result<u8, DecodeErrorKind> {
    if r <= 10 {
        Ok(r)
    } else {
        Err(DecodeErrorKind::InvalidRegister(r))
    }
}

/// Decodes one instruction whose opcode passed the table; `next` is the following slot.
pub fn decode_one(
    r: RawInsn,
    next: Option<RawInsn>,
    dialect: Dialect,
) -> Result<Insn, DecodeErrorKind> {
    use DecodeErrorKind::*;
    let code = r.code;
    match class(code) {
        CLS_ALU | CLS_ALU64 => {
            let alu64 = class(code) == CLS_ALU64;
            let o = op(code);
            let x = src(code) == SRC_X;
            match o {
                ALU_NEG => {
                    if x || r.src != 0 || r.off != 0 || r.imm != 0 {
                        return Err(Reserved("BPF_NEG"));
                    }
                    Ok(Insn::Neg { alu64, dst: reg(r.dst)? })
                }
                ALU_END => {
                    if r.src != 0 || r.off != 0 || !matches!(r.imm, 16 | 32 | 64) || (alu64 && x) {
                        return Err(Reserved("BPF_END"));
                    }
                    let kind = if alu64 {
                        EndKind::Swap
                    } else if x {
                        EndKind::ToBe
                    } else {
                        EndKind::ToLe
                    };
                    Ok(Insn::End { kind, bits: r.imm as u8, dst: reg(r.dst)? })
                }
                ALU_MOV => {
                    if x && alu64 && r.off == 1 {
                        // BPF_ADDR_SPACE_CAST (arena pointers), which needs an arena map.
                        if r.imm != 1 && r.imm != 1 << 16 {
                            return Err(Other("addr_space_cast insn can only convert between address space 1 and 0"));
                        }
                        return Err(Other("addr_space_cast insn can only be used in a program that has an associated arena"));
                    }
                    if x {
                        let offs_ok = if alu64 {
                            matches!(r.off, 0 | 8 | 16 | 32)
                        } else {
                            matches!(r.off, 0 | 8 | 16)
                        };
                        if !offs_ok || r.imm != 0 {
                            return Err(Reserved("BPF_MOV"));
                        }
                        let (dst, s) = (reg(r.dst)?, reg(r.src)?);
                        if r.off == 0 {
                            Ok(Insn::Alu { alu64, op: AluOp::Mov, dst, src: Operand::Reg(s) })
                        } else {
                            Ok(Insn::MovSx { alu64, dst, src: s, bits: r.off as u8 })
                        }
                    } else {
                        if r.src != 0 || r.off != 0 {
                            return Err(Reserved("BPF_MOV"));
                        }
                        Ok(Insn::Alu {
                            alu64,
                            op: AluOp::Mov,
                            dst: reg(r.dst)?,
                            src: Operand::Imm(r.imm),
                        })
                    }
                }
                _ => {
                    if o > ALU_END {
                        return Err(InvalidAluOpcode(o));
                    }
                    let signed_ok = o == ALU_DIV || o == ALU_MOD;
                    let bad_off = (r.off != 0 && r.off != 1) || (r.off == 1 && !signed_ok);
                    if bad_off || (x && r.imm != 0) || (!x && r.src != 0) {
                        return Err(Reserved("BPF_ALU"));
                    }
                    let aop = AluOp::ALL
                        .into_iter()
                        .find(|a| a.code_off() == (o, r.off))
                        .ok_or(InvalidAluOpcode(o))?;
                    let src = if x { Operand::Reg(reg(r.src)?) } else { Operand::Imm(r.imm) };
                    Ok(Insn::Alu { alu64, op: aop, dst: reg(r.dst)?, src })
                }
            }
        }
        CLS_JMP | CLS_JMP32 => {
            let jmp32 = class(code) == CLS_JMP32;
            let x = src(code) == SRC_X;
            match op(code) {
                JMP_CALL => {
                    if x {
                        // callx: register in dst_reg, as LLVM encodes it.
                        if r.src != 0 || r.off != 0 || r.imm != 0 {
                            return Err(Reserved("BPF_CALL"));
                        }
                        return Ok(Insn::Callx { reg: reg(r.dst)? });
                    }
                    // The kernel lets a kfunc call name a module's BTF in `off`; bpfplay has no
                    // module BTF (and no kfuncs), so `off` must be 0 for every call here.
                    if r.off != 0
                        || !matches!(r.src, 0 | PSEUDO_CALL | PSEUDO_KFUNC_CALL)
                        || r.dst != 0
                        || jmp32
                    {
                        return Err(Reserved("BPF_CALL"));
                    }
                    let kind = match r.src {
                        0 => CallKind::Helper,
                        PSEUDO_CALL => CallKind::Local,
                        _ => CallKind::Kfunc,
                    };
                    Ok(Insn::Call { kind, imm: r.imm })
                }
                JMP_JA => {
                    if x || r.src != 0
                        || r.dst != 0
                        || (!jmp32 && r.imm != 0)
                        || (jmp32 && r.off != 0)
                    {
                        return Err(Reserved("BPF_JA"));
                    }
                    Ok(if jmp32 {
                        Insn::Ja { off: r.imm, long: true }
                    } else {
                        Insn::Ja { off: r.off as i32, long: false }
                    })
                }
                // Only JMP|JCOND|K is in the kernel's opcode table; any register or immediate
                // makes it an invalid may_goto (offset 0 is allowed since Linux 6.14).
                JMP_JCOND if !jmp32 && !x && dialect == Dialect::Kernel => {
                    if r.src != 0 || r.dst != 0 || r.imm != 0 {
                        return Err(InvalidMayGoto(r.imm));
                    }
                    Ok(Insn::MayGoto { off: r.off })
                }
                JMP_EXIT => {
                    let strict_off = dialect == Dialect::Conformance && r.off != 0;
                    if x || r.imm != 0 || r.src != 0 || r.dst != 0 || jmp32 || strict_off {
                        return Err(Reserved("BPF_EXIT"));
                    }
                    Ok(Insn::Exit)
                }
                o => {
                    let cond = JmpCond::from_code(o).ok_or(InvalidJmpOpcode(o))?;
                    if (x && r.imm != 0) || (!x && r.src != 0) {
                        return Err(Reserved("BPF_JMP/JMP32"));
                    }
                    let src = if x { Operand::Reg(reg(r.src)?) } else { Operand::Imm(r.imm) };
                    Ok(Insn::Jmp { jmp32, cond, dst: reg(r.dst)?, src, off: r.off })
                }
            }
        }
        CLS_LD => match mode(code) {
            MODE_IMM => {
                if r.off != 0 {
                    return Err(Reserved("BPF_LD_IMM64"));
                }
                let n = next.ok_or(InvalidLdImm64)?;
                Ok(Insn::LdImm64 { dst: reg(r.dst)?, pseudo: r.src, imm: r.imm, imm2: n.imm })
            }
            m => {
                let s = Size::from_code(code);
                if r.dst != 0 || r.off != 0 || s == Size::DW || (m == MODE_ABS && r.src != 0) {
                    return Err(Reserved("BPF_LD_[ABS|IND]"));
                }
                if m == MODE_ABS {
                    Ok(Insn::LdAbs { size: s, imm: r.imm })
                } else {
                    Ok(Insn::LdInd { size: s, src: reg(r.src)?, imm: r.imm })
                }
            }
        },
        CLS_LDX => Ok(Insn::Ldx {
            size: Size::from_code(code),
            signed: mode(code) == MODE_MEMSX,
            dst: reg(r.dst)?,
            src: reg(r.src)?,
            off: r.off,
        }),
        CLS_ST => {
            if mode(code) != MODE_MEM || r.src != 0 {
                return Err(Reserved("BPF_ST"));
            }
            Ok(Insn::St { size: Size::from_code(code), dst: reg(r.dst)?, off: r.off, imm: r.imm })
        }
        _ => {
            // CLS_STX
            if mode(code) == MODE_ATOMIC {
                let (aop, fetch) = match r.imm {
                    x if x == ALU_ADD as i32 => (AtomicOp::Add, false),
                    x if x == ALU_OR as i32 => (AtomicOp::Or, false),
                    x if x == ALU_AND as i32 => (AtomicOp::And, false),
                    x if x == ALU_XOR as i32 => (AtomicOp::Xor, false),
                    x if x == ALU_ADD as i32 | ATOMIC_FETCH => (AtomicOp::Add, true),
                    x if x == ALU_OR as i32 | ATOMIC_FETCH => (AtomicOp::Or, true),
                    x if x == ALU_AND as i32 | ATOMIC_FETCH => (AtomicOp::And, true),
                    x if x == ALU_XOR as i32 | ATOMIC_FETCH => (AtomicOp::Xor, true),
                    ATOMIC_XCHG => (AtomicOp::Xchg, true),
                    ATOMIC_CMPXCHG => (AtomicOp::Cmpxchg, true),
                    other => return Err(InvalidAtomicOp(other)),
                };
                let s = Size::from_code(code);
                if s != Size::W && s != Size::DW {
                    return Err(InvalidAtomicSize);
                }
                return Ok(Insn::Atomic {
                    size: s,
                    op: aop,
                    fetch,
                    dst: reg(r.dst)?,
                    src: reg(r.src)?,
                    off: r.off,
                });
            }
            if mode(code) != MODE_MEM || r.imm != 0 {
                return Err(Reserved("BPF_STX"));
            }
            Ok(Insn::Stx {
                size: Size::from_code(code),
                dst: reg(r.dst)?,
                src: reg(r.src)?,
                off: r.off,
            })
        }
    }
}
