//! The uBPF assembly syntax used by the conformance suite (ubpf's assembler, plus the suite's
//! v4 additions): `mov %r0, 1`, `ldxw %r0, [%r1+4]`, `jne %r0, %r1, label`,
//! `lock fetch add [%r10-8], %r1`, `call local f`, `movsx832 %r0, %r1`.

use super::cursor::Cursor;
use super::lex::Tok;
use super::{AsmError, MapTable, Stmt, Target};
use crate::isa::*;
use alloc::format;
use alloc::string::ToString;

fn reg(c: &mut Cursor) -> Result<u8, AsmError> {
    let col = c.col();
    match c.peek() {
        Some(Tok::Ident(s)) if s.starts_with("%r") => {
            let n = s[2..].parse::<u8>().ok().filter(|&n| n <= 10);
            match n {
                Some(n) => {
                    c.bump();
                    Ok(n)
                }
                None => Err(
                    c.error_at(col, format!("invalid register `{s}`: registers are %r0 to %r10"))
                ),
            }
        }
        _ => Err(c.expected("a register (%r0 to %r10)")),
    }
}

fn comma(c: &mut Cursor) -> Result<(), AsmError> {
    c.expect(",")
}

/// `[%rN+off]`, `[%rN-off]` or `[%rN]`.
fn mem(c: &mut Cursor) -> Result<(u8, i16), AsmError> {
    c.expect("[")?;
    let r = reg(c)?;
    let off = if matches!(c.peek(), Some(Tok::Punct("+")) | Some(Tok::Punct("-"))) {
        c.off16()?
    } else {
        0
    };
    c.expect("]")?;
    Ok((r, off))
}

fn reg_or_imm(c: &mut Cursor) -> Result<Operand, AsmError> {
    if matches!(c.peek(), Some(Tok::Ident(s)) if s.starts_with('%')) {
        Ok(Operand::Reg(reg(c)?))
    } else if matches!(
        c.peek(),
        Some(Tok::Num { .. }) | Some(Tok::Punct("-")) | Some(Tok::Punct("+"))
    ) {
        Ok(Operand::Imm(c.imm32()?))
    } else {
        Err(c.expected("a register or a number"))
    }
}

fn target(c: &mut Cursor) -> Result<Target, AsmError> {
    let col = c.col();
    if let Some(l) = c.ident() {
        if l.starts_with('%') {
            return Err(c.error_at(col, format!("expected a label or an offset, found `{l}`")));
        }
        return Ok(Target::Label(l.to_string(), col));
    }
    match c.number() {
        Some((v, _)) => Ok(Target::Rel(v as i64)),
        None => Err(c.expected("a label or an offset")),
    }
}

fn size_of(s: &str) -> Option<Size> {
    Some(match s {
        "b" => Size::B,
        "h" => Size::H,
        "w" => Size::W,
        "dw" => Size::DW,
        _ => return None,
    })
}

fn plain(insn: Insn) -> Stmt {
    Stmt { insn, target: None }
}

