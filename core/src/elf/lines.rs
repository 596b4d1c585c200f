//! `.BTF.ext` line info (include/uapi/linux/btf.h `struct btf_ext_header`,
//! `struct bpf_line_info`; libbpf's btf.c `btf_ext_parse_hdr`/`btf_ext_setup_line_info`):
//! for each code section, records mapping an instruction's byte offset to a source file,
//! line and column, with the text of the line in the BTF string table.

use super::btf::{u16_at, u32_at, Btf, BTF_MAGIC};
use super::ElfError;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Most line records accepted in one object.
pub const MAX_LINE_RECORDS: usize = 1 << 20;

/// One `bpf_line_info` record; its strings are offsets into the BTF string table (resolved
/// by the caller, once per distinct string, so that many records naming one long string
/// cost no more than one copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineRecord {
    /// Instruction index within the section.
    pub insn: usize,
    pub file_off: u32,
    pub text_off: u32,
    pub line: u32,
    pub col: u32,
}

/// What `.BTF.ext` holds that bpfplay uses.
#[derive(Debug, Default)]
pub struct BtfExt {
    /// (section name, records sorted by instruction).
    pub lines: Vec<(String, Vec<LineRecord>)>,
    /// CO-RE relocations (bpfplay does not apply them): (section name, the instructions
    /// they patch).
    pub core_relos: Vec<(String, Vec<usize>)>,
}

pub fn parse(data: &[u8], btf: &Btf) -> Result<BtfExt, ElfError> {
    let bad = |m: String| ElfError::Btf(format!(".BTF.ext: {m}"));
    let magic = u16_at(data, 0).ok_or_else(|| bad(String::from("shorter than its header")))?;
    if magic != BTF_MAGIC {
        return Err(bad(format!("magic {magic:#06x}, expected 0xeb9f")));
    }
    if data.get(2) != Some(&1) {
        return Err(bad(String::from("version is not 1")));
    }
    let hdr_len = u32_at(data, 4).ok_or_else(|| bad(String::from("header is truncated")))? as usize;
    if hdr_len < 24 || hdr_len > data.len() {
        return Err(bad(String::from("header length is out of range")));
    }
    let body = &data[hdr_len..];
    let line_off = u32_at(data, 16).unwrap_or(0) as usize;
    let line_len = u32_at(data, 20).unwrap_or(0) as usize;
    let mut ext = BtfExt::default();
    // CO-RE relocations come after line info in headers of 32 bytes or more.
    if hdr_len >= 32 {
        let core_off = u32_at(data, 24).unwrap_or(0) as usize;
        let core_len = u32_at(data, 28).unwrap_or(0) as usize;
        if core_len > 0 {
            let sub =
                core_off.checked_add(core_len).and_then(|e| body.get(core_off..e)).ok_or_else(
                    || bad(String::from("CO-RE relocation part lies outside the section")),
                )?;
            ext.core_relos = core_relo_insns(sub, btf)
                .ok_or_else(|| bad(String::from("CO-RE relocation part is malformed")))?;
        }
    }
    if line_len == 0 {
        return Ok(ext);
    }
    let sub = line_off
        .checked_add(line_len)
        .and_then(|e| body.get(line_off..e))
        .ok_or_else(|| bad(String::from("line info lies outside the section")))?;
    let rec_size =
        u32_at(sub, 0).ok_or_else(|| bad(String::from("line info is truncated")))? as usize;
    if rec_size < 16 {
        return Err(bad(format!("line info record size {rec_size} is below 16")));
    }
    let mut pos = 4usize;
    let mut total = 0usize;
    while pos < sub.len() {
        let sec_name_off = u32_at(sub, pos)
            .ok_or_else(|| bad(String::from("line info section header is truncated")))?;
        let num = u32_at(sub, pos + 4)
            .ok_or_else(|| bad(String::from("line info section header is truncated")))?
            as usize;
        pos += 8;
        let sec = String::from(btf.str_at(sec_name_off)?);
        let bytes = num
            .checked_mul(rec_size)
            .filter(|b| pos.checked_add(*b).is_some_and(|e| e <= sub.len()))
            .ok_or_else(|| bad(format!("line info for `{sec}` is truncated ({num} records)")))?;
        total += num;
        if total > MAX_LINE_RECORDS {
            return Err(ElfError::Limit(format!(
                ".BTF.ext has more than {MAX_LINE_RECORDS} line records"
            )));
        }
        let mut recs = Vec::with_capacity(num);
        for i in 0..num {
            let r = pos + i * rec_size;
            let (insn_off, file_off, line_off, line_col) = (
                u32_at(sub, r).unwrap_or(0),
                u32_at(sub, r + 4).unwrap_or(0),
                u32_at(sub, r + 8).unwrap_or(0),
                u32_at(sub, r + 12).unwrap_or(0),
            );
            if insn_off % 8 != 0 {
                return Err(bad(format!(
                    "line info for `{sec}`: instruction offset {insn_off} is not a multiple of 8"
                )));
            }
            // Checked here so that a bad offset is reported where it is.
            btf.str_at(file_off)?;
            btf.str_at(line_off)?;
            recs.push(LineRecord {
                insn: insn_off as usize / 8,
                file_off,
                text_off: line_off,
                line: line_col >> 10,
                col: line_col & 0x3ff,
            });
        }
        recs.sort_by_key(|r| r.insn);
        pos += bytes;
        ext.lines.push((sec, recs));
    }
    Ok(ext)
}

/// Counts the records of a `btf_ext_info` block (u32 record size, then sections of
/// `{sec_name_off, num_info, records}`), or None when it is malformed.
/// The CO-RE relocation part: per section, the instruction each `struct bpf_core_relo`
/// (`insn_off` first) patches.
fn core_relo_insns(sub: &[u8], btf: &Btf) -> Option<Vec<(String, Vec<usize>)>> {
    let rec_size = u32_at(sub, 0)? as usize;
    if rec_size < 4 {
        return None;
    }
    let mut out = Vec::new();
    let mut pos = 4usize;
    while pos < sub.len() {
        let sec = String::from(btf.str_at(u32_at(sub, pos)?).ok()?);
        let num = u32_at(sub, pos + 4)? as usize;
        let start = pos.checked_add(8)?;
        pos = start.checked_add(num.checked_mul(rec_size)?)?;
        if pos > sub.len() || out.len() > MAX_LINE_RECORDS {
            return None;
        }
        let insns = (0..num).map(|i| u32_at(sub, start + i * rec_size).map(|o| o as usize / 8));
        out.push((sec, insns.collect::<Option<Vec<usize>>>()?));
    }
    Some(out)
}
