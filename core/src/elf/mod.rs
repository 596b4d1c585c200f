//! Loading clang-compiled BPF ELF objects (`clang -O2 -g -target bpf -c prog.c`), as libbpf
//! does (tools/lib/bpf/libbpf.c), into programs the verifier and the interpreter take
//! unchanged.
//!
//! - Programs: each function of a code section other than `.text`; the section name gives
//!   the program type like libbpf's `section_defs` (`socket`, `xdp`, `kprobe/NAME`,
//!   `kretprobe/NAME`, `uprobe/...`, `tracepoint/CAT/NAME`, `tp/CAT/NAME`).
//! - Maps (`maps`): BTF-defined `.maps`, the legacy `maps` section, and `.data`, `.rodata`,
//!   `.bss` as one-element arrays.
//! - Relocations and bpf-to-bpf calls (`reloc`): `.text` subprograms appended to each
//!   program that calls them.
//! - `.BTF.ext` line info (`lines`): each instruction's C source line.
//! - `license`.
//!
//! Not supported, with an error saying so: big-endian objects, CO-RE relocations, externs
//! (kconfig, ksyms, kfuncs), function pointers (callbacks), map-in-map and initial map values.
//! Hostile input: every offset and length is checked (the `object` crate for the ELF
//! structures, `btf` and `lines` for BTF), counts are capped, and the file size is limited
//! to [`MAX_OBJECT_BYTES`], so loading never panics and allocates in proportion to the input.

pub(crate) mod btf;
pub(crate) mod funcs;
pub(crate) mod lines;
pub(crate) mod maps;
pub(crate) mod reloc;
pub(crate) mod source;

use crate::asm::{Assembled, MapDecl};
use crate::isa::decode::{decode_with, Dialect};
use crate::isa::RawInsn;
use crate::maps::{MapDef, MapStore};
use crate::progtype::ProgType;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
pub use maps::ElfMap;
use object::elf;
use object::read::elf::{FileHeader, SectionHeader, Sym};
use object::LittleEndian as LE;
use reloc::{CodeSection, RelSym};
pub use source::{annotated, asm_map_names};

/// Largest object accepted.
pub const MAX_OBJECT_BYTES: usize = 16 << 20;
/// Most programs per object.
pub const MAX_PROGRAMS: usize = 256;
/// Most instructions of all linked programs together.
pub const MAX_TOTAL_LINKED: usize = 2_000_000;
/// Most sections and symbols looked at.
pub const MAX_SECTIONS: usize = 4096;
pub const MAX_SYMBOLS: usize = 1 << 16;
/// Line info: most source files, the longest file name and line text kept, and the most
/// source text kept in all.
pub const MAX_FILES: usize = 64;
pub const MAX_FILE_NAME: usize = 256;
pub const MAX_LINE_TEXT: usize = 512;
pub const MAX_SOURCE_TEXT: usize = 4 << 20;
/// Most global data (all `.data`, `.rodata`, `.bss` sections together), in bytes.
pub const MAX_GLOBAL_DATA: u64 = 4 << 20;

/// `s` cut to at most `max` bytes, at a character boundary.
fn clip(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    String::from(&s[..end])
}

