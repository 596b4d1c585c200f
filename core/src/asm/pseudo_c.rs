//! The pseudo-C syntax the kernel's verifier log, `bpftool prog dump` and llvm-objdump print
//! (kernel/bpf/disasm.c; LLVM's BPFInstrInfo.td), as people write it:
//! `r0 = *(u32 *)(r1 + 4)`, `if w1 s< w2 goto out`, `call bpf_map_lookup_elem`,
//! `lock *(u64 *)(r10 -8) += r1`, `r1 = map[counts] ll`.

use super::cursor::{imm32_of, show, Cursor};
use super::lex::Tok;
use super::{AsmError, MapTable, Stmt, Target};
use crate::isa::helpers::helper_id;
use crate::isa::opcode::*;
use crate::isa::*;
use alloc::format;
use alloc::string::ToString;

/// A register `rN` or `wN`: (number, is 64-bit).
fn try_reg(c: &Cursor) -> Option<(u8, bool)> {
    match c.peek() {
        Some(Tok::Ident(s)) => {
            let (wide, n) = if let Some(n) = s.strip_prefix('r') {
                (true, n)
            } else if let Some(n) = s.strip_prefix('w') {
                (false, n)
            } else {
                return None;
            };
            if n.is_empty() || !n.chars().all(|ch| ch.is_ascii_digit()) {
                return None;
            }
            Some((n.parse::<u8>().ok().unwrap_or(255), wide))
        }
        _ => None,
    }
}

fn reg(c: &mut Cursor) -> Result<(u8, bool), AsmError> {
    let col = c.col();
    match try_reg(c) {
        Some((n, w)) if n <= 10 => {
            c.bump();
            Ok((n, w))
        }
        Some(_) => Err(c.error_at(
            col,
            "invalid register: registers are r0 to r10 (w0 to w10 for 32 bits)".to_string(),
        )),
        None => Err(c.expected("a register (r0 to r10 or w0 to w10)")),
    }
}

fn reg_width(c: &mut Cursor, wide: bool) -> Result<u8, AsmError> {
    let col = c.col();
    let (n, w) = reg(c)?;
    if w != wide {
        return Err(c.error_at(
            col,
            format!(
                "expected a {} register here, found a {} one",
                if wide { "64-bit r" } else { "32-bit w" },
                if w { "64-bit r" } else { "32-bit w" }
            ),
        ));
    }
    Ok(n)
}

/// `u8`/`u16`/`u32`/`u64` (and `s8`/`s16`/`s32` where `signed_ok`).
fn ctype(c: &mut Cursor, signed_ok: bool) -> Result<(Size, bool), AsmError> {
    let col = c.col();
    let t = c.ident().ok_or_else(|| c.expected("a type such as u32"))?;
    let r = match t {
        "u8" => (Size::B, false),
        "u16" => (Size::H, false),
        "u32" => (Size::W, false),
        "u64" => (Size::DW, false),
        "s8" if signed_ok => (Size::B, true),
        "s16" if signed_ok => (Size::H, true),
        "s32" if signed_ok => (Size::W, true),
        _ => {
            return Err(c.error_at(
                col,
                format!(
                    "expected u8, u16, u32 or u64{}, found `{t}`",
                    if signed_ok { " (or s8, s16, s32)" } else { "" }
                ),
            ))
        }
    };
    Ok(r)
}

/// `*(T *)(rN +off)` after the leading `*`; returns (size, signed, reg, off).
fn mem_ref(c: &mut Cursor, signed_ok: bool) -> Result<(Size, bool, u8, i16), AsmError> {
    c.expect("(")?;
    let (s, signed) = ctype(c, signed_ok)?;
    c.expect("*")?;
    c.expect(")")?;
    c.expect("(")?;
    let (r, _) = reg(c)?;
    let off = if matches!(c.peek(), Some(Tok::Punct("+")) | Some(Tok::Punct("-"))) {
        c.off16()?
    } else {
        0
    };
    c.expect(")")?;
    Ok((s, signed, r, off))
}

