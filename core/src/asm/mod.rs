//! The assembler: the kernel/LLVM pseudo-C syntax (`r0 = *(u32 *)(r1 +4)`) and the uBPF syntax
//! of the conformance suite (`ldxw %r0, [%r1+4]`), line by line, mixed freely.
//!
//! Beyond instructions a source may hold labels (`name:`), comments (`//`, `;`, and `#` at the
//! start of a line or after a space), pasted verifier-log lines (a leading `12:` index and
//! `(bf)` opcode are skipped) and map declarations (`map NAME: ...`, kept as text for the
//! caller; see [`MapDecl`]). Map references name a map: `r1 = map[counts] ll`.

mod cursor;
mod lex;
mod pseudo_c;
mod ubpf;

use crate::isa::opcode::{CLS_LD, MODE_IMM, SZ_DW};
use crate::isa::*;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use cursor::Cursor;

/// An assembly error at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsmError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.col, self.message)
    }
}

/// A `map NAME: SPEC` line of the source; SPEC is interpreted by the map layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapDecl {
    pub name: String,
    pub spec: String,
    pub line: usize,
}

/// The result of assembling: the program, the maps it refers to (index = the `imm` of map
/// references), declarations found in the source, and the source line of every slot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assembled {
    pub program: Program,
    pub maps: Vec<String>,
    pub map_decls: Vec<MapDecl>,
    pub lines: Vec<usize>,
}

/// Where a jump or local call goes, before labels are known.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    Label(String, usize),
    Rel(i64),
}

/// One parsed statement: the instruction and, for jumps and local calls, its target.
pub(crate) struct Stmt {
    pub insn: Insn,
    pub target: Option<Target>,
}

/// Maps referred to by name, in order of first use (or declaration).
pub(crate) struct MapTable {
    pub names: Vec<String>,
}

impl MapTable {
    pub fn index(&mut self, name: &str) -> i32 {
        match self.names.iter().position(|n| n == name) {
            Some(i) => i as i32,
            None => {
                self.names.push(name.to_string());
                (self.names.len() - 1) as i32
            }
        }
    }
}

/// Upper bound on source size handled, so hostile input cannot take unbounded time.
pub const MAX_SOURCE_BYTES: usize = 4 << 20;
/// The kernel's BPF_COMPLEXITY_LIMIT_INSNS bounds programs; assembly allows the same.
pub const MAX_SLOTS: usize = 1_000_000;

/// Skips `12:` and `(bf)` of a pasted verifier-log or bpftool line; returns how many
/// characters were skipped (for error columns), the opcode the `(bf)` named, and the rest.
fn strip_log_prefix(line: &str) -> (usize, Option<u8>, &str) {
    let mut rest = line.trim_start();
    let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && rest[digits..].starts_with(':') {
        rest = rest[digits + 1..].trim_start();
    }
    let b = rest.as_bytes();
    let mut opcode = None;
    if b.len() >= 4
        && b[0] == b'('
        && b[3] == b')'
        && b[1].is_ascii_hexdigit()
        && b[2].is_ascii_hexdigit()
    {
        opcode = u8::from_str_radix(&rest[1..3], 16).ok();
        rest = rest[4..].trim_start();
    }
    (line.len() - rest.len(), opcode, rest)
}

/// The kernel prints an `LD_IMM64` of a small constant as `(18) r3 = 0xf000f00`, which reads
/// as a 32-bit-immediate move; its opcode says it is the two-slot load, so a kernel listing
/// reassembles to the same bytes.
fn as_listed(insn: Insn, opcode: Option<u8>) -> Insn {
    match insn {
        Insn::Alu { alu64: true, op: AluOp::Mov, dst, src: Operand::Imm(imm) }
            if opcode == Some(CLS_LD | MODE_IMM | SZ_DW) =>
        {
            Insn::LdImm64 { dst, pseudo: 0, imm, imm2: if imm < 0 { -1 } else { 0 } }
        }
        other => other,
    }
}

/// Assembles `src`; map references get indexes in order of first mention.
pub fn assemble(src: &str) -> Result<Assembled, AsmError> {
    assemble_with_maps(src, &[])
}