/// Why an object cannot be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElfError {
    /// The file is larger than [`MAX_OBJECT_BYTES`].
    TooLarge(usize),
    /// Not an ELF file, or its structures are truncated or inconsistent.
    Malformed(String),
    /// An ELF file, but not a relocatable little-endian BPF object.
    NotBpf(String),
    /// A feature bpfplay does not model.
    Unsupported(String),
    /// `.BTF` or `.BTF.ext` is malformed.
    Btf(String),
    /// A map definition is unusable.
    Map { name: String, message: String },
    /// A relocation of a code section is unusable.
    Reloc { section: String, offset: u64, message: String },
    /// A count or size above bpfplay's limits.
    Limit(String),
    /// The object holds no program.
    NoPrograms,
    /// A program name that the object does not hold, or none given when it holds several.
    NoSuchProgram { wanted: Option<String>, available: Vec<String> },
}

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElfError::TooLarge(n) => write!(f, "the object is {n} bytes; bpfplay loads objects up to {MAX_OBJECT_BYTES} bytes"),
            ElfError::Malformed(m) => write!(f, "malformed ELF object: {m}"),
            ElfError::NotBpf(m) => write!(f, "not a BPF object: {m}"),
            ElfError::Unsupported(m) => write!(f, "not supported: {m}"),
            ElfError::Btf(m) => write!(f, "bad BTF: {m}"),
            ElfError::Map { name, message } => write!(f, "map `{name}`: {message}"),
            ElfError::Reloc { section, offset, message } => write!(f, "relocation in section `{section}` at offset {offset}: {message}"),
            ElfError::Limit(m) => write!(f, "too large: {m}"),
            ElfError::NoPrograms => write!(f, "the object holds no BPF program (no function in a section such as `socket`, `xdp`, `kprobe/...`, `tracepoint/...`)"),
            ElfError::NoSuchProgram { wanted: Some(w), available } => write!(f, "no program `{w}` in the object; it has: {}", available.join(", ")),
            ElfError::NoSuchProgram { wanted: None, available } => write!(f, "the object has several programs; pick one of: {}", available.join(", ")),
        }
    }
}

fn malformed(e: object::read::Error) -> ElfError {
    ElfError::Malformed(e.to_string())
}

/// An instruction's place in the C source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SrcLine {
    /// Index into [`Object::files`].
    pub file: usize,
    pub line: u32,
    pub col: u32,
}

/// One program of the object, linked (its `.text` subprograms appended).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfProgram {
    /// The function's name.
    pub name: String,
    /// The section it is in (`xdp`, `kprobe/do_nanosleep`, ...).
    pub section: String,
    /// The type the section name gives, or None for one bpfplay does not model.
    pub prog_type: Option<ProgType>,
    /// Instructions, map references as [`Object::maps`] indexes.
    pub raw: Vec<RawInsn>,
    /// The C source line of each instruction slot, where line info says.
    pub lines: Vec<Option<SrcLine>>,
    /// (function, first instruction): the program, then each subprogram appended.
    pub funcs: Vec<(String, usize)>,
    /// The BTF func info of `funcs` (empty without BTF).
    pub func_info: Vec<crate::verifier::FuncInfo>,
}

impl ElfProgram {
    /// The instructions where a line record starts, with its line: where the line changes,
    /// or a function starts. `annotated` writes a `; TEXT @ FILE:LINE` comment at each and
    /// the verifier's log shows each (`program::Loaded::btf`), so the two agree.
    pub fn line_records(&self) -> Vec<(usize, SrcLine)> {
        let mut out = Vec::new();
        let mut last = None;
        for (i, l) in self.lines.iter().enumerate() {
            let Some(l) = *l else { continue };
            if last == Some(l.line) && !self.funcs.iter().any(|f| f.1 == i) {
                continue;
            }
            last = Some(l.line);
            out.push((i, l));
        }
        out
    }
}

/// A loaded object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Object {
    /// The `license` section's string.
    pub license: Option<String>,
    pub programs: Vec<ElfProgram>,
    /// The programs that cannot be linked (they use an extern bpfplay does not resolve):
    /// (name, section, why). The others load, as libbpf loads each program on its own.
    pub unlinked: Vec<(String, String, ElfError)>,
    /// Every map of the object; an instruction's map reference `imm` is an index here.
    pub maps: Vec<ElfMap>,
    /// Source files named by line info.
    pub files: Vec<String>,
    /// Source text of each (file, line) that line info names.
    pub source: BTreeMap<(usize, u32), String>,
    /// Why the kernel would refuse the object's BTF, if it would: libbpf then loads the
    /// programs without it (no func or line info for the verifier; maps are unaffected).
    pub btf_refused: Option<String>,
}