fn jump_target(c: &mut Cursor) -> Result<Target, AsmError> {
    let col = c.col();
    if c.eat_word("pc") {
        let (v, _) = c.number().ok_or_else(|| c.expected("an offset such as +2"))?;
        return Ok(Target::Rel(v as i64));
    }
    if let Some(l) = c.ident() {
        return Ok(Target::Label(l.to_string(), col));
    }
    match c.number() {
        Some((v, _)) => Ok(Target::Rel(v as i64)),
        None => Err(c.expected("a label or an offset such as +2")),
    }
}

fn plain(insn: Insn) -> Stmt {
    Stmt { insn, target: None }
}

pub(crate) fn parse(c: &mut Cursor, maps: &mut MapTable) -> Result<Stmt, AsmError> {
    if c.eat_word("exit") {
        return Ok(plain(Insn::Exit));
    }
    if c.eat_word("goto") {
        return Ok(Stmt { insn: Insn::Ja { off: 0, long: false }, target: Some(jump_target(c)?) });
    }
    if c.eat_word("gotol") {
        return Ok(Stmt { insn: Insn::Ja { off: 0, long: true }, target: Some(jump_target(c)?) });
    }
    if c.eat_word("may_goto") {
        return Ok(Stmt { insn: Insn::MayGoto { off: 0 }, target: Some(jump_target(c)?) });
    }
    if c.eat_word("call") {
        return call(c);
    }
    if c.eat_word("callx") {
        let (r, _) = reg(c)?;
        return Ok(plain(Insn::Callx { reg: r }));
    }
    if c.eat_word("if") {
        return cond_jump(c);
    }
    if c.eat_word("lock") {
        c.expect("*")?;
        let (size, _, dst, off) = mem_ref(c, false)?;
        let col = c.col();
        let op = match c.peek() {
            Some(Tok::Punct("+=")) => AtomicOp::Add,
            Some(Tok::Punct("|=")) => AtomicOp::Or,
            Some(Tok::Punct("&=")) => AtomicOp::And,
            Some(Tok::Punct("^=")) => AtomicOp::Xor,
            _ => return Err(c.expected("`+=`, `|=`, `&=` or `^=`")),
        };
        c.bump();
        if size != Size::W && size != Size::DW {
            return Err(c.error_at(col, "atomic operations work on u32 or u64 only".to_string()));
        }
        let (src, _) = reg(c)?;
        return Ok(plain(Insn::Atomic { size, op, fetch: false, dst, src, off }));
    }
    if c.eat("*") {
        let (size, _, dst, off) = mem_ref(c, false)?;
        c.expect("=")?;
        if try_reg(c).is_some() {
            let (src, _) = reg(c)?;
            return Ok(plain(Insn::Stx { size, dst, src, off }));
        }
        let imm = c.imm32()?;
        return Ok(plain(Insn::St { size, dst, off, imm }));
    }
    if try_reg(c).is_some() {
        return assign(c, maps);
    }
    Err(c.expected(
        "an instruction (`r0 = ...`, `if ...`, `goto`, `call`, `exit`, `*(u32 *)(...) = ...`)",
    ))
}

fn call(c: &mut Cursor) -> Result<Stmt, AsmError> {
    let col = c.col();
    if c.eat_word("pc") {
        let (v, _) = c.number().ok_or_else(|| c.expected("an offset such as +2"))?;
        let imm = i32::try_from(v)
            .map_err(|_| c.error_at(col, "call offset does not fit in 32 bits".to_string()))?;
        return Ok(plain(Insn::Call { kind: CallKind::Local, imm }));
    }
    if c.eat_word("kfunc") {
        c.expect("#")?;
        return Ok(plain(Insn::Call { kind: CallKind::Kfunc, imm: c.imm32()? }));
    }
    if let Some(name) = c.ident() {
        // `call bpf_map_lookup_elem#1` (as the log prints it): the id after `#` decides.
        if c.eat("#") {
            return Ok(plain(Insn::Call { kind: CallKind::Helper, imm: c.imm32()? }));
        }
        if let Some(id) = helper_id(name) {
            return Ok(plain(Insn::Call { kind: CallKind::Helper, imm: id }));
        }
        if name.starts_with("bpf_") {
            return Err(c.error_at(col, format!("unknown helper `{name}`")));
        }
        // Otherwise a bpf-to-bpf call to a label.
        return Ok(Stmt {
            insn: Insn::Call { kind: CallKind::Local, imm: 0 },
            target: Some(Target::Label(name.to_string(), col)),
        });
    }
    let imm = c.imm32()?;
    Ok(plain(Insn::Call { kind: CallKind::Helper, imm }))
}