/// Assembles `src` with `maps` known in advance (their positions are their indexes).
pub fn assemble_with_maps(src: &str, maps: &[String]) -> Result<Assembled, AsmError> {
    if src.len() > MAX_SOURCE_BYTES {
        return Err(AsmError {
            line: 1,
            col: 1,
            message: format!(
                "source is too large ({} bytes, limit {})",
                src.len(),
                MAX_SOURCE_BYTES
            ),
        });
    }
    let mut table = MapTable { names: maps.to_vec() };
    let mut stmts: Vec<(Stmt, usize)> = Vec::new();
    let mut labels: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut decls = Vec::new();
    let mut slot = 0usize;
    for (ln0, raw_line) in src.lines().enumerate() {
        let ln = ln0 + 1;
        let err = |col: usize, message: String| AsmError { line: ln, col, message };
        let line = lex::strip_comment(raw_line);
        if line.trim().is_empty() {
            continue;
        }
        // Conformance-file section headers are not instructions.
        if line.trim_start().starts_with("--") {
            return Err(err(1, format!("unknown directive `{}`", line.trim())));
        }
        if let Some(rest) = line.trim_start().strip_prefix("map ") {
            let (name, spec) = rest
                .split_once(':')
                .ok_or_else(|| err(1, "expected `map NAME: KIND key=N value=N max=N`".into()))?;
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(err(5, format!("map name `{name}` must be letters, digits and `_`")));
            }
            if decls.iter().any(|d: &MapDecl| d.name == name) {
                return Err(err(5, format!("map `{name}` is declared twice")));
            }
            table.index(name);
            decls.push(MapDecl { name: name.to_string(), spec: spec.trim().to_string(), line: ln });
            continue;
        }
        let (skipped, opcode, line) = strip_log_prefix(line);
        let toks = lex::lex(line).map_err(|(c, m)| err(c + skipped, m))?;
        let toks: Vec<lex::Token> = toks
            .into_iter()
            .map(|mut t| {
                t.col += skipped;
                t
            })
            .collect();
        let mut cur = Cursor::new(&toks, ln, skipped + line.chars().count() + 1);
        // Labels: `name:` (several may share a line with an instruction).
        while let Some(name) = cur.label() {
            let col = cur.prev_col();
            if labels.insert(name.clone(), (slot, ln)).is_some() {
                return Err(err(col, format!("label `{name}` is defined twice")));
            }
        }
        if cur.at_end() {
            continue;
        }
        let mut st = if cur.looks_ubpf() {
            ubpf::parse(&mut cur, &mut table)?
        } else {
            pseudo_c::parse(&mut cur, &mut table)?
        };
        st.insn = as_listed(st.insn, opcode);
        cur.expect_end()?;
        slot += st.insn.slots();
        if slot > MAX_SLOTS {
            return Err(err(
                1,
                format!("program is too large: more than {MAX_SLOTS} instructions"),
            ));
        }
        stmts.push((st, ln));
    }
    // Second pass: resolve targets to offsets.
    let mut insns = Vec::with_capacity(slot);
    let mut lines = Vec::with_capacity(slot);
    for (st, ln) in stmts {
        let pc = insns.len() as i64;
        let mut insn = st.insn;
        if let Some(t) = st.target {
            let off = match t {
                Target::Rel(o) => o,
                Target::Label(name, col) => match labels.get(&name) {
                    Some(&(at, _)) => at as i64 - pc - 1,
                    None => {
                        return Err(AsmError {
                            line: ln,
                            col,
                            message: format!("label `{name}` is not defined"),
                        })
                    }
                },
            };
            let range16 = |o: i64| -> Result<i16, AsmError> {
                i16::try_from(o).map_err(|_| AsmError {
                    line: ln,
                    col: 1,
                    message: format!("jump offset {o} does not fit in 16 bits; use gotol"),
                })
            };
            let range32 = |o: i64| -> Result<i32, AsmError> {
                i32::try_from(o).map_err(|_| AsmError {
                    line: ln,
                    col: 1,
                    message: format!("offset {o} does not fit in 32 bits"),
                })
            };
            match &mut insn {
                Insn::Ja { off: o, long } => {
                    *o = if *long { range32(off)? } else { range16(off)? as i32 }
                }
                Insn::Jmp { off: o, .. } | Insn::MayGoto { off: o } => *o = range16(off)?,
                Insn::Call { imm, .. } => *imm = range32(off)?,
                Insn::LdImm64 { imm, .. } => *imm = range32(off)?,
                _ => {}
            }
        }
        insns.push(insn);
        lines.push(ln);
        if let Insn::LdImm64 { .. } = insn {
            insns.push(Insn::Imm64Tail);
            lines.push(ln);
        }
    }
    Ok(Assembled { program: Program { insns }, maps: table.names, map_decls: decls, lines })
}

#[cfg(test)]
mod tests;