/// The program type a section name gives (libbpf's `section_defs`, the types bpfplay
/// models); None for any other section.
pub fn prog_type_for_section(name: &str) -> Option<ProgType> {
    let pfx = |p: &str| name.starts_with(p) && name.len() > p.len();
    if name == "socket" || name.starts_with("socket/") {
        Some(ProgType::SocketFilter)
    } else if name == "xdp" || name.starts_with("xdp/") {
        Some(ProgType::Xdp)
    } else if pfx("kprobe/")
        || pfx("kretprobe/")
        || pfx("uprobe")
        || pfx("uretprobe")
        || name == "kprobe"
        || name == "kretprobe"
    {
        Some(ProgType::Kprobe)
    } else if pfx("tracepoint/") || pfx("tp/") {
        Some(ProgType::Tracepoint)
    } else {
        None
    }
}

impl Object {
    /// The program named `name`, or the only one when `name` is None.
    pub fn program(&self, name: Option<&str>) -> Result<&ElfProgram, ElfError> {
        let available = || self.programs.iter().map(|p| p.name.clone()).collect();
        match name {
            Some(n) => match self.programs.iter().find(|p| p.name == n) {
                Some(p) => Ok(p),
                None => Err(match self.unlinked.iter().find(|u| u.0 == n) {
                    Some(u) => u.2.clone(),
                    None => ElfError::NoSuchProgram {
                        wanted: Some(n.to_string()),
                        available: available(),
                    },
                }),
            },
            None if self.programs.len() == 1 => Ok(&self.programs[0]),
            None => Err(ElfError::NoSuchProgram { wanted: None, available: available() }),
        }
    }

    /// Map definitions in index order, for [`crate::verifier::verify`].
    pub fn map_defs(&self) -> Vec<MapDef> {
        self.maps.iter().map(|m| m.def.clone()).collect()
    }

    /// The maps created, global data holding its initial values.
    pub fn map_store(&self, ncpus: usize) -> Result<MapStore, String> {
        let mut s = MapStore::from_defs(&self.map_defs(), ncpus)
            .map_err(|(i, e)| format!("map `{}`: {e}", self.maps[i].def.name))?;
        for (i, m) in self.maps.iter().enumerate() {
            if let Some(d) = &m.data {
                s.update(i, &0u32.to_le_bytes(), d, 0)
                    .map_err(|e| format!("map `{}`: initial value: {e}", m.def.name))?;
            }
        }
        Ok(s)
    }

    /// The program as the assembler would give it: decoded instructions, the object's maps
    /// (as declarations), and the C line of each slot (0 where unknown) in `lines`.
    pub fn assembled(&self, prog: &ElfProgram) -> Result<Assembled, ElfError> {
        let program = decode_with(&prog.raw, Dialect::Kernel)
            .map_err(|e| ElfError::Unsupported(format!("program `{}`: {e}", prog.name)))?;
        let map_decls = self
            .maps
            .iter()
            .map(|m| MapDecl {
                name: m.def.name.clone(),
                spec: format!(
                    "{} key={} value={} max={} flags={}",
                    m.def.kind.name(),
                    m.def.key_size,
                    m.def.value_size,
                    m.def.max_entries,
                    m.def.flags
                ),
                line: 0,
            })
            .collect();
        Ok(Assembled {
            program,
            maps: self.maps.iter().map(|m| m.def.name.clone()).collect(),
            map_decls,
            lines: prog.lines.iter().map(|l| l.map_or(0, |l| l.line as usize)).collect(),
        })
    }

    /// The source text of an instruction's line, from the line info.
    pub fn line_text(&self, l: SrcLine) -> Option<&str> {
        self.source.get(&(l.file, l.line)).map(|s| s.as_str())
    }
}

/// A section as the loader sees it.
struct Sec<'a> {
    name: &'a str,
    kind: u32,
    flags: u64,
    size: u64,
    data: &'a [u8],
    info: u32,
}

/// A symbol as the loader keeps it: name, type, section index, value, size.
type Symbol = (String, u8, usize, u64, u64);

