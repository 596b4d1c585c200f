//! The program model: whatever the user brings — assembly with `map` declarations, raw
//! instructions, or a clang-built ELF object — becomes one [`Loaded`] program, and everything
//! after loading (the verifier, the interpreter, the page's panels, the CLI) reads that.
//! Front ends call these loaders and nothing else to load, so a new source of programs or a
//! new map kind is handled here once.

use crate::asm::{assemble_with_maps, AsmError};
use crate::elf::{self, ElfError, Object};
use crate::isa::decode::{decode_with, Dialect};
use crate::isa::{Program, RawInsn};
use crate::maps::{MapDef, MapDefError, MapStore, BPF_ANY};
use crate::progtype::ProgType;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

/// A program ready for the verifier and the interpreter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// The type the program names for itself (an ELF section such as `xdp`), if any.
    pub prog_type: Option<ProgType>,
    /// The instructions as encoded (map references' `imm` index [`Loaded::maps`]).
    pub raw: Vec<RawInsn>,
    /// The same, decoded (what the interpreter runs).
    pub program: Program,
    /// The maps in index order.
    pub maps: Vec<MapDef>,
    /// Each map's initial element 0 (`init=HEX`, a C object's `.data`/`.rodata`).
    pub init: Vec<Option<Vec<u8>>>,
    /// The 1-based source line of every instruction slot (0 where there is none: raw bytes).
    pub lines: Vec<usize>,
    /// The C line of every slot, from a `; TEXT @ FILE:LINE` comment (assembly written from
    /// an object) or from the object's line info.
    pub c_lines: Vec<Option<CLine>>,
    /// The C source files `c_lines` name.
    pub files: Vec<String>,
    /// The C text of each (file, line) that line info gives.
    pub c_text: BTreeMap<(usize, u32), String>,
    /// An object's program: its function name and section.
    pub elf: Option<ElfOrigin>,
    /// The object's programs that its prog_array `values` name, runnable as tail-call
    /// targets: a slot naming `tail_targets[k]` holds `k + 1` ([`Loaded::programs`]).
    pub tail_targets: Vec<TailTarget>,
    /// What the object's BTF says (func and line info; empty without BTF), which the
    /// verifier reads as the kernel reads what libbpf passes ([`Loaded::verify`]).
    pub btf: crate::verifier::BtfInfo,
    /// The slots filled at load time: (map index, slot, program number) of a prog_array,
    /// (map index, slot, map index) of a map of maps, as libbpf fills them from `values`.
    pub slots: Vec<(usize, u32, u32)>,
}

/// A program of the same object that a prog_array slot names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TailTarget {
    pub name: String,
    pub program: Program,
}

/// An instruction's place in the C source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CLine {
    /// Index into [`Loaded::files`].
    pub file: usize,
    pub line: u32,
}

/// Where in an object a program came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfOrigin {
    pub name: String,
    pub section: String,
}

/// Why a program could not be loaded. Lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The assembly does not assemble.
    Asm(AsmError),
    /// A `map` declaration the kernel would refuse (or that does not parse).
    MapDecl { line: usize, name: String, error: MapDefError },
    /// A map is referred to but declared nowhere.
    UndeclaredMap { line: usize, name: String },
    /// Raw instructions whose length is not a multiple of 8.
    RawLength(usize),
    /// The object could not be loaded (or has no such program).
    Elf(ElfError),
    /// The maps could not be created, or an initial value not written.
    MapCreate { name: String, message: String },
}

