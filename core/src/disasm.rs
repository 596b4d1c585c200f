//! The kernel's disassembly (kernel/bpf/disasm.c, `print_bpf_insn`), as the verifier log shows it:
//! `(bf) r6 = r1`, `(61) r0 = *(u32 *)(r1 +0)`, `(85) call bpf_map_lookup_elem#1`.
//!
//! Two departures, both for the sake of a playground: map references print by name
//! (`map[counts]`, where the kernel prints a kernel address), and [`Style::source`] adds ` ll`
//! to `LD_IMM64` as LLVM does, so that the text assembles back to the same bytes.

use crate::isa::helpers::helper_name;
use crate::isa::opcode::*;
use crate::isa::RawInsn;
use crate::isa::*;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// Names for map references in `LD_IMM64`: `index` is the map's index (`imm` of the pseudo
/// forms, the fd position in bpfplay).
pub trait Symbols {
    fn map_name(&self, _index: i32) -> Option<&str> {
        None
    }
}

impl Symbols for () {}

impl<S: AsRef<str>> Symbols for [S] {
    fn map_name(&self, index: i32) -> Option<&str> {
        self.get(usize::try_from(index).ok()?).map(|s| s.as_ref())
    }
}

impl<S: AsRef<str>> Symbols for Vec<S> {
    fn map_name(&self, index: i32) -> Option<&str> {
        self.as_slice().map_name(index)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Print the `(xx)` opcode prefix.
    pub opcode: bool,
    /// Print `LD_IMM64` with a trailing ` ll`.
    pub ll: bool,
}

impl Style {
    /// The verifier log's form: `(b7) r0 = 0`.
    pub const fn kernel() -> Self {
        Style { opcode: true, ll: false }
    }
    /// Assembler-ready: no opcode prefix, `ll` on 64-bit constants.
    pub const fn source() -> Self {
        Style { opcode: false, ll: true }
    }
}

fn ldimm64_text(
    dst: u8,
    pseudo: u8,
    imm: i32,
    imm2: i32,
    syms: &(impl Symbols + ?Sized),
    source: bool,
) -> String {
    let name = |i: i32| syms.map_name(i).map(String::from);
    let body = match pseudo {
        PSEUDO_MAP_FD => match name(imm) {
            Some(n) => format!("map[{n}]"),
            None => format!("map_fd[{imm}]"),
        },
        PSEUDO_MAP_VALUE => match name(imm) {
            Some(n) => format!("map_value[{n}]{:+}", imm2),
            None => format!("map_value_fd[{imm}]{:+}", imm2),
        },
        PSEUDO_MAP_IDX => format!("map_idx[{imm}]"),
        PSEUDO_MAP_IDX_VALUE => format!("map_idx_value[{imm}]{:+}", imm2),
        // The second half is the BTF object's fd; shown only where set.
        PSEUDO_BTF_ID if imm2 != 0 => format!("btf_id[{imm}]{imm2:+}"),
        PSEUDO_BTF_ID => format!("btf_id[{imm}]"),
        // The kernel prints a callback's address as its raw constant (the relative offset).
        PSEUDO_FUNC if !source => format!("{:#x}", Insn::imm64(imm, imm2)),
        PSEUDO_FUNC if imm2 != 0 => format!("subprog[{imm:+}]{imm2:+}"),
        PSEUDO_FUNC => format!("subprog[{imm:+}]"),
        _ => format!("{:#x}", Insn::imm64(imm, imm2)),
    };
    format!("r{dst} = {body}")
}

/// Disassembles one instruction (without the index); `None` for an `LD_IMM64` tail.
/// The text is the kernel printer's ([`raw_text`]) on the encoded instruction, except for
/// `callx`, which the kernel cannot print and the assembler must read back.
pub fn insn_text(insn: &Insn, style: Style, syms: &(impl Symbols + ?Sized)) -> Option<String> {
    let raw = encode::encode(insn);
    let mut s = match *insn {
        Insn::Imm64Tail => return None,
        Insn::Callx { reg } => format!("({:02x}) callx r{reg}", raw.code),
        // Listings name a callback as the assembler reads it (`subprog[+N]`); only the
        // verifier log, which prints raw_text, writes the kernel's bare constant.
        Insn::LdImm64 { dst, pseudo: PSEUDO_FUNC, imm, imm2 } => {
            let t = ldimm64_text(dst, PSEUDO_FUNC, imm, imm2, syms, true);
            format!("({:02x}) {t}", raw.code)
        }
        Insn::LdImm64 { imm2, .. } => raw_text(raw, Some(RawInsn::new(0, 0, 0, 0, imm2)), syms),
        _ => raw_text(raw, None, syms),
    };
    if !style.opcode {
        s.replace_range(..5, "");
    }
    if style.ll && matches!(insn, Insn::LdImm64 { .. }) {
        s.push_str(" ll");
    }
    Some(s)
}

/// One disassembled line per instruction (the `LD_IMM64` tail has none): `(index, text)`.
pub fn disassemble(
    prog: &Program,
    style: Style,
    syms: &(impl Symbols + ?Sized),
) -> Vec<(usize, String)> {
    prog.insns
        .iter()
        .enumerate()
        .filter_map(|(i, insn)| insn_text(insn, style, syms).map(|t| (i, t)))
        .collect()
}

/// The listing the kernel log and `bpftool prog dump xlated` show: `3: (15) if r0 == 0x0 goto pc+2`.
pub fn listing(prog: &Program, syms: &(impl Symbols + ?Sized)) -> String {
    let mut out = String::new();
    for (i, t) in disassemble(prog, Style::kernel(), syms) {
        let _ = writeln!(out, "{i}: {t}");
    }
    out
}

/// The kernel's `print_bpf_insn` on raw fields, whatever they hold (the verifier log prints
/// instructions before it checks their reserved fields, and `BUG_..` for what it cannot
/// print). Map references print by name.
pub fn raw_text(r: RawInsn, next: Option<RawInsn>, syms: &(impl Symbols + ?Sized)) -> String {
    let c = r.code;
    let cls = class(c);
    let w = |alu: bool| if alu { 'w' } else { 'r' };
    let sz = Size::from_code(c);
    let mut s = format!("({c:02x}) ");
    let _ = match cls {
        CLS_ALU | CLS_ALU64 => {
            let alu32 = cls == CLS_ALU;
            let o = op(c);
            if o == ALU_END {
                if cls == CLS_ALU64 {
                    write!(s, "r{} = bswap{} r{}", r.dst, r.imm, r.dst)
                } else {
                    write!(
                        s,
                        "r{} = {}{} r{}",
                        r.dst,
                        if src(c) == SRC_X { "be" } else { "le" },
                        r.imm,
                        r.dst
                    )
                }
            } else if o == ALU_NEG {
                write!(s, "{}{} = -{}{}", w(alu32), r.dst, w(alu32), r.dst)
            } else if cls == CLS_ALU64 && o == ALU_MOV && src(c) == SRC_X && r.off == 1 {
                write!(
                    s,
                    "r{} = addr_space_cast(r{}, {}, {})",
                    r.dst,
                    r.src,
                    (r.imm as u32) >> 16,
                    r.imm as u16
                )
            } else {
                let sym = if (o == ALU_DIV || o == ALU_MOD) && r.off == 1 {
                    if o == ALU_DIV {
                        "s/="
                    } else {
                        "s%="
                    }
                } else {
                    [
                        "+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=",
                        "s>>=", "endian", "BUG", "BUG",
                    ][(o >> 4) as usize]
                };
                if src(c) == SRC_X {
                    let sx = if o == ALU_MOV && matches!(r.off, 8 | 16 | 32) {
                        match r.off {
                            8 => "(s8)",
                            16 => "(s16)",
                            _ => "(s32)",
                        }
                    } else {
                        ""
                    };
                    write!(s, "{}{} {} {}{}{}", w(alu32), r.dst, sym, sx, w(alu32), r.src)
                } else {
                    write!(s, "{}{} {} {}", w(alu32), r.dst, sym, r.imm)
                }
            }
        }
        CLS_STX => {
            let t = sz.utype();
            let bits = if sz == Size::DW { "64" } else { "" };
            if mode(c) == MODE_MEM {
                write!(s, "*({t} *)(r{} {:+}) = r{}", r.dst, r.off, r.src)
            } else if mode(c) == MODE_ATOMIC {
                let name = |i: i32| match i & !ATOMIC_FETCH {
                    0x00 => Some(("+=", "add")),
                    0x40 => Some(("|=", "or")),
                    0x50 => Some(("&=", "and")),
                    0xa0 => Some(("^=", "xor")),
                    _ => None,
                };
                match (r.imm, name(r.imm)) {
                    (i, Some((sym, _))) if i & ATOMIC_FETCH == 0 => {
                        write!(s, "lock *({t} *)(r{} {:+}) {sym} r{}", r.dst, r.off, r.src)
                    }
                    (_, Some((_, n))) if r.imm & 0xf0 != 0xe0 && r.imm & 0xf0 != 0xf0 => {
                        write!(
                            s,
                            "r{} = atomic{bits}_fetch_{n}(({t} *)(r{} {:+}), r{})",
                            r.src, r.dst, r.off, r.src
                        )
                    }
                    (ATOMIC_CMPXCHG, _) => write!(
                        s,
                        "r0 = atomic{bits}_cmpxchg(({t} *)(r{} {:+}), r0, r{})",
                        r.dst, r.off, r.src
                    ),
                    (ATOMIC_XCHG, _) => write!(
                        s,
                        "r{} = atomic{bits}_xchg(({t} *)(r{} {:+}), r{})",
                        r.src, r.dst, r.off, r.src
                    ),
                    _ => {
                        s.clear();
                        write!(s, "BUG_{c:02x}")
                    }
                }
            } else {
                s.clear();
                write!(s, "BUG_{c:02x}")
            }
        }
        CLS_ST => {
            if mode(c) == MODE_MEM {
                write!(s, "*({} *)(r{} {:+}) = {}", sz.utype(), r.dst, r.off, r.imm)
            } else {
                s.clear();
                write!(s, "BUG_st_{c:02x}")
            }
        }
        CLS_LDX => {
            if mode(c) == MODE_MEM || mode(c) == MODE_MEMSX {
                let t = if mode(c) == MODE_MEM { sz.utype() } else { sz.stype() };
                write!(s, "r{} = *({t} *)(r{} {:+})", r.dst, r.src, r.off)
            } else {
                s.clear();
                write!(s, "BUG_ldx_{c:02x}")
            }
        }
        CLS_LD => match mode(c) {
            MODE_ABS => write!(s, "r0 = *({} *)skb[{}]", sz.utype(), r.imm),
            MODE_IND => write!(s, "r0 = *({} *)skb[r{} + {}]", sz.utype(), r.src, r.imm),
            MODE_IMM if sz == Size::DW => {
                let imm2 = next.map(|n| n.imm).unwrap_or(0);
                let t = ldimm64_text(r.dst, r.src, r.imm, imm2, syms, false);
                write!(s, "{t}")
            }
            _ => {
                s.clear();
                write!(s, "BUG_ld_{c:02x}")
            }
        },
        _ => {
            // JMP, JMP32
            let o = op(c);
            let cw = if cls == CLS_JMP32 { 'w' } else { 'r' };
            if o == JMP_CALL {
                if r.src == PSEUDO_CALL {
                    write!(s, "call pc{:+}", r.imm)
                } else if r.src == PSEUDO_KFUNC_CALL {
                    write!(s, "call kfunc#{}", r.imm)
                } else {
                    let name = if r.src == 0 { helper_name(r.imm) } else { None };
                    write!(s, "call {}#{}", name.unwrap_or("unknown"), r.imm)
                }
            } else if c == CLS_JMP | JMP_JA {
                write!(s, "goto pc{:+}", r.off)
            } else if c == CLS_JMP | JMP_JCOND && r.src == 0 {
                write!(s, "may_goto pc{:+}", r.off)
            } else if c == CLS_JMP32 | JMP_JA {
                write!(s, "gotol pc{:+}", r.imm)
            } else if c == CLS_JMP | JMP_EXIT {
                write!(s, "exit")
            } else {
                let sym = [
                    "jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=",
                    "s<", "s<=", "(null)", "(null)",
                ][(o >> 4) as usize];
                if src(c) == SRC_X {
                    write!(s, "if {cw}{} {sym} {cw}{} goto pc{:+}", r.dst, r.src, r.off)
                } else {
                    write!(s, "if {cw}{} {sym} {:#x} goto pc{:+}", r.dst, r.imm as u32, r.off)
                }
            }
        }
    };
    s
}
