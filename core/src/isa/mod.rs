//! The eBPF instruction set of RFC 9669 (conformance groups base32, base64, atomic32, atomic64,
//! divmul32, divmul64, packet; ISA v1 to v4), as raw 8-byte slots and as typed instructions.
//!
//! A program is a sequence of 8-byte slots; `LD_IMM64` takes two. Typed programs keep one entry
//! per slot ([`Insn::Imm64Tail`] fills the second) so that an index is the kernel's `insn_idx`.

pub(crate) mod decode;
pub(crate) mod encode;
pub(crate) mod helpers;
pub(crate) mod opcode;

pub use decode::{
    decode, decode_bytes, decode_bytes_with, decode_with, opcode_known, DecodeError,
    DecodeErrorKind, Dialect,
};
pub use encode::{encode, encode_program};
pub use helpers::{helper_id, helper_name};

use opcode::*;

/// One 8-byte slot as the kernel's `struct bpf_insn` holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct RawInsn {
    pub code: u8,
    pub dst: u8,
    pub src: u8,
    pub off: i16,
    pub imm: i32,
}

impl RawInsn {
    pub const fn new(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Self {
        RawInsn { code, dst, src, off, imm }
    }

    pub fn from_bytes(b: [u8; 8]) -> Self {
        RawInsn {
            code: b[0],
            dst: b[1] & 0x0f,
            src: b[1] >> 4,
            off: i16::from_le_bytes([b[2], b[3]]),
            imm: i32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        }
    }

    pub fn to_bytes(self) -> [u8; 8] {
        let o = self.off.to_le_bytes();
        let i = self.imm.to_le_bytes();
        [self.code, (self.src << 4) | (self.dst & 0x0f), o[0], o[1], i[0], i[1], i[2], i[3]]
    }

    /// The slot as the little-endian `u64` that the conformance suite's `-- raw` lines show.
    pub fn to_u64(self) -> u64 {
        u64::from_le_bytes(self.to_bytes())
    }
}

/// Access width of loads, stores and atomics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Size {
    B,
    H,
    W,
    DW,
}

impl Size {
    pub const fn bytes(self) -> usize {
        match self {
            Size::B => 1,
            Size::H => 2,
            Size::W => 4,
            Size::DW => 8,
        }
    }
    pub const fn code(self) -> u8 {
        match self {
            Size::B => SZ_B,
            Size::H => SZ_H,
            Size::W => SZ_W,
            Size::DW => SZ_DW,
        }
    }
    pub const fn from_code(code: u8) -> Size {
        match size(code) {
            SZ_B => Size::B,
            SZ_H => Size::H,
            SZ_W => Size::W,
            _ => Size::DW,
        }
    }
    /// The C type the kernel's disassembler prints (`u8`, `u16`, `u32`, `u64`).
    pub const fn utype(self) -> &'static str {
        match self {
            Size::B => "u8",
            Size::H => "u16",
            Size::W => "u32",
            Size::DW => "u64",
        }
    }
    pub const fn stype(self) -> &'static str {
        match self {
            Size::B => "s8",
            Size::H => "s16",
            Size::W => "s32",
            Size::DW => "s64",
        }
    }
}