impl LoadError {
    /// The source line the error is on, where there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            LoadError::Asm(e) => Some(e.line),
            LoadError::MapDecl { line, .. } | LoadError::UndeclaredMap { line, .. } => Some(*line),
            _ => None,
        }
    }
    /// The column, for assembly errors.
    pub fn col(&self) -> Option<usize> {
        match self {
            LoadError::Asm(e) => Some(e.col),
            _ => None,
        }
    }
    /// The message without its position.
    pub fn message(&self) -> String {
        match self {
            LoadError::Asm(e) => e.message.clone(),
            LoadError::MapDecl { name, error, .. } => format!("map `{name}`: {error}"),
            LoadError::UndeclaredMap { name, .. } => format!(
                "map `{name}` is used but not declared: add a line such as `map {name}: hash key=4 value=8 max=64`"
            ),
            LoadError::RawLength(n) => {
                format!("{n} bytes is not a whole number of 8-byte instructions")
            }
            LoadError::Elf(e) => e.to_string(),
            LoadError::MapCreate { name, message } => format!("map `{name}`: {message}"),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line(), self.col()) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message()),
            (Some(l), None) => write!(f, "line {l}: {}", self.message()),
            _ => f.write_str(&self.message()),
        }
    }
}

impl From<ElfError> for LoadError {
    fn from(e: ElfError) -> Self {
        LoadError::Elf(e)
    }
}

/// Loads assembly text: instructions (pseudo-C or uBPF syntax) and `map NAME: KIND key=N
/// value=N max=N [flags=N] [init=HEX]` declarations. `given` are maps defined outside the
/// text (the CLI's `--map`): they take the first indexes and need no declaration.
pub fn from_source(src: &str, given: &[MapDef]) -> Result<Loaded, LoadError> {
    let names: Vec<String> = given.iter().map(|m| m.name.clone()).collect();
    let a = assemble_with_maps(src, &names).map_err(LoadError::Asm)?;
    let mut maps = Vec::with_capacity(a.maps.len());
    let mut init = Vec::with_capacity(a.maps.len());
    for name in &a.maps {
        if let Some(m) = given.iter().find(|m| &m.name == name) {
            maps.push(m.clone());
            init.push(None);
            continue;
        }
        let Some(decl) = a.map_decls.iter().find(|d| &d.name == name) else {
            return Err(LoadError::UndeclaredMap {
                line: first_mention(src, name),
                name: name.clone(),
            });
        };
        // `inner=NAME` names another declared map: its definition is the inner map's.
        let inner = |n: &str| match a.map_decls.iter().find(|d| d.name == n) {
            Some(d) => MapDef::parse_spec(&d.name, &d.spec),
            None => Err(MapDefError {
                error: crate::maps::MapError::BadF,
                message: format!("no map `{n}` is declared to be the inner map"),
            }),
        };
        let (def, value) =
            MapDef::parse_spec_full(&decl.name, &decl.spec, &inner).map_err(|error| {
                LoadError::MapDecl { line: decl.line, name: decl.name.clone(), error }
            })?;
        maps.push(def);
        init.push(value);
    }
    let (files, c_lines) = c_lines_of_comments(src, &a.lines);
    let btf = btf_of_comments(src, &a.lines);
    Ok(Loaded {
        prog_type: None,
        raw: a.program.to_raw(),
        program: a.program,
        maps,
        init,
        lines: a.lines,
        c_lines,
        files,
        c_text: BTreeMap::new(),
        elf: None,
        tail_targets: Vec::new(),
        slots: Vec::new(),
        btf,
    })
}

