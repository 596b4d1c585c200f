//! Relocations of code sections and linking of subprograms, as libbpf does
//! (tools/lib/bpf/libbpf.c `bpf_program__record_reloc`, `bpf_object__reloc_code`,
//! `bpf_object__append_subprog_code`):
//!
//! - an `LD_IMM64` against a map symbol becomes a map reference (`src_reg`
//!   `BPF_PSEUDO_MAP_FD`, `imm` the map's index); against a global-data section or variable
//!   it becomes a direct value pointer (`BPF_PSEUDO_MAP_VALUE`, the offset in the second
//!   `imm`: the instruction's addend plus the symbol's value);
//! - a `call` with `src_reg` 1 goes to a function of `.text`: with a relocation, to the
//!   symbol's offset (`sym_off / 8 + imm + 1`, which is the symbol itself for global functions
//!   (`imm` -1) and `imm + 1` past the section start for static ones); without one, `imm` is
//!   relative within the same section;
//! - a program is linked by appending each subprogram it uses, transitively, once, after the
//!   main function, and rewriting the calls' `imm` relative to the new positions.

use super::maps::{data_section_kind, ElfMap};
use super::{ElfError, SrcLine};
use crate::isa::opcode::*;
use crate::isa::RawInsn;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Largest linked program (slots), the kernel's BPF_COMPLEXITY_LIMIT_INSNS.
pub const MAX_LINKED: usize = 1_000_000;

const LD_IMM64: u8 = CLS_LD | MODE_IMM | SZ_DW;
const CALL: u8 = CLS_JMP | JMP_CALL;

/// A relocation's symbol as the loader resolved it.
#[derive(Clone, Debug)]
pub struct RelSym {
    pub name: String,
    /// Section index (0: undefined, an extern).
    pub shndx: usize,
    pub value: u64,
    pub section_name: String,
}

/// A code section: its instructions (relocated in place) and what links need.
#[derive(Clone, Debug)]
pub struct CodeSection {
    pub index: usize,
    pub name: String,
    pub insns: Vec<RawInsn>,
    pub lines: Vec<Option<SrcLine>>,
    /// Functions: (name, first insn, number of insns).
    pub funcs: Vec<(String, usize, usize)>,
    /// Call relocations: insn index -> target symbol's offset in `.text`, in instructions.
    pub call_relocs: BTreeMap<usize, i64>,
    /// Instructions a CO-RE relocation patches (bpfplay does not apply them).
    pub core_relos: alloc::collections::BTreeSet<usize>,
    /// Function-pointer relocations (`LD_IMM64` with `src_reg` BPF_PSEUDO_FUNC, libbpf's
    /// RELO_SUBPROG_ADDR): insn index -> the callback's first instruction in `.text`.
    pub func_relocs: BTreeMap<usize, i64>,
    /// Instructions relocated against an extern (kconfig, ksym or kfunc): insn index -> the
    /// extern's name. A program that reaches one cannot be linked; the others of the
    /// section can (libbpf resolves externs per object, but refuses only what it cannot).
    pub externs: BTreeMap<usize, String>,
}

/// Applies one relocation at byte offset `off` of `sec`.
pub fn apply(
    sec: &mut CodeSection,
    off: u64,
    sym: &RelSym,
    maps: &[ElfMap],
    text_index: Option<usize>,
) -> Result<(), ElfError> {
    let err = |m: String| ElfError::Reloc { section: sec.name.clone(), offset: off, message: m };
    if !off.is_multiple_of(8) {
        return Err(err(String::from("offset is not a multiple of 8")));
    }
    let i = (off / 8) as usize;
    let Some(&insn) = sec.insns.get(i) else {
        return Err(err(format!("offset is past the section's {} instructions", sec.insns.len())));
    };
    if sym.shndx == 0 {
        sec.externs.insert(i, sym.name.clone());
        return Ok(());
    }
    match insn.code {
        LD_IMM64 => {
            if i + 1 >= sec.insns.len() {
                return Err(err(String::from("LD_IMM64 is missing its second half")));
            }
            if text_index == Some(sym.shndx) {
                // A callback's address (clang writes the byte offset from the symbol in
                // `imm`); libbpf makes the instruction a BPF_PSEUDO_FUNC.
                let at = (sym.value as i64).checked_add(insn.imm as i64).filter(|b| *b >= 0 && b % 8 == 0);
                let at = at.ok_or_else(|| err(format!("bad subprog addr relo against `{}`", sym.name)))?;
                sec.insns[i].src = PSEUDO_FUNC;
                sec.func_relocs.insert(i, at / 8);
                return Ok(());
            }
            if sec.index == sym.shndx {
                return Err(err(format!("`{}` is a function pointer into its own section; callbacks must be in .text", sym.name)));
            }
            // A map definition: the symbol's value is where it sits in its section.
            if let Some(idx) = maps.iter().position(|m| m.data.is_none() && m.sec_index == sym.shndx && m.sec_offset == sym.value) {
                sec.insns[i].src = PSEUDO_MAP_FD;
                sec.insns[i].imm = idx as i32;
                return Ok(());
            }
            if data_section_kind(&sym.section_name).is_some() {
                let idx = maps.iter().position(|m| m.data.is_some() && m.sec_index == sym.shndx).ok_or_else(|| err(format!("no map for section `{}`", sym.section_name)))?;
                let value_off = (insn.imm as i64).checked_add(sym.value as i64).filter(|o| *o >= 0 && *o < maps[idx].def.value_size as i64);
                let value_off = value_off.ok_or_else(|| err(format!("`{}`{:+} is outside section `{}`", sym.name, insn.imm, sym.section_name)))?;
                sec.insns[i].src = PSEUDO_MAP_VALUE;
                sec.insns[i].imm = idx as i32;
                sec.insns[i + 1].imm = value_off as i32;
                return Ok(());
            }
            Err(err(format!("`{}` in section `{}` is neither a map nor global data", sym.name, sym.section_name)))
        }
        CALL if insn.src == PSEUDO_CALL => {
            if text_index != Some(sym.shndx) {
                return Err(err(format!("call to `{}` in section `{}`: subprograms must be in .text", sym.name, sym.section_name)));
            }
            if !sym.value.is_multiple_of(8) {
                return Err(err(format!("call target `{}` is not instruction-aligned", sym.name)));
            }
            sec.call_relocs.insert(i, (sym.value / 8) as i64);
            Ok(())
        }
        CALL => Err(err(format!("call of `{}` through a relocation (a kfunc or extern helper), which bpfplay does not support", sym.name))),
        c => Err(err(format!("relocation against `{}` on an instruction with opcode {c:#04x}; only LD_IMM64 and calls are relocated", sym.name))),
    }
}