/// Second operand of ALU and conditional jump instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    Reg(u8),
    Imm(i32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AluOp {
    Add,
    Sub,
    Mul,
    Div,
    SDiv,
    Or,
    And,
    Lsh,
    Rsh,
    Mod,
    SMod,
    Xor,
    Mov,
    Arsh,
}

impl AluOp {
    pub const ALL: [AluOp; 14] = [
        AluOp::Add,
        AluOp::Sub,
        AluOp::Mul,
        AluOp::Div,
        AluOp::SDiv,
        AluOp::Or,
        AluOp::And,
        AluOp::Lsh,
        AluOp::Rsh,
        AluOp::Mod,
        AluOp::SMod,
        AluOp::Xor,
        AluOp::Mov,
        AluOp::Arsh,
    ];
    /// Opcode bits and the `off` value that selects the signed variants.
    pub const fn code_off(self) -> (u8, i16) {
        match self {
            AluOp::Add => (ALU_ADD, 0),
            AluOp::Sub => (ALU_SUB, 0),
            AluOp::Mul => (ALU_MUL, 0),
            AluOp::Div => (ALU_DIV, 0),
            AluOp::SDiv => (ALU_DIV, 1),
            AluOp::Or => (ALU_OR, 0),
            AluOp::And => (ALU_AND, 0),
            AluOp::Lsh => (ALU_LSH, 0),
            AluOp::Rsh => (ALU_RSH, 0),
            AluOp::Mod => (ALU_MOD, 0),
            AluOp::SMod => (ALU_MOD, 1),
            AluOp::Xor => (ALU_XOR, 0),
            AluOp::Mov => (ALU_MOV, 0),
            AluOp::Arsh => (ALU_ARSH, 0),
        }
    }
    /// The operator of the kernel's disassembly (`+=`, `s/=`, ...).
    pub const fn symbol(self) -> &'static str {
        match self {
            AluOp::Add => "+=",
            AluOp::Sub => "-=",
            AluOp::Mul => "*=",
            AluOp::Div => "/=",
            AluOp::SDiv => "s/=",
            AluOp::Or => "|=",
            AluOp::And => "&=",
            AluOp::Lsh => "<<=",
            AluOp::Rsh => ">>=",
            AluOp::Mod => "%=",
            AluOp::SMod => "s%=",
            AluOp::Xor => "^=",
            AluOp::Mov => "=",
            AluOp::Arsh => "s>>=",
        }
    }
    /// The uBPF mnemonic (without the `32` suffix).
    pub const fn mnemonic(self) -> &'static str {
        match self {
            AluOp::Add => "add",
            AluOp::Sub => "sub",
            AluOp::Mul => "mul",
            AluOp::Div => "div",
            AluOp::SDiv => "sdiv",
            AluOp::Or => "or",
            AluOp::And => "and",
            AluOp::Lsh => "lsh",
            AluOp::Rsh => "rsh",
            AluOp::Mod => "mod",
            AluOp::SMod => "smod",
            AluOp::Xor => "xor",
            AluOp::Mov => "mov",
            AluOp::Arsh => "arsh",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JmpCond {
    Eq,
    Gt,
    Ge,
    Set,
    Ne,
    Sgt,
    Sge,
    Lt,
    Le,
    Slt,
    Sle,
}

impl JmpCond {
    pub const ALL: [JmpCond; 11] = [
        JmpCond::Eq,
        JmpCond::Gt,
        JmpCond::Ge,
        JmpCond::Set,
        JmpCond::Ne,
        JmpCond::Sgt,
        JmpCond::Sge,
        JmpCond::Lt,
        JmpCond::Le,
        JmpCond::Slt,
        JmpCond::Sle,
    ];
    pub const fn code(self) -> u8 {
        match self {
            JmpCond::Eq => JMP_JEQ,
            JmpCond::Gt => JMP_JGT,
            JmpCond::Ge => JMP_JGE,
            JmpCond::Set => JMP_JSET,
            JmpCond::Ne => JMP_JNE,
            JmpCond::Sgt => JMP_JSGT,
            JmpCond::Sge => JMP_JSGE,
            JmpCond::Lt => JMP_JLT,
            JmpCond::Le => JMP_JLE,
            JmpCond::Slt => JMP_JSLT,
            JmpCond::Sle => JMP_JSLE,
        }
    }
    pub fn from_code(op: u8) -> Option<JmpCond> {
        JmpCond::ALL.into_iter().find(|c| c.code() == op)
    }
    pub const fn symbol(self) -> &'static str {
        match self {
            JmpCond::Eq => "==",
            JmpCond::Gt => ">",
            JmpCond::Ge => ">=",
            JmpCond::Set => "&",
            JmpCond::Ne => "!=",
            JmpCond::Sgt => "s>",
            JmpCond::Sge => "s>=",
            JmpCond::Lt => "<",
            JmpCond::Le => "<=",
            JmpCond::Slt => "s<",
            JmpCond::Sle => "s<=",
        }
    }
    pub const fn mnemonic(self) -> &'static str {
        match self {
            JmpCond::Eq => "jeq",
            JmpCond::Gt => "jgt",
            JmpCond::Ge => "jge",
            JmpCond::Set => "jset",
            JmpCond::Ne => "jne",
            JmpCond::Sgt => "jsgt",
            JmpCond::Sge => "jsge",
            JmpCond::Lt => "jlt",
            JmpCond::Le => "jle",
            JmpCond::Slt => "jslt",
            JmpCond::Sle => "jsle",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AtomicOp {
    Add,
    Or,
    And,
    Xor,
    Xchg,
    Cmpxchg,
}

impl AtomicOp {
    pub const fn name(self) -> &'static str {
        match self {
            AtomicOp::Add => "add",
            AtomicOp::Or => "or",
            AtomicOp::And => "and",
            AtomicOp::Xor => "xor",
            AtomicOp::Xchg => "xchg",
            AtomicOp::Cmpxchg => "cmpxchg",
        }
    }
}

/// Byte-order instructions: `le`/`be` (ALU class, to little or big endian) and `bswap` (ALU64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndKind {
    ToLe,
    ToBe,
    Swap,
}

/// Target of a `CALL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// A helper by its id (`src_reg` 0).
    Helper,
    /// A bpf-to-bpf call, `imm` relative to the next instruction (`src_reg` 1).
    Local,
    /// A kernel function by BTF id (`src_reg` 2).
    Kfunc,
}