/// Loads raw little-endian instructions; an `LD_IMM64` map reference's `imm` indexes `maps`.
pub fn from_raw(bytes: &[u8], maps: &[MapDef]) -> Result<Loaded, LoadError> {
    if !bytes.len().is_multiple_of(8) {
        return Err(LoadError::RawLength(bytes.len()));
    }
    let raw: Vec<RawInsn> = bytes
        .chunks_exact(8)
        .map(|c| RawInsn::from_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    // Raw bytes are the kernel's to judge: a slot that does not decode is the verifier's
    // error, so the decoded form is kept only when every slot decodes.
    let program = decode_with(&raw, Dialect::Kernel).unwrap_or_default();
    Ok(Loaded {
        prog_type: None,
        lines: vec![0; raw.len()],
        c_lines: vec![None; raw.len()],
        raw,
        program,
        maps: maps.to_vec(),
        init: vec![None; maps.len()],
        ..Loaded::default()
    })
}

/// Loads program `prog` of an object (or its only program): instructions linked with their
/// subprograms, the object's maps with their initial contents, line info and C text.
pub fn from_elf(bytes: &[u8], prog: Option<&str>) -> Result<Loaded, LoadError> {
    let obj = elf::load(bytes)?;
    from_object(&obj, prog)
}

/// [`from_elf`] for an object already read (one object, several programs).
pub fn from_object(obj: &Object, prog: Option<&str>) -> Result<Loaded, LoadError> {
    let p = obj.program(prog)?;
    let decode = |p: &elf::ElfProgram| {
        decode_with(&p.raw, Dialect::Kernel)
            .map_err(|e| ElfError::Unsupported(format!("program `{}`: {e}", p.name)))
    };
    // As for raw bytes: a slot that does not decode is the verifier's to report (the
    // kernel's "R15 is invalid"), so the decoded form is kept only when every slot decodes.
    let program = decode(p).unwrap_or_default();
    // Every program a prog_array slot names, in order of first mention; the program itself
    // is number 0. A slot naming a program that does not decode stays empty (its own load
    // would report why).
    let mut tail_targets: Vec<TailTarget> = Vec::new();
    let mut slots = Vec::new();
    for (i, m) in obj.maps.iter().enumerate() {
        for (slot, name) in &m.slots {
            if m.def.kind.is_map_in_map() {
                if let Some(k) = obj.maps.iter().position(|x| x.def.name == *name) {
                    slots.push((i, *slot, k as u32));
                }
                continue;
            }
            let k = if *name == p.name {
                0
            } else if let Some(k) = tail_targets.iter().position(|t| t.name == *name) {
                k + 1
            } else {
                let Ok(t) = obj.program(Some(name)) else { continue };
                let Ok(program) = decode(t) else { continue };
                tail_targets.push(TailTarget { name: name.clone(), program });
                tail_targets.len()
            };
            slots.push((i, *slot, k as u32));
        }
    }
    Ok(Loaded {
        tail_targets,
        slots,
        btf: if obj.btf_refused.is_some() {
            crate::verifier::BtfInfo::default()
        } else {
            crate::verifier::BtfInfo { funcs: p.func_info.clone(), lines: line_infos(obj, p) }
        },
        prog_type: p.prog_type,
        raw: p.raw.clone(),
        program,
        maps: obj.map_defs(),
        init: obj.maps.iter().map(|m| m.data.clone()).collect(),
        lines: p.lines.iter().map(|l| l.map_or(0, |l| l.line as usize)).collect(),
        c_lines: p.lines.iter().map(|l| l.map(|l| CLine { file: l.file, line: l.line })).collect(),
        files: obj.files.clone(),
        c_text: obj.source.clone(),
        elf: Some(ElfOrigin { name: p.name.clone(), section: p.section.clone() }),
    })
}

/// The line records of an object's program for the verifier's log
/// ([`elf::ElfProgram::line_records`]).
fn line_infos(obj: &Object, p: &elf::ElfProgram) -> Vec<crate::verifier::LineInfo> {
    p.line_records()
        .into_iter()
        .map(|(i, l)| {
            let file = obj.files.get(l.file).map(String::as_str).unwrap_or("");
            crate::verifier::LineInfo {
                insn: i,
                text: obj.source.get(&(l.file, l.line)).cloned().unwrap_or_default(),
                file: String::from(file.rsplit('/').next().unwrap_or(file)),
                line: l.line,
            }
        })
        .collect()
}

/// The BTF func and line info that assembly written from an object carries
/// (`elf::annotated`): a `// btf: SIGNATURE` line under each `// function NAME`, and the
/// `; TEXT @ FILE:LINE` comments, each a line record of the instruction after it. Func info
/// only when every function has its signature (the kernel takes all or none).
fn btf_of_comments(src: &str, lines: &[usize]) -> crate::verifier::BtfInfo {
    // The first slot after source line `l` (slots' lines only grow).
    let next_slot =
        |l: usize| Some(lines.partition_point(|&s| s <= l)).filter(|&i| i < lines.len());
    let mut info = crate::verifier::BtfInfo::default();
    if src.lines().any(|l| l.trim_start().starts_with(elf::source::BTF_REFUSED)) {
        return info;
    }
    let (mut functions, mut func) = (0usize, None::<String>);
    for (k, text) in src.lines().enumerate() {
        let t = text.trim();
        if let Some(name) = t.strip_prefix("// function ") {
            functions += 1;
            func = Some(String::from(name.trim()));
        } else if let Some(sig) = t.strip_prefix("// btf: ") {
            let f = func.take().zip(next_slot(k + 1));
            if let Some(fi) =
                f.and_then(|(n, at)| crate::verifier::FuncInfo::parse_annotation(sig, &n, at))
            {
                info.funcs.push(fi);
            }
        } else if let Some((file, line)) = elf::source::parse_line_comment(t) {
            let Some(at) = next_slot(k + 1) else { continue };
            let body = t[1..].rsplit_once(" @ ").map_or("", |(b, _)| b);
            info.lines.push(crate::verifier::LineInfo {
                insn: at,
                text: String::from(body.trim()),
                file: String::from(file),
                line,
            });
        }
    }
    if info.funcs.len() != functions {
        info.funcs.clear();
    }
    info
}

/// Does `bytes` look like an ELF object rather than text or raw instructions?
pub fn is_elf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF")
}