pub(crate) fn parse(c: &mut Cursor, _maps: &mut MapTable) -> Result<Stmt, AsmError> {
    let col = c.col();
    let word = c.ident().ok_or_else(|| c.expected("an instruction mnemonic"))?;
    let unknown = || c.error_at(col, format!("unknown mnemonic `{word}`"));
    let (base, w32) = match word.strip_suffix("32") {
        Some(b) if !b.is_empty() && !b.ends_with(|ch: char| ch.is_ascii_digit()) => (b, true),
        _ => (word, false),
    };
    if let Some(op) = AluOp::ALL.into_iter().find(|o| o.mnemonic() == base) {
        let dst = reg(c)?;
        comma(c)?;
        let src = reg_or_imm(c)?;
        return Ok(plain(Insn::Alu { alu64: !w32, op, dst, src }));
    }
    if base == "neg" {
        return Ok(plain(Insn::Neg { alu64: !w32, dst: reg(c)? }));
    }
    if let Some(cond) = JmpCond::ALL.into_iter().find(|j| j.mnemonic() == base) {
        let dst = reg(c)?;
        comma(c)?;
        let src = reg_or_imm(c)?;
        comma(c)?;
        let t = target(c)?;
        return Ok(Stmt {
            insn: Insn::Jmp { jmp32: w32, cond, dst, src, off: 0 },
            target: Some(t),
        });
    }
    match word {
        "exit" => return Ok(plain(Insn::Exit)),
        "ja" | "ja32" => {
            let t = target(c)?;
            return Ok(Stmt { insn: Insn::Ja { off: 0, long: word == "ja32" }, target: Some(t) });
        }
        "call" => {
            if c.eat_word("local") {
                let t = target(c)?;
                return Ok(Stmt {
                    insn: Insn::Call { kind: CallKind::Local, imm: 0 },
                    target: Some(t),
                });
            }
            if matches!(c.peek(), Some(Tok::Ident(s)) if s.starts_with('%')) {
                return Ok(plain(Insn::Callx { reg: reg(c)? }));
            }
            let imm = c.imm32()?;
            return Ok(plain(Insn::Call { kind: CallKind::Helper, imm }));
        }
        "lddw" => {
            let dst = reg(c)?;
            comma(c)?;
            let ncol = c.col();
            let (v, _) = c.number().ok_or_else(|| c.expected("a 64-bit number"))?;
            if v < i64::MIN as i128 || v > u64::MAX as i128 {
                return Err(c.error_at(ncol, format!("immediate {v} does not fit in 64 bits")));
            }
            let v = v as u64;
            return Ok(plain(Insn::LdImm64 {
                dst,
                pseudo: 0,
                imm: v as u32 as i32,
                imm2: (v >> 32) as u32 as i32,
            }));
        }
        "lock" => return lock(c),
        _ => {}
    }
    for (prefix, kind) in [
        ("le", EndKind::ToLe),
        ("be", EndKind::ToBe),
        ("bswap", EndKind::Swap),
        ("swap", EndKind::Swap),
    ] {
        if let Some(bits) = word.strip_prefix(prefix).and_then(|b| b.parse::<u8>().ok()) {
            if matches!(bits, 16 | 32 | 64) {
                return Ok(plain(Insn::End { kind, bits, dst: reg(c)? }));
            }
        }
    }
    if let Some(spec) = word.strip_prefix("movsx") {
        let (bits, alu64) = match spec {
            "832" => (8, false),
            "864" => (8, true),
            "1632" => (16, false),
            "1664" => (16, true),
            "3264" => (32, true),
            _ => return Err(unknown()),
        };
        let dst = reg(c)?;
        comma(c)?;
        let src = reg(c)?;
        return Ok(plain(Insn::MovSx { alu64, dst, src, bits }));
    }
    if let Some(s) = word.strip_prefix("ldxs").and_then(size_of) {
        if s == Size::DW {
            return Err(unknown());
        }
        let dst = reg(c)?;
        comma(c)?;
        let (src, off) = mem(c)?;
        return Ok(plain(Insn::Ldx { size: s, signed: true, dst, src, off }));
    }
    if let Some(s) = word.strip_prefix("ldx").and_then(size_of) {
        let dst = reg(c)?;
        comma(c)?;
        let (src, off) = mem(c)?;
        return Ok(plain(Insn::Ldx { size: s, signed: false, dst, src, off }));
    }
    if let Some(s) = word.strip_prefix("stx").and_then(size_of) {
        let (dst, off) = mem(c)?;
        comma(c)?;
        let src = reg(c)?;
        return Ok(plain(Insn::Stx { size: s, dst, src, off }));
    }
    if let Some(s) = word.strip_prefix("st").and_then(size_of) {
        let (dst, off) = mem(c)?;
        comma(c)?;
        let imm = c.imm32()?;
        return Ok(plain(Insn::St { size: s, dst, off, imm }));
    }
    if let Some(s) = word.strip_prefix("ldabs").and_then(size_of) {
        return Ok(plain(Insn::LdAbs { size: s, imm: c.imm32()? }));
    }
    if let Some(s) = word.strip_prefix("ldind").and_then(size_of) {
        let src = reg(c)?;
        comma(c)?;
        return Ok(plain(Insn::LdInd { size: s, src, imm: c.imm32()? }));
    }
    Err(unknown())
}

/// `lock [fetch] OP[32] [%rD+off], %rS`.
fn lock(c: &mut Cursor) -> Result<Stmt, AsmError> {
    let fetch = c.eat_word("fetch");
    let col = c.col();
    let word = c
        .ident()
        .ok_or_else(|| c.expected("an atomic operation (add, or, and, xor, xchg, cmpxchg)"))?;
    let (base, w32) = match word.strip_suffix("32") {
        Some(b) => (b, true),
        None => (word, false),
    };
    let op = match base {
        "add" => AtomicOp::Add,
        "or" => AtomicOp::Or,
        "and" => AtomicOp::And,
        "xor" => AtomicOp::Xor,
        "xchg" => AtomicOp::Xchg,
        "cmpxchg" => AtomicOp::Cmpxchg,
        _ => return Err(c.error_at(col, format!("unknown atomic operation `{word}`"))),
    };
    if c.at_end() {
        return Err(c.expected("the operands of lock: [%rN+off], %rM"));
    }
    let (dst, off) = mem(c)?;
    comma(c)?;
    let src = reg(c)?;
    let fetch = fetch || matches!(op, AtomicOp::Xchg | AtomicOp::Cmpxchg);
    Ok(plain(Insn::Atomic { size: if w32 { Size::W } else { Size::DW }, op, fetch, dst, src, off }))
}
