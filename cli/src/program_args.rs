//! What `run` and `verify` share: FILE (`.bin` raw instructions, `.s` assembly or `.o` a
//! clang-compiled BPF object), `--type TYPE` (required but for `.o`, where the section name
//! gives it), `--prog NAME` (which program of a `.o`) and
//! `--map NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES` (repeatable; in a `.bin` an LD_IMM64 map
//! reference's imm is the index of its `--map`; in a `.s`, `map NAME: ...` declarations also
//! define maps; a `.o` defines its own maps).

use crate::Unusable;
use bpfplay_core::maps::{MapDef, MapKind};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::{assemble, RawInsn};

pub struct Program {
    pub prog_type: ProgType,
    pub raw: Vec<RawInsn>,
    pub maps: Vec<MapDef>,
    /// Initial value of element 0 of each map (global data of a `.o`: `.data`, `.rodata`).
    pub map_init: Vec<Option<Vec<u8>>>,
}

/// What to load from FILE besides its bytes.
pub struct Want<'a> {
    pub prog_type: Option<ProgType>,
    pub prog: Option<&'a str>,
    pub maps: &'a [MapDef],
}

/// FILE and the options `run` and `verify` share, as clap parses them.
#[derive(clap::Args, Debug)]
pub struct ProgramArgs {
    /// Program type: socket_filter, xdp, kprobe or tracepoint (optional for a .o, whose
    /// section names give it)
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_type, allow_hyphen_values = true)]
    pub prog_type: Option<ProgType>,
    /// Which program of a .o object
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub prog: Option<String>,
    /// A map NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES (repeatable; KIND: hash, array,
    /// percpu_array, percpu_hash, lru_hash, ringbuf, prog_array); in a .bin an LD_IMM64 map
    /// reference's imm is the index of its --map
    #[arg(long = "map", value_name = "SPEC", value_parser = parse_map_spec, allow_hyphen_values = true)]
    pub maps: Vec<MapDef>,
    /// The program: .s assembly, .bin raw little-endian instructions or a clang-compiled .o
    #[arg(value_name = "FILE")]
    pub file: String,
}

impl ProgramArgs {
    /// What to load from FILE.
    pub fn want(&self) -> Want<'_> {
        Want { prog_type: self.prog_type, prog: self.prog.as_deref(), maps: &self.maps }
    }
}

/// Parses `NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES` (the value parser of `--map`).
pub fn parse_map_spec(spec: &str) -> Result<MapDef, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [name, kind, k, v, m] = parts[..] else {
        return Err("expected NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES".into());
    };
    let kind = MapKind::parse(kind).ok_or_else(|| format!("unknown kind `{kind}` (hash, array, percpu_array, percpu_hash, lru_hash, ringbuf, prog_array)"))?;
    let num =
        |s: &str, what: &str| s.parse::<u32>().map_err(|_| format!("{what} `{s}` is not a number"));
    let def = MapDef {
        name: name.to_string(),
        kind,
        key_size: num(k, "key size")?,
        value_size: num(v, "value size")?,
        max_entries: num(m, "max entries")?,
        flags: 0,
    };
    def.check().map_err(|e| e.message)?;
    Ok(def)
}

/// Reads FILE and builds the program with its maps.
pub fn load(file: &str, want: &Want) -> Result<Program, Unusable> {
    let bytes = std::fs::read(file).map_err(|e| Unusable(format!("{file}: {e}")))?;
    if file.ends_with(".o") || bytes.starts_with(b"\x7fELF") {
        return load_object(file, &bytes, want);
    }
    if want.prog.is_some() {
        return Err(Unusable(format!("{file}: --prog picks a program of a .o object")));
    }
    let cli_maps = want.maps;
    let prog_type = want.prog_type.ok_or_else(|| {
        Unusable(format!("{file}: --type is required (socket_filter, xdp, kprobe, tracepoint)"))
    })?;
    if file.ends_with(".s") || file.ends_with(".asm") {
        let text =
            String::from_utf8(bytes).map_err(|_| Unusable(format!("{file}: not UTF-8 text")))?;
        let names: Vec<String> = cli_maps.iter().map(|m| m.name.clone()).collect();
        let a = bpfplay_core::asm::assemble_with_maps(&text, &names)
            .map_err(|e| Unusable(format!("{file}:{}:{}: {}", e.line, e.col, e.message)))?;
        let (mut maps, mut map_init) = (Vec::new(), Vec::new());
        for name in &a.maps {
            if let Some(m) = cli_maps.iter().find(|m| &m.name == name) {
                maps.push(m.clone());
                map_init.push(None);
            } else if let Some(d) = a.map_decls.iter().find(|d| &d.name == name) {
                let (def, init) = MapDef::parse_spec_init(&d.name, &d.spec).map_err(|e| {
                    Unusable(format!("{file}:{}: map `{}`: {}", d.line, d.name, e.message))
                })?;
                maps.push(def);
                map_init.push(init);
            } else {
                return Err(Unusable(format!("{file}: map `{name}` is used but not declared (add `map {name}: KIND key=N value=N max=N` or --map)")));
            }
        }
        let _ = assemble;
        return Ok(Program { prog_type, raw: a.program.to_raw(), maps, map_init });
    }
    if bytes.len() % 8 != 0 {
        return Err(Unusable(format!(
            "{file}: {} bytes is not a whole number of 8-byte instructions",
            bytes.len()
        )));
    }
    let raw = bytes
        .chunks_exact(8)
        .map(|c| RawInsn::from_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    Ok(Program { prog_type, raw, maps: cli_maps.to_vec(), map_init: vec![None; cli_maps.len()] })
}

/// A program of a `.o`: picked by `--prog` (or the only one), its type from `--type` or from
/// its section name, the object's maps.
fn load_object(file: &str, bytes: &[u8], want: &Want) -> Result<Program, Unusable> {
    if !want.maps.is_empty() {
        return Err(Unusable(format!(
            "{file}: a .o defines its own maps; --map is for .bin and .s files"
        )));
    }
    let obj = bpfplay_core::elf::load(bytes).map_err(|e| Unusable(format!("{file}: {e}")))?;
    let p = obj
        .program(want.prog)
        .map_err(|e| Unusable(format!("{file}: {e} (choose with --prog NAME)")))?;
    let prog_type = match (want.prog_type, p.prog_type) {
        (Some(t), _) | (None, Some(t)) => t,
        (None, None) => {
            return Err(Unusable(format!(
                "{file}: program `{}` is in section `{}`, which names a program type bpfplay does not model; give --type",
                p.name, p.section
            )))
        }
    };
    Ok(Program {
        prog_type,
        raw: p.raw.clone(),
        maps: obj.map_defs(),
        map_init: obj.maps.iter().map(|m| m.data.clone()).collect(),
    })
}

/// The value parser of `--type`.
pub fn parse_type(s: &str) -> Result<ProgType, String> {
    ProgType::parse(s).ok_or_else(|| {
        format!("unknown program type `{s}` (socket_filter, xdp, kprobe, tracepoint)")
    })
}