fn cond_jump(c: &mut Cursor) -> Result<Stmt, AsmError> {
    let (dst, wide) = reg(c)?;
    let col = c.col();
    let cond = match c.peek() {
        Some(Tok::Punct(p)) => JmpCond::ALL.into_iter().find(|j| j.symbol() == *p),
        _ => None,
    }
    .ok_or_else(|| {
        c.error_at(
            col,
            "expected a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &)".to_string(),
        )
    })?;
    c.bump();
    let src = if try_reg(c).is_some() {
        Operand::Reg(reg_width(c, wide)?)
    } else {
        Operand::Imm(c.imm32()?)
    };
    if !c.eat_word("goto") {
        return Err(c.expected("`goto`"));
    }
    let t = jump_target(c)?;
    Ok(Stmt { insn: Insn::Jmp { jmp32: !wide, cond, dst, src, off: 0 }, target: Some(t) })
}

/// Statements that start with a register: ALU, moves, loads, atomics with a result.
fn assign(c: &mut Cursor, maps: &mut MapTable) -> Result<Stmt, AsmError> {
    let (dst, wide) = reg(c)?;
    let col = c.col();
    let op = match c.peek() {
        Some(Tok::Punct(p)) => AluOp::ALL.into_iter().find(|o| o.symbol() == *p),
        _ => None,
    }
    .ok_or_else(|| {
        c.error_at(col, "expected an assignment operator (=, +=, -=, ...)".to_string())
    })?;
    c.bump();
    if op != AluOp::Mov {
        let src = if try_reg(c).is_some() {
            Operand::Reg(reg_width(c, wide)?)
        } else {
            Operand::Imm(c.imm32()?)
        };
        return Ok(plain(Insn::Alu { alu64: wide, op, dst, src }));
    }
    // `rD = -rD`
    if matches!(c.peek(), Some(Tok::Punct("-"))) && try_reg_after(c, 1) {
        c.bump();
        let r = reg_width(c, wide)?;
        if r != dst {
            return Err(c.error_at(col, "negation is in place: write `rN = -rN`".to_string()));
        }
        return Ok(plain(Insn::Neg { alu64: wide, dst }));
    }
    // `rD = (s8)rS`
    if matches!(c.peek(), Some(Tok::Punct("("))) {
        c.bump();
        let tcol = c.col();
        let bits = match c.ident() {
            Some("s8") => 8,
            Some("s16") => 16,
            Some("s32") if wide => 32,
            _ => {
                return Err(c.error_at(
                    tcol,
                    "expected s8, s16 or s32 (64-bit only) in a sign-extending move".to_string(),
                ))
            }
        };
        c.expect(")")?;
        let src = reg_width(c, wide)?;
        return Ok(plain(Insn::MovSx { alu64: wide, dst, src, bits }));
    }
    // Loads: `rD = *(T *)(rS +off)`, `r0 = *(T *)skb[...]`.
    if c.eat("*") {
        c.expect("(")?;
        let (size, signed) = ctype(c, true)?;
        c.expect("*")?;
        c.expect(")")?;
        if c.eat_word("skb") {
            c.expect("[")?;
            if try_reg(c).is_some() {
                let (src, _) = reg(c)?;
                let imm = if matches!(c.peek(), Some(Tok::Punct("+")) | Some(Tok::Punct("-"))) {
                    c.imm32()?
                } else {
                    0
                };
                c.expect("]")?;
                return Ok(plain(Insn::LdInd { size, src, imm }));
            }
            let imm = c.imm32()?;
            c.expect("]")?;
            return Ok(plain(Insn::LdAbs { size, imm }));
        }
        c.expect("(")?;
        let (src, _) = reg(c)?;
        let off = if matches!(c.peek(), Some(Tok::Punct("+")) | Some(Tok::Punct("-"))) {
            c.off16()?
        } else {
            0
        };
        c.expect(")")?;
        if signed && size == Size::DW {
            return Err(c.error_at(col, "there is no s64 load; use u64".to_string()));
        }
        return Ok(plain(Insn::Ldx { size, signed, dst, src, off }));
    }
    if let Some(Tok::Ident(word)) = c.peek() {
        let word = word.clone();
        let wcol = c.col();
        // Byte order: `rD = be16 rD`, `le32`, `bswap64`.
        for (prefix, kind) in
            [("le", EndKind::ToLe), ("be", EndKind::ToBe), ("bswap", EndKind::Swap)]
        {
            if let Some(bits) = word.strip_prefix(prefix).and_then(|b| b.parse::<u8>().ok()) {
                if !matches!(bits, 16 | 32 | 64) {
                    return Err(
                        c.error_at(wcol, format!("`{word}`: the width must be 16, 32 or 64"))
                    );
                }
                c.bump();
                let (r, _) = reg(c)?;
                if r != dst {
                    return Err(c.error_at(
                        wcol,
                        "byte swaps are in place: write `rN = be16 rN`".to_string(),
                    ));
                }
                return Ok(plain(Insn::End { kind, bits, dst }));
            }
        }
        if let Some(rest) = word.strip_prefix("atomic") {
            c.bump();
            return atomic_call(c, dst, rest, wcol);
        }
        if let Some(st) = map_ref(c, dst, &word, maps)? {
            return Ok(st);
        }
        if try_reg(c).is_none() {
            return Err(c.error_at(wcol, format!("unexpected `{word}`: expected a register, a number, `*(T *)(...)`, `map[NAME]` or `atomic_...`")));
        }
    }
    if try_reg(c).is_some() {
        let src = reg_width(c, wide)?;
        return Ok(plain(Insn::Alu { alu64: wide, op: AluOp::Mov, dst, src: Operand::Reg(src) }));
    }
    // Constants: `rD = IMM` (mov), `rD = IMM ll` (LD_IMM64); a 64-bit value that does not fit
    // a sign-extended 32-bit move becomes an LD_IMM64 by itself.
    let ncol = c.col();
    let (v, hex) =
        c.number().ok_or_else(|| c.expected("a register, a number or a memory reference"))?;
    let ll = c.eat_word("ll");
    if ll || (wide && i32::try_from(v).is_err()) {
        if !wide {
            return Err(c.error_at(ncol, "a 64-bit constant needs an r register".to_string()));
        }
        if v < i64::MIN as i128 || v > u64::MAX as i128 {
            return Err(
                c.error_at(ncol, format!("constant {} does not fit in 64 bits", show(v, hex)))
            );
        }
        let u = v as u64;
        return Ok(plain(Insn::LdImm64 {
            dst,
            pseudo: 0,
            imm: u as u32 as i32,
            imm2: (u >> 32) as u32 as i32,
        }));
    }
    let imm = imm32_of(v, hex).ok_or_else(|| {
        c.error_at(ncol, format!("constant {} does not fit in 32 bits", show(v, hex)))
    })?;
    Ok(plain(Insn::Alu { alu64: wide, op: AluOp::Mov, dst, src: Operand::Imm(imm) }))
}