impl Loaded {
    /// The maps created as the kernel creates them at load time, element 0 of each map with
    /// an initial value holding it (`ncpus` copies of per-CPU values).
    pub fn map_store(&self, ncpus: usize) -> Result<MapStore, LoadError> {
        let mut store = MapStore::from_defs(&self.maps, ncpus).map_err(|(i, e)| {
            LoadError::MapCreate { name: self.maps[i].name.clone(), message: e.to_string() }
        })?;
        for (i, v) in self.init.iter().enumerate() {
            if let Some(v) = v {
                store.update(i, &0u32.to_le_bytes(), v, BPF_ANY).map_err(|e| {
                    LoadError::MapCreate {
                        name: self.maps[i].name.clone(),
                        message: format!("initial value: {e}"),
                    }
                })?;
            }
        }
        for &(i, slot, k) in &self.slots {
            store.update(i, &slot.to_le_bytes(), &k.to_le_bytes(), BPF_ANY).map_err(|e| {
                LoadError::MapCreate {
                    name: self.maps[i].name.clone(),
                    message: format!("slot {slot}: {e}"),
                }
            })?;
        }
        Ok(store)
    }

    /// The verifier's verdict on the program, with its BTF func info where it has some.
    pub fn verify(&self, opts: &crate::verifier::Options) -> crate::verifier::Verdict {
        self.verify_with_progress(opts, &mut |_| {})
    }

    /// [`Loaded::verify`], telling `progress` the processed count now and then
    /// ([`crate::verifier::verify_with_progress`]).
    pub fn verify_with_progress(
        &self,
        opts: &crate::verifier::Options,
        progress: &mut dyn FnMut(u64),
    ) -> crate::verifier::Verdict {
        crate::verifier::verify_btf(&self.raw, &self.maps, &self.btf, opts, progress)
    }

    /// The program and its tail-call targets, numbered as the prog_array slots name them
    /// (for [`crate::run::run_many`]).
    pub fn programs(&self) -> Vec<Program> {
        let mut v = vec![self.program.clone()];
        v.extend(self.tail_targets.iter().map(|t| t.program.clone()));
        v
    }

    /// The program's type: the one asked for, else the one it names.
    pub fn prog_type_or(&self, asked: Option<ProgType>) -> Option<ProgType> {
        asked.or(self.prog_type)
    }

