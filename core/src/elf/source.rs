//! An object's program as bpfplay assembly: map declarations (global data with `init=`),
//! then the instructions in the assembler's syntax, each C source line that line info
//! gives written before its instructions as the kernel's verifier log writes it
//! (`; TEXT @ FILE:LINE`, a comment to the assembler). Assembling the text gives the
//! program back, slot for slot; [`c_line_at`] finds the C line of an assembly line.

use super::{ElfProgram, Object};
use crate::disasm::{insn_text, Style};
use crate::isa::decode::{decode_with, Dialect};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

/// Map names the assembler accepts (letters, digits, `_`): `.rodata` becomes `rodata`,
/// `.rodata.str1.1` `rodata_str1_1`; a clash gets a numeric suffix.
pub fn asm_map_names(obj: &Object) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in &obj.maps {
        let mut n: String = m
            .def
            .name
            .trim_start_matches('.')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
            .collect();
        if n.is_empty() {
            n.push_str("map");
        }
        let base = n.clone();
        let mut k = 2;
        while out.contains(&n) {
            n = format!("{base}_{k}");
            k += 1;
        }
        out.push(n);
    }
    out
}

/// The program as assembly text (see the module documentation). `file` names the object
/// in the header comment.
/// The comment [`annotated`] writes when the kernel would refuse the object's BTF.
pub const BTF_REFUSED: &str = "// The kernel refuses this object's BTF: ";

pub fn annotated(obj: &Object, prog: &ElfProgram, file: &str) -> Result<String, super::ElfError> {
    let names = asm_map_names(obj);
    let program = decode_with(&prog.raw, Dialect::Kernel)
        .map_err(|e| super::ElfError::Unsupported(format!("program `{}`: {e}", prog.name)))?;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "// Program `{}` (section `{}`) of {file}, compiled by clang.",
        prog.name, prog.section
    );
    if let Some(l) = &obj.license {
        let _ = writeln!(s, "// License: {l}");
    }
    if let Some(why) = &obj.btf_refused {
        // program::from_source reads this line: no func or line info for the verifier.
        let _ = writeln!(s, "{BTF_REFUSED}{why} (libbpf then loads it without BTF)");
    }
    for (m, name) in obj.maps.iter().zip(&names) {
        let d = &m.def;
        let _ = write!(
            s,
            "map {name}: {} key={} value={} max={}",
            d.kind.name(),
            d.key_size,
            d.value_size,
            d.max_entries
        );
        if d.flags != 0 {
            let _ = write!(s, " flags={}", d.flags);
        }
        if let Some(init) = m.data.as_ref().filter(|v| v.iter().any(|b| *b != 0)) {
            let _ = write!(s, " init={}", crate::hex::encode(init));
        }
        if d.map_extra != 0 {
            let _ = write!(s, " extra={}", d.map_extra);
        }
        if d.inner.is_some() {
            let _ = write!(s, " inner={name}_inner");
        }
        for (f, off, _) in d.record.fields() {
            let _ = write!(s, " {f}={off}");
        }
        if *name != d.name {
            let _ = write!(s, "    // {}", d.name);
        }
        s.push('\n');
    }
    // The inner maps of maps of maps, declared after the object's maps (whose indices the
    // instructions keep): libbpf's templates (`inner_map_fd`).
    for (m, name) in obj.maps.iter().zip(&names) {
        if let Some(i) = &m.def.inner {
            let _ = write!(
                s,
                "map {name}_inner: {} key={} value={} max={}",
                i.kind.name(),
                i.key_size,
                i.value_size,
                i.max_entries
            );
            if i.flags != 0 {
                let _ = write!(s, " flags={}", i.flags);
            }
            let _ = writeln!(s, "    // the inner map of {}", m.def.name);
        }
    }
    let style = Style::source();
    let records = prog.line_records();
    let mut next_record = records.iter().peekable();
    for (i, insn) in program.insns.iter().enumerate() {
        if let Some((f, _)) = prog.funcs.iter().find(|f| f.1 == i) {
            let _ = writeln!(s, "\n// function {f}");
            // What the object's BTF says of it, for the verifier (program::from_source).
            if let Some(fi) = prog.func_info.iter().find(|fi| fi.insn == i) {
                let _ = writeln!(s, "// btf: {}", fi.annotation());
            }
        }
        let Some(text) = insn_text(insn, style, &names) else { continue };
        // A record on a slot without text of its own (an LD_IMM64's second half) is passed.
        while next_record.next_if(|r| r.0 < i).is_some() {}
        if let Some(&(_, l)) = next_record.next_if(|r| r.0 == i) {
            let file =
                obj.files.get(l.file).map(|f| f.rsplit('/').next().unwrap_or(f)).unwrap_or("?");
            let text = obj.line_text(l).unwrap_or("").trim();
            let _ = writeln!(s, "; {text} @ {file}:{}", l.line);
        }
        let _ = writeln!(s, "    {text}");
    }
    Ok(s)
}

/// The (file, line) of one `; TEXT @ FILE:LINE` comment (trimmed), as [`annotated`] writes
/// them and the kernel's log prints line info.
pub fn parse_line_comment(t: &str) -> Option<(&str, u32)> {
    let rest = t.strip_prefix(';')?;
    let (_, at) = rest.rsplit_once(" @ ")?;
    let (f, n) = at.rsplit_once(':')?;
    Some((f, n.trim().parse().ok()?))
}