fn try_reg_after(c: &Cursor, n: usize) -> bool {
    matches!(c.peek_at(n), Some(Tok::Ident(s)) if (s.starts_with('r') || s.starts_with('w')) && s.len() > 1 && s[1..].chars().all(|ch| ch.is_ascii_digit()))
}

/// `map[NAME]`, `map_value[NAME]+OFF`, `map_fd[N]`, `map_value_fd[N]+OFF`, `map_idx[N]`,
/// `map_idx_value[N]+OFF`, `btf_id[N]`, `subprog[+N]` / `subprog[LABEL]`; `ll` optional.
fn map_ref(
    c: &mut Cursor,
    dst: u8,
    word: &str,
    maps: &mut MapTable,
) -> Result<Option<Stmt>, AsmError> {
    let pseudo = match word {
        "map" | "map_fd" => PSEUDO_MAP_FD,
        "map_value" | "map_value_fd" => PSEUDO_MAP_VALUE,
        "map_idx" => PSEUDO_MAP_IDX,
        "map_idx_value" => PSEUDO_MAP_IDX_VALUE,
        "btf_id" => PSEUDO_BTF_ID,
        "subprog" => PSEUDO_FUNC,
        _ => return Ok(None),
    };
    if !matches!(c.peek_at(1), Some(Tok::Punct("["))) {
        return Ok(None);
    }
    c.bump();
    c.expect("[")?;
    let mut target = None;
    let imm = if word == "map" || word == "map_value" {
        let ncol = c.col();
        let name = c.ident().ok_or_else(|| c.expected("a map name"))?;
        if name.starts_with('%') {
            return Err(c.error_at(ncol, format!("`{name}` is not a map name")));
        }
        maps.index(name)
    } else if word == "subprog" && matches!(c.peek(), Some(Tok::Ident(_))) {
        let ncol = c.col();
        let l = c.ident().unwrap_or_default();
        target = Some(Target::Label(l.to_string(), ncol));
        0
    } else {
        c.imm32()?
    };
    c.expect("]")?;
    let imm2 = if matches!(
        pseudo,
        PSEUDO_MAP_VALUE | PSEUDO_MAP_IDX_VALUE | PSEUDO_BTF_ID | PSEUDO_FUNC
    ) {
        if matches!(c.peek(), Some(Tok::Punct("+")) | Some(Tok::Punct("-"))) {
            c.imm32()?
        } else {
            0
        }
    } else {
        0
    };
    c.eat_word("ll");
    Ok(Some(Stmt { insn: Insn::LdImm64 { dst, pseudo, imm, imm2 }, target }))
}