/// A linked program: the main function with the subprograms it calls appended.
pub struct Linked {
    pub raw: Vec<RawInsn>,
    pub lines: Vec<Option<SrcLine>>,
    /// (function name, where it starts in `raw`), the main function first.
    pub funcs: Vec<(String, usize)>,
}

/// Links function `func` of `sections[sec]`; `text` is the index of `.text` in `sections`.
pub fn link(
    sections: &[CodeSection],
    sec: usize,
    func: usize,
    text: Option<usize>,
) -> Result<Linked, ElfError> {
    let name = sections[sec].funcs[func].0.clone();
    let mut out = Linked { raw: Vec::new(), lines: Vec::new(), funcs: Vec::new() };
    // Units placed: (section, function index, base in `out`).
    let mut units: Vec<(usize, usize, usize)> = Vec::new();
    let append = |out: &mut Linked,
                  units: &mut Vec<(usize, usize, usize)>,
                  s: usize,
                  f: usize|
     -> Result<usize, ElfError> {
        let (ref fname, fstart, flen) = sections[s].funcs[f];
        let base = out.raw.len();
        if base + flen > MAX_LINKED {
            return Err(ElfError::Limit(format!(
                "program `{name}` with its subprograms is over {MAX_LINKED} instructions"
            )));
        }
        out.raw.extend_from_slice(&sections[s].insns[fstart..fstart + flen]);
        out.lines.extend_from_slice(&sections[s].lines[fstart..fstart + flen]);
        out.funcs.push((fname.clone(), base));
        units.push((s, f, base));
        Ok(base)
    };
    append(&mut out, &mut units, sec, func)?;
    let mut q = 0;
    while q < units.len() {
        let (s, f, base) = units[q];
        let (ref fname, fstart, flen) = sections[s].funcs[f];
        let mut j = 0;
        while j < flen {
            let r = out.raw[base + j];
            if sections[s].core_relos.contains(&(fstart + j)) {
                return Err(ElfError::Unsupported(format!(
                    "`{fname}` has CO-RE relocations (BPF_CORE_READ, preserve_access_index): bpfplay does not relocate field offsets"
                )));
            }
            if let Some(x) = sections[s].externs.get(&(fstart + j)) {
                return Err(ElfError::Unsupported(format!(
                    "`{fname}` uses `{x}`, an extern (kconfig, ksym or kfunc), which bpfplay does not support"
                )));
            }
            let callback = r.code == LD_IMM64 && r.src == PSEUDO_FUNC;
            if r.code == LD_IMM64 && !callback {
                j += 2;
                continue;
            }
            if callback || (r.code == CALL && r.src == PSEUDO_CALL) {
                let at = fstart + j;
                let target = match sections[s].call_relocs.get(&at) {
                    _ if callback => *sections[s].func_relocs.get(&at).ok_or_else(|| {
                        ElfError::Unsupported(format!(
                            "`{fname}`: missing subprog addr relo for insn #{j}"
                        ))
                    })?,
                    Some(&sym_insn) => sym_insn + r.imm as i64 + 1,
                    None => {
                        if Some(s) != text {
                            return Err(ElfError::Unsupported(format!(
                                "`{fname}` (section `{}`) calls instruction {} of its own section; subprograms must be in .text",
                                sections[s].name,
                                at as i64 + r.imm as i64 + 1
                            )));
                        }
                        at as i64 + r.imm as i64 + 1
                    }
                };
                let t = text.ok_or_else(|| {
                    ElfError::Unsupported(format!(
                        "`{fname}` calls a subprogram but the object has no .text"
                    ))
                })?;
                let tf = sections[t].funcs.iter().position(|&(_, st, _)| st as i64 == target).ok_or_else(|| {
                    ElfError::Unsupported(format!("`{fname}` calls .text instruction {target}, which is not the start of a function"))
                })?;
                let tbase = match units.iter().find(|u| u.0 == t && u.1 == tf) {
                    Some(u) => u.2,
                    None => append(&mut out, &mut units, t, tf)?,
                };
                let rel = tbase as i64 - (base + j) as i64 - 1;
                out.raw[base + j].imm = i32::try_from(rel)
                    .map_err(|_| ElfError::Limit(String::from("call offset overflows")))?;
                if callback {
                    j += 2;
                    continue;
                }
            }
            j += 1;
        }
        q += 1;
    }
    Ok(out)
}