/// A REL section's entries: (offset, symbol index) each (`Elf64_Rel`: r_offset, then r_info
/// with the symbol in its high 32 bits).
fn rel_entries(rel: &Sec) -> Result<Vec<(u64, usize)>, ElfError> {
    if !rel.data.len().is_multiple_of(16) {
        return Err(ElfError::Malformed(format!(
            "relocation section `{}` is not a whole number of entries",
            rel.name
        )));
    }
    Ok(rel
        .data
        .chunks_exact(16)
        .map(|r| {
            let off = u64::from_le_bytes([r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]]);
            let info = u64::from_le_bytes([r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]]);
            (off, (info >> 32) as usize)
        })
        .collect())
}

/// The `.rel.maps` relocations: each names the program a prog_array slot of `values` holds,
/// or the map a map of maps' slot holds (libbpf's `bpf_object__collect_map_relos`: the slot
/// is the relocation's offset into the map's `values`, over the pointer size).
fn prog_array_slots(
    rel: &Sec,
    secs: &[Sec],
    syms: &[Symbol],
    maps: &mut [ElfMap],
) -> Result<(), ElfError> {
    let bad = |offset: u64, message: String| ElfError::Reloc {
        section: String::from(".maps"),
        offset,
        message,
    };
    let map_names: Vec<String> =
        maps.iter().filter(|m| m.section == ".maps").map(|m| m.def.name.clone()).collect();
    for (off, symi) in rel_entries(rel)? {
        let (name, ty, shndx, _, _) =
            syms.get(symi).ok_or_else(|| bad(off, format!("symbol {symi} does not exist")))?;
        // The map whose definition holds the offset: the last one starting at or before it.
        let m = maps
            .iter_mut()
            .filter(|m| m.section == ".maps" && m.sec_offset <= off)
            .max_by_key(|m| m.sec_offset)
            .ok_or_else(|| bad(off, String::from("no map holds this offset")))?;
        let Some(start) = m.values_at.map(|v| m.sec_offset + v).filter(|&s| off >= s) else {
            return Err(bad(
                off,
                format!("map `{}`: a relocation outside its `values`", m.def.name),
            ));
        };
        let is_code = secs.get(*shndx).is_some_and(|s| {
            s.flags & elf::SHF_EXECINSTR as u64 != 0 && s.kind == elf::SHT_PROGBITS
        });
        if m.def.kind.is_map_in_map() {
            if !map_names.contains(name) || *name == m.def.name {
                return Err(bad(
                    off,
                    format!("map `{}`: slot holds `{name}`, which is not another map", m.def.name),
                ));
            }
        } else if *ty != elf::STT_FUNC || !is_code {
            return Err(bad(
                off,
                format!("map `{}`: slot holds `{name}`, which is not a program", m.def.name),
            ));
        }
        let slot = (off - start) / 8;
        if !(off - start).is_multiple_of(8) || slot >= u64::from(m.def.max_entries) {
            return Err(bad(
                off,
                format!(
                    "map `{}`: slot {slot} is outside its {} entries",
                    m.def.name, m.def.max_entries
                ),
            ));
        }
        m.slots.push((slot as u32, name.clone()));
    }
    Ok(())
}