/// After `rD = atomic`: `[64]_fetch_OP((T *)(rX +off), rS)`, `[64]_xchg(...)`,
/// `[64]_cmpxchg((T *)(rX +off), r0, rS)`.
fn atomic_call(c: &mut Cursor, dst: u8, rest: &str, col: usize) -> Result<Stmt, AsmError> {
    let rest = rest.strip_prefix("64").unwrap_or(rest);
    let name = rest.strip_prefix('_').unwrap_or("");
    let (op, fetch) = match name {
        "fetch_add" => (AtomicOp::Add, true),
        "fetch_or" => (AtomicOp::Or, true),
        "fetch_and" => (AtomicOp::And, true),
        "fetch_xor" => (AtomicOp::Xor, true),
        "xchg" => (AtomicOp::Xchg, true),
        "cmpxchg" => (AtomicOp::Cmpxchg, true),
        _ => return Err(c.error_at(col, "expected atomic_fetch_add/or/and/xor, atomic_xchg or atomic_cmpxchg (atomic64_... for u64)".to_string())),
    };
    c.expect("(")?;
    c.expect("(")?;
    let (size, _) = ctype(c, false)?;
    c.expect("*")?;
    c.expect(")")?;
    c.expect("(")?;
    let (mdst, _) = reg(c)?;
    let off = if matches!(c.peek(), Some(Tok::Punct("+")) | Some(Tok::Punct("-"))) {
        c.off16()?
    } else {
        0
    };
    c.expect(")")?;
    c.expect(",")?;
    if op == AtomicOp::Cmpxchg {
        let rcol = c.col();
        let (r0, _) = reg(c)?;
        if r0 != 0 || dst != 0 {
            return Err(c.error_at(rcol, "cmpxchg compares with r0 and returns into r0: `r0 = atomic64_cmpxchg((u64 *)(rX +off), r0, rY)`".to_string()));
        }
        c.expect(",")?;
    }
    let scol = c.col();
    let (src, _) = reg(c)?;
    c.expect(")")?;
    if op != AtomicOp::Cmpxchg && src != dst {
        return Err(c.error_at(
            scol,
            format!(
                "the result goes to the source register: write `r{src} = atomic_...(..., r{src})`"
            ),
        ));
    }
    if size != Size::W && size != Size::DW {
        return Err(c.error_at(col, "atomic operations work on u32 or u64 only".to_string()));
    }
    Ok(plain(Insn::Atomic { size, op, fetch, dst: mdst, src, off }))
}