    /// The 1-based source line of instruction `insn` (None for raw bytes).
    pub fn line_of(&self, insn: usize) -> Option<usize> {
        self.lines.get(insn).copied().filter(|&l| l > 0)
    }

    /// The C file name (without directories) and line of instruction `insn`.
    pub fn c_line_of(&self, insn: usize) -> Option<(&str, u32)> {
        let l = self.c_lines.get(insn).copied().flatten()?;
        let f = self.files.get(l.file)?;
        Some((f.rsplit('/').next().unwrap_or(f), l.line))
    }
}

fn first_mention(src: &str, name: &str) -> usize {
    let pat = format!("[{name}]");
    src.lines().position(|l| l.contains(&pat)).map(|i| i + 1).unwrap_or(1)
}

/// The C line of each slot from the `; TEXT @ FILE:LINE` comments of assembly written from an
/// object (`elf::source::annotated`): the nearest such comment above the slot's line, within
/// the same function.
fn c_lines_of_comments(src: &str, lines: &[usize]) -> (Vec<String>, Vec<Option<CLine>>) {
    let mut files: Vec<String> = Vec::new();
    let mut at_line: Vec<Option<CLine>> = Vec::new();
    let mut cur: Option<CLine> = None;
    let mut any = false;
    for l in src.lines() {
        let t = l.trim();
        if t.starts_with("// function ") {
            cur = None;
        } else if let Some((file, line)) = elf::source::parse_line_comment(t) {
            let idx = match files.iter().position(|f| f == file) {
                Some(i) => i,
                None => {
                    files.push(file.to_string());
                    files.len() - 1
                }
            };
            cur = Some(CLine { file: idx, line });
            any = true;
        }
        at_line.push(cur);
    }
    if !any {
        return (files, vec![None; lines.len()]);
    }
    let c = lines.iter().map(|&l| l.checked_sub(1).and_then(|i| at_line.get(i).copied().flatten()));
    (files, c.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maps::{MapError, MapKind};

    #[test]
    fn source_maps_are_indexed_and_initialised() {
        let l = from_source(
            "map g: array key=4 value=4 max=1 init=2a000000\nr1 = map[g] ll\nr0 = 0\nexit",
            &[],
        )
        .unwrap();
        assert_eq!(l.maps[0].kind, MapKind::Array);
        assert_eq!(l.init[0].as_deref(), Some(&[42, 0, 0, 0][..]));
        assert_eq!(l.lines, [2, 2, 3, 4]);
        let store = l.map_store(1).unwrap();
        assert_eq!(store.lookup(0, &[0; 4]).unwrap(), [42, 0, 0, 0]);
    }

    /// A map of maps declared with `inner=NAME`: the verifier types the looked-up value as
    /// the inner map (`map_ptr` without a name, as the kernel's inner_map_meta prints), and
    /// a run reaches the map stored in the slot.
    #[test]
    fn maps_of_maps_hold_maps() {
        use crate::run::{run_many, Input, PacketSpec, RunPlan};
        use crate::verifier::{verify, Options};
        let src = "map outer: array_of_maps max=2 inner=t\nmap t: array key=4 value=8 max=1\n\
            *(u32 *)(r10 -4) = 0\nr2 = r10\nr2 += -4\nr1 = map[outer] ll\n\
            call bpf_map_lookup_elem\nif r0 == 0 goto out\nr1 = r0\nr2 = r10\nr2 += -4\n\
            call bpf_map_lookup_elem\nif r0 == 0 goto out\nr0 = *(u64 *)(r0 +0)\nexit\n\
            out:\nr0 = 99\nexit";
        let l = from_source(src, &[]).unwrap();
        assert_eq!(l.maps[0].inner.as_deref().map(|m| m.value_size), Some(8));
        let v = verify(&l.raw, &l.maps, &Options { log_level: 2, ..Options::default() });
        assert!(v.accepted, "{:?}", v.error);
        assert!(v.log.contains("R0=map_value_or_null(id=1,map=outer,ks=4,vs=4)"), "{}", v.log);
        assert!(v.log.contains("R1=map_ptr(ks=4,vs=8)"), "{}", v.log);
        assert!(v.log.contains("R0=map_value(ks=4,vs=8)"), "{}", v.log);
        // Moving the inner map pointer is refused as the kernel refuses it (the selftests'
        // verifier_map_in_map/invalid_inner_map_pointer).
        let bad = src.replace("r1 = r0\nr2 = r10", "r1 = r0\nr1 += 8\nr2 = r10");
        let l2 = from_source(&bad, &[]).unwrap();
        let v = verify(&l2.raw, &l2.maps, &Options::default());
        assert_eq!(v.error.unwrap().message, "R1 pointer arithmetic on map_ptr prohibited");
        // An empty slot gives NULL; slot 0 holding map 1 (t) gives its value.
        let input = Input::packet(PacketSpec::default().build());
        let world = crate::helpers::World::default();
        let go = |store: &mut MapStore| {
            let t = crate::progtype::ProgType::SocketFilter;
            run_many(&l.programs(), store, t, &input, &world, &RunPlan::default()).unwrap()
        };
        let mut store = l.map_store(1).unwrap();
        assert_eq!(go(&mut store).last.r0, 99);
        store.update(1, &[0; 4], &7u64.to_le_bytes(), 0).unwrap();
        store.update(0, &[0; 4], &1u32.to_le_bytes(), 0).unwrap();
        assert_eq!(go(&mut store).last.r0, 7);
        // Only maps that match the inner map fit; a map of maps needs one.
        assert_eq!(store.update(0, &[0; 4], &0u32.to_le_bytes(), 0), Err(MapError::Inval));
        let e = from_source("map o: hash_of_maps key=4 max=2\nr0 = 0\nexit", &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1: map `o`: a map of maps needs an inner map (inner=NAME) (EBADF)"
        );
    }

    #[test]
    fn errors_name_their_line() {
        let e = from_source("r0 = 0\nr1 = map[m] ll\nexit", &[]).unwrap_err();
        assert_eq!(e, LoadError::UndeclaredMap { line: 2, name: "m".into() });
        let e = from_source("map m: hash key=4 value=8\nr1 = map[m] ll\nr0 = 0\nexit", &[])
            .unwrap_err();
        assert!(matches!(&e, LoadError::MapDecl { line: 1, name, .. } if name == "m"), "{e:?}");
        assert_eq!(e.to_string(), "line 1: map `m`: missing max=N (EINVAL)");
        let e = from_source("r0 = 0\nr0 +=\nexit", &[]).unwrap_err();
        assert_eq!((e.line(), e.col().is_some()), (Some(2), true));
        assert_eq!(from_raw(&[0; 9], &[]).unwrap_err(), LoadError::RawLength(9));
    }

    #[test]
    fn given_maps_need_no_declaration() {
        let given = [MapDef::new("m", MapKind::Hash, 4, 8, 16)];
        let l = from_source("r1 = map[m] ll\nr0 = 0\nexit", &given).unwrap();
        assert_eq!(l.maps, given);
        assert_eq!(l.init, [None]);
    }

    #[test]
    fn c_comments_give_c_lines() {
        let src = "; int x = 1; @ prog.c:7\n    r0 = 1\n; return x; @ prog.c:8\n    exit\n";
        let l = from_source(src, &[]).unwrap();
        assert_eq!(l.c_line_of(0), Some(("prog.c", 7)));
        assert_eq!(l.c_line_of(1), Some(("prog.c", 8)));
        let plain = from_source("r0 = 0\nexit", &[]).unwrap();
        assert_eq!(plain.c_line_of(0), None);
    }

    /// A map whose value holds a spin lock or a timer (its BTF record, `spin_lock=`/`timer=`
    /// in a declaration) refuses the program types kernel/bpf/verifier.c's
    /// check_map_prog_compatibility names, before the walk; the tracing cases are measured
    /// in the selftests corpus (verifier_helper_restricted).
    #[test]
    fn special_value_fields_decide_which_programs_may_use_a_map() {
        use crate::progtype::ProgType;
        use crate::verifier::Options;
        let src = |f: &str| {
            alloc::format!("map m: array key=4 value=24 max=1 {f}\nr1 = map[m] ll\nr0 = 0\nexit")
        };
        let verdict = |f: &str, t: ProgType| {
            let l = from_source(&src(f), &[]).unwrap();
            l.verify(&Options { prog_type: t, ..Options::default() }).error.map(|e| e.message)
        };
        let msg = |m: &str| Some(String::from(m));
        assert_eq!(
            verdict("spin_lock=0", ProgType::Kprobe),
            msg("tracing progs cannot use bpf_spin_lock yet")
        );
        assert_eq!(
            verdict("spin_lock=4", ProgType::SocketFilter),
            msg("socket filter progs cannot use bpf_spin_lock yet")
        );
        assert_eq!(verdict("spin_lock=0", ProgType::Xdp), None);
        assert_eq!(
            verdict("timer=8", ProgType::Tracepoint),
            msg("tracing progs cannot use bpf_timer yet")
        );
        assert_eq!(verdict("timer=8", ProgType::SocketFilter), None);
        // A field must lie within the value.
        let e = from_source(&src("timer=16"), &[]).unwrap_err().to_string();
        assert!(
            e.contains("timer=16: a 16-byte field must lie within the value (24 bytes)"),
            "{e}"
        );
    }

    /// bpf_loop: the verifier walks the callback once per iteration it cannot rule out
    /// (here the count is 10, so until the states converge), and the run calls it with each
    /// index until it returns 1. Callbacks need func info, here from `// btf:` lines.
    #[test]
    fn bpf_loop_calls_its_callback_until_it_returns_one() {
        use crate::progtype::ProgType;
        use crate::run::{default_world, run_many, Input, RunPlan};
        use crate::verifier::Options;
        let src = "// function main\n// btf: global int4 (ptr(STRUCT __sk_buff 192 -))\n\
            *(u64 *)(r10 -8) = 0\nr1 = 10\nr2 = subprog[cb]\nr3 = r10\nr3 += -8\nr4 = 0\n\
            call bpf_loop\nr1 = *(u64 *)(r10 -8)\nr0 *= 100\nr0 += r1\nexit\n\
            // function cb\n// btf: static int8 (int8, ptr(UNKNOWN - - -))\ncb:\n\
            r3 = *(u64 *)(r2 +0)\nr3 += r1\n*(u64 *)(r2 +0) = r3\nr0 = 0\n\
            if r1 != 6 goto out\nr0 = 1\nout:\nexit\n";
        let l = from_source(src, &[]).unwrap();
        let v = l.verify(&Options { prog_type: ProgType::SocketFilter, ..Options::default() });
        assert!(v.accepted, "{:?}\n{}", v.error, v.log);
        let mut maps = l.map_store(1).unwrap();
        let o = run_many(
            &l.programs(),
            &mut maps,
            ProgType::SocketFilter,
            &Input::packet(alloc::vec![0; 64]),
            &default_world(),
            &RunPlan::default(),
        )
        .unwrap();
        // 7 iterations (index 6 returns 1), summing 0..=6 = 21.
        assert_eq!(o.last.error, None);
        assert_eq!(o.last.retval, 721);
        // Without func info the kernel refuses the callback.
        let bare: alloc::string::String = src
            .lines()
            .filter(|l| !l.starts_with("// btf:"))
            .map(|l| l.to_string() + "\n")
            .collect();
        let v = from_source(&bare, &[]).unwrap().verify(&Options::default());
        assert_eq!(v.error.map(|e| e.message).as_deref(), Some("missing btf func_info"));
    }
}