/// A decoded instruction. Register numbers are 0..=10 (checked at decode time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Insn {
    Alu {
        alu64: bool,
        op: AluOp,
        dst: u8,
        src: Operand,
    },
    Neg {
        alu64: bool,
        dst: u8,
    },
    /// `movsx`: sign-extending move from the low `bits` of `src`.
    MovSx {
        alu64: bool,
        dst: u8,
        src: u8,
        bits: u8,
    },
    End {
        kind: EndKind,
        bits: u8,
        dst: u8,
    },
    /// First slot of `LD_IMM64`; `pseudo` is its `src_reg` (0 for a plain constant, else
    /// `BPF_PSEUDO_MAP_FD`, ...), `imm` and `imm2` the two halves.
    LdImm64 {
        dst: u8,
        pseudo: u8,
        imm: i32,
        imm2: i32,
    },
    /// Second slot of `LD_IMM64`; never executed.
    Imm64Tail,
    LdAbs {
        size: Size,
        imm: i32,
    },
    LdInd {
        size: Size,
        src: u8,
        imm: i32,
    },
    Ldx {
        size: Size,
        signed: bool,
        dst: u8,
        src: u8,
        off: i16,
    },
    St {
        size: Size,
        dst: u8,
        off: i16,
        imm: i32,
    },
    Stx {
        size: Size,
        dst: u8,
        src: u8,
        off: i16,
    },
    Atomic {
        size: Size,
        op: AtomicOp,
        fetch: bool,
        dst: u8,
        src: u8,
        off: i16,
    },
    /// `goto` (JMP JA, 16-bit offset) or `gotol` (JMP32 JA, 32-bit offset in imm).
    Ja {
        off: i32,
        long: bool,
    },
    /// `may_goto`: falls through while the program's loop budget lasts (BPF_MAX_LOOPS, 8M,
    /// per frame), then jumps. The verifier walks both ways.
    MayGoto {
        off: i16,
    },
    Jmp {
        jmp32: bool,
        cond: JmpCond,
        dst: u8,
        src: Operand,
        off: i16,
    },
    Call {
        kind: CallKind,
        imm: i32,
    },
    /// `callx`: call through a register (uBPF/conformance extension; the kernel refuses it).
    Callx {
        reg: u8,
    },
    Exit,
}

impl Insn {
    /// Number of 8-byte slots the instruction occupies.
    pub fn slots(&self) -> usize {
        match self {
            Insn::LdImm64 { .. } => 2,
            _ => 1,
        }
    }

    /// The full 64-bit constant of an `LD_IMM64`.
    pub fn imm64(imm: i32, imm2: i32) -> u64 {
        ((imm2 as u32 as u64) << 32) | imm as u32 as u64
    }

    /// Jump target index for an instruction at `pc`, where it has one.
    pub fn jump_target(&self, pc: usize) -> Option<i64> {
        match *self {
            Insn::Ja { off, .. } => Some(pc as i64 + 1 + off as i64),
            Insn::Jmp { off, .. } | Insn::MayGoto { off } => Some(pc as i64 + 1 + off as i64),
            Insn::Call { kind: CallKind::Local, imm } => Some(pc as i64 + 1 + imm as i64),
            _ => None,
        }
    }
}

/// A decoded program: one [`Insn`] per slot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    pub insns: alloc::vec::Vec<Insn>,
}

impl Program {
    pub fn len(&self) -> usize {
        self.insns.len()
    }
    pub fn is_empty(&self) -> bool {
        self.insns.is_empty()
    }
    pub fn to_raw(&self) -> alloc::vec::Vec<RawInsn> {
        encode::encode_program(&self.insns)
    }
    pub fn to_bytes(&self) -> alloc::vec::Vec<u8> {
        self.to_raw().iter().flat_map(|r| r.to_bytes()).collect()
    }
}