/// Loads an object.
pub fn load(bytes: &[u8]) -> Result<Object, ElfError> {
    if bytes.len() > MAX_OBJECT_BYTES {
        return Err(ElfError::TooLarge(bytes.len()));
    }
    if bytes.len() < 16 || &bytes[..4] != b"\x7fELF" {
        return Err(ElfError::NotBpf(String::from(
            "no ELF header (a BPF object starts with \\x7fELF; compile with clang -target bpf -c)",
        )));
    }
    if bytes[4] != elf::ELFCLASS64 {
        return Err(ElfError::NotBpf(String::from("a 32-bit ELF file; BPF objects are 64-bit")));
    }
    if bytes[5] != elf::ELFDATA2LSB {
        return Err(ElfError::NotBpf(String::from("a big-endian object (bpfeb); bpfplay loads little-endian objects (-target bpf on x86, or bpfel)")));
    }
    let hdr = elf::FileHeader64::<LE>::parse(bytes).map_err(malformed)?;
    let e = hdr.endian().map_err(malformed)?;
    if hdr.e_machine(e) != elf::EM_BPF {
        return Err(ElfError::NotBpf(format!(
            "machine {} is not BPF ({})",
            hdr.e_machine(e),
            elf::EM_BPF
        )));
    }
    if hdr.e_type(e) != elf::ET_REL {
        return Err(ElfError::NotBpf(format!(
            "ELF type {} is not a relocatable object (ET_REL)",
            hdr.e_type(e)
        )));
    }
    let sections = hdr.sections(e, bytes).map_err(malformed)?;
    if sections.len() > MAX_SECTIONS {
        return Err(ElfError::Limit(format!("{} sections (limit {MAX_SECTIONS})", sections.len())));
    }
    let mut secs: Vec<Sec> = Vec::with_capacity(sections.len());
    for sh in sections.iter() {
        let name = sections.section_name(e, sh).map_err(malformed)?;
        let name = core::str::from_utf8(name)
            .map_err(|_| ElfError::Malformed(String::from("a section name is not UTF-8")))?;
        let kind = sh.sh_type(e);
        let data =
            if kind == elf::SHT_NOBITS { &[][..] } else { sh.data(e, bytes).map_err(malformed)? };
        secs.push(Sec {
            name,
            kind,
            flags: sh.sh_flags(e),
            size: sh.sh_size(e),
            data,
            info: sh.sh_info(e),
        });
    }
    let symtab = sections.symbols(e, bytes, elf::SHT_SYMTAB).map_err(malformed)?;
    if symtab.len() > MAX_SYMBOLS {
        return Err(ElfError::Limit(format!("{} symbols (limit {MAX_SYMBOLS})", symtab.len())));
    }
    // Symbols: (name, type, section index, value, size).
    let mut syms: Vec<Symbol> = Vec::with_capacity(symtab.len());
    for s in symtab.symbols() {
        let name = symtab.symbol_name(e, s).map_err(malformed)?;
        let name = String::from_utf8_lossy(name).into_owned();
        syms.push((name, s.st_type(), s.st_shndx(e) as usize, s.st_value(e), s.st_size(e)));
    }

    let mut obj = Object::default();
    let find = |n: &str| secs.iter().position(|s| s.name == n && s.kind != elf::SHT_NULL);
    if let Some(i) = find("license") {
        let d = secs[i].data;
        let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
        obj.license = Some(String::from_utf8_lossy(&d[..end]).into_owned());
    }
    let btf_data = find(".BTF").map(|i| secs[i].data);
    let btf = match btf_data {
        Some(d) => Some(btf::Btf::parse(d)?),
        None => None,
    };
    // Maps, in libbpf's order: user maps, then global data.
    if let Some(i) = find("maps") {
        let mut named: Vec<(String, u64)> = syms
            .iter()
            .filter(|s| s.2 == i && s.1 != elf::STT_SECTION && !s.0.is_empty())
            .map(|s| (s.0.clone(), s.3))
            .collect();
        named.sort_by_key(|s| s.1);
        maps::legacy_maps(secs[i].data, i, &named, &mut obj.maps)?;
    }
    if let Some(i) = find(".maps") {
        let b = btf.as_ref().ok_or_else(|| {
            ElfError::Btf(String::from(
                "the object has a .maps section but no .BTF (compile with -g)",
            ))
        })?;
        let named: Vec<(String, u64)> = syms
            .iter()
            .filter(|s| s.2 == i && s.1 == elf::STT_OBJECT && !s.0.is_empty())
            .map(|s| (s.0.clone(), s.3))
            .collect();
        maps::btf_maps(b, i, &named, &mut obj.maps)?;
    }
    let mut global_data = 0u64;
    for (i, s) in secs.iter().enumerate() {
        if s.kind != elf::SHT_PROGBITS && s.kind != elf::SHT_NOBITS {
            continue;
        }
        if maps::data_section_kind(s.name).is_some() && s.size > 0 {
            // .bss takes no room in the file: its size alone must not make us allocate much.
            global_data = global_data.saturating_add(s.size);
            if global_data > MAX_GLOBAL_DATA {
                return Err(ElfError::Limit(format!(
                    "global data (.data, .rodata, .bss) over {MAX_GLOBAL_DATA} bytes"
                )));
            }
            let data = if s.kind == elf::SHT_NOBITS { None } else { Some(s.data) };
            maps::data_map(s.name, i, s.size, data, &mut obj.maps)?;
        }
    }

    // Code sections.
    let mut code: Vec<CodeSection> = Vec::new();
    for (i, s) in secs.iter().enumerate() {
        if s.kind != elf::SHT_PROGBITS
            || s.flags & elf::SHF_EXECINSTR as u64 == 0
            || s.data.is_empty()
        {
            continue;
        }
        if s.data.len() % 8 != 0 {
            return Err(ElfError::Malformed(format!(
                "code section `{}` is {} bytes, not a whole number of instructions",
                s.name,
                s.data.len()
            )));
        }
        let insns: Vec<RawInsn> = s
            .data
            .chunks_exact(8)
            .map(|c| RawInsn::from_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        let n = insns.len();
        let mut funcs: Vec<(String, usize, usize)> = Vec::new();
        for (name, ty, shndx, value, size) in &syms {
            if *shndx != i || *ty != elf::STT_FUNC {
                continue;
            }
            if value % 8 != 0
                || size % 8 != 0
                || *size == 0
                || value.checked_add(*size).is_none_or(|end| end > s.data.len() as u64)
            {
                return Err(ElfError::Malformed(format!(
                    "function `{name}` ({value}+{size}) does not fit in section `{}`",
                    s.name
                )));
            }
            funcs.push((name.clone(), (*value / 8) as usize, (*size / 8) as usize));
        }
        funcs.sort_by_key(|f| f.1);
        if funcs.windows(2).any(|w| w[0].1 + w[0].2 > w[1].1) {
            return Err(ElfError::Malformed(format!("functions of section `{}` overlap", s.name)));
        }
        if funcs.is_empty() {
            return Err(ElfError::Unsupported(format!(
                "section `{}` holds code but no function symbol",
                s.name
            )));
        }
        code.push(CodeSection {
            index: i,
            name: s.name.to_string(),
            insns,
            lines: alloc::vec![None; n],
            funcs,
            call_relocs: BTreeMap::new(),
            func_relocs: BTreeMap::new(),
            core_relos: Default::default(),
            externs: BTreeMap::new(),
        });
    }
    let text = code.iter().position(|c| c.name == ".text");
    let text_index = text.map(|t| code[t].index);

    // Relocations of code sections.
    for s in secs.iter() {
        if s.kind == elf::SHT_RELA {
            if code.iter().any(|c| c.index == s.info as usize) {
                return Err(ElfError::Unsupported(String::from(
                    "RELA relocations in code (BPF objects use REL)",
                )));
            }
            continue;
        }
        if s.kind != elf::SHT_REL {
            continue;
        }
        if find(".maps") == Some(s.info as usize) {
            prog_array_slots(s, &secs, &syms, &mut obj.maps)?;
            continue;
        }
        let Some(c) = code.iter_mut().find(|c| c.index == s.info as usize) else { continue };
        for (off, symi) in rel_entries(s)? {
            let (name, ty, shndx, value, _) = syms.get(symi).ok_or_else(|| ElfError::Reloc {
                section: c.name.clone(),
                offset: off,
                message: format!("symbol {symi} does not exist"),
            })?;
            let section_name = secs.get(*shndx).map(|s| s.name).unwrap_or("").to_string();
            let name = if *ty == elf::STT_SECTION { section_name.clone() } else { name.clone() };
            let sym = RelSym {
                name,
                shndx: if *shndx >= secs.len() { 0 } else { *shndx },
                value: *value,
                section_name,
            };
            reloc::apply(c, off, &sym, &obj.maps, text_index)?;
        }
    }

    // Line info.
    if let (Some(b), Some(i)) = (&btf, find(".BTF.ext")) {
        let ext = lines::parse(secs[i].data, b)?;
        // A program that a CO-RE relocation patches cannot be linked; the others load.
        for (sec_name, insns) in ext.core_relos {
            if let Some(c) = code.iter_mut().find(|c| c.name == sec_name) {
                c.core_relos.extend(insns);
            }
        }
        // Strings are copied once per distinct offset, cut to a bounded length.
        let mut file_of: BTreeMap<u32, usize> = BTreeMap::new();
        let mut source_bytes = 0usize;
        for (sec_name, recs) in ext.lines {
            let Some(c) = code.iter_mut().find(|c| c.name == sec_name) else { continue };
            let mut at: BTreeMap<usize, SrcLine> = BTreeMap::new();
            for r in recs {
                let file = match file_of.get(&r.file_off) {
                    Some(&f) => f,
                    None => {
                        let name = clip(b.str_at(r.file_off)?, MAX_FILE_NAME);
                        let f = match obj.files.iter().position(|f| *f == name) {
                            Some(f) => f,
                            None if obj.files.len() < MAX_FILES => {
                                obj.files.push(name);
                                obj.files.len() - 1
                            }
                            None => {
                                return Err(ElfError::Limit(format!(
                                    "line info names more than {MAX_FILES} source files"
                                )))
                            }
                        };
                        file_of.insert(r.file_off, f);
                        f
                    }
                };
                let l = SrcLine { file, line: r.line, col: r.col };
                if source_bytes < MAX_SOURCE_TEXT && !obj.source.contains_key(&(file, r.line)) {
                    let text = clip(b.str_at(r.text_off)?, MAX_LINE_TEXT);
                    if !text.is_empty() {
                        source_bytes += text.len();
                        obj.source.insert((file, r.line), text);
                    }
                }
                if r.insn < c.insns.len() {
                    at.insert(r.insn, l);
                }
            }
            // Each record holds until the next one, within its function.
            for &(_, start, len) in &c.funcs {
                let mut cur = None;
                for k in start..start + len {
                    if let Some(l) = at.get(&k) {
                        cur = Some(*l);
                    }
                    c.lines[k] = cur;
                }
            }
        }
    }

    obj.btf_refused = btf.as_ref().and_then(funcs::kernel_refuses);

    // Programs: the functions of sections other than .text, linked.
    let mut total_linked = 0usize;
    for (si, c) in code.iter().enumerate() {
        if Some(si) == text {
            continue;
        }
        for fi in 0..c.funcs.len() {
            if obj.programs.len() >= MAX_PROGRAMS {
                return Err(ElfError::Limit(format!("more than {MAX_PROGRAMS} programs")));
            }
            let linked = match reloc::link(&code, si, fi, text) {
                Ok(l) => l,
                Err(e @ ElfError::Unsupported(_)) => {
                    obj.unlinked.push((c.funcs[fi].0.clone(), c.name.clone(), e));
                    continue;
                }
                Err(e) => return Err(e),
            };
            // Each program gets its own copy of the subprograms it calls: bound the total.
            total_linked += linked.raw.len();
            if total_linked > MAX_TOTAL_LINKED {
                return Err(ElfError::Limit(format!("the programs with their subprograms come to over {MAX_TOTAL_LINKED} instructions")));
            }
            obj.programs.push(ElfProgram {
                name: c.funcs[fi].0.clone(),
                section: c.name.clone(),
                prog_type: prog_type_for_section(&c.name),
                raw: linked.raw,
                lines: linked.lines,
                func_info: btf
                    .as_ref()
                    .filter(|_| obj.btf_refused.is_none())
                    .map(|b| funcs::func_infos(b, &linked.funcs))
                    .unwrap_or_default(),
                funcs: linked.funcs,
            });
        }
    }
    if obj.programs.is_empty() {
        return Err(match obj.unlinked.into_iter().next() {
            Some((_, _, e)) => e,
            None => ElfError::NoPrograms,
        });
    }
    Ok(obj)
}

#[cfg(test)]
mod tests;
