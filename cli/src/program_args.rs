//! What `run` and `verify` share: FILE (`.bin` raw instructions, `.s` assembly or `.o` a
//! clang-compiled BPF object), `--type TYPE` (required but for `.o`, where the section name
//! gives it), `--prog NAME` (which program of a `.o`) and
//! `--map NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES` (repeatable; in a `.bin` an LD_IMM64 map
//! reference's imm is the index of its `--map`; in a `.s`, `map NAME: ...` declarations also
//! define maps; a `.o` defines its own maps).

use crate::Unusable;
use bpfplay_core::elf::ElfError;
use bpfplay_core::program::{self, LoadError, Loaded};
use bpfplay_core::ProgType;
use bpfplay_core::RawInsn;
use bpfplay_core::{MapDef, MapKind};

pub struct Program {
    /// The program as the core loaded it (the fields below are its parts, kept for the
    /// commands that read them).
    pub loaded: Loaded,
    pub prog_type: ProgType,
    pub raw: Vec<RawInsn>,
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
    /// A map NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:EXTRA]] (repeatable; KIND:
    /// hash, array, percpu_array, percpu_hash, lru_hash, lru_percpu_hash, lpm_trie, queue,
    /// stack, bloom_filter, ringbuf, prog_array; FLAGS the map_flags, e.g. 1 =
    /// BPF_F_NO_PREALLOC that lpm_trie needs; EXTRA the map_extra, a bloom_filter's number of
    /// hash functions); in a .bin an LD_IMM64 map reference's imm is the index of its --map
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

/// Parses `NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:EXTRA]]` (the value parser
/// of `--map`).
pub fn parse_map_spec(spec: &str) -> Result<MapDef, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (name, kind, k, v, m, fl, ex) = match parts[..] {
        [a, b, c, d, e] => (a, b, c, d, e, "0", "0"),
        [a, b, c, d, e, f] => (a, b, c, d, e, f, "0"),
        [a, b, c, d, e, f, g] => (a, b, c, d, e, f, g),
        _ => {
            return Err("expected NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:EXTRA]]".into())
        }
    };
    let kind = MapKind::parse(kind)
        .ok_or_else(|| format!("unknown kind `{kind}` ({})", MapKind::names()))?;
    let num =
        |s: &str, what: &str| s.parse::<u32>().map_err(|_| format!("{what} `{s}` is not a number"));
    let def = MapDef {
        name: name.to_string(),
        kind,
        key_size: num(k, "key size")?,
        value_size: num(v, "value size")?,
        max_entries: num(m, "max entries")?,
        flags: num(fl, "flags")?,
        map_extra: ex.parse::<u64>().map_err(|_| format!("extra `{ex}` is not a number"))?,
        inner: None,
        record: Default::default(),
    };
    def.check().map_err(|e| e.message)?;
    Ok(def)
}

/// Reads FILE and loads it with the core's loader.
pub fn load(file: &str, want: &Want) -> Result<Program, Unusable> {
    let bytes = std::fs::read(file).map_err(|e| Unusable(format!("{file}: {e}")))?;
    let elf = file.ends_with(".o") || program::is_elf(&bytes);
    if elf && !want.maps.is_empty() {
        return Err(Unusable(format!(
            "{file}: a .o defines its own maps; --map is for .bin and .s files"
        )));
    }
    if !elf && want.prog.is_some() {
        return Err(Unusable(format!("{file}: --prog picks a program of a .o object")));
    }
    if !elf && want.prog_type.is_none() {
        // Only an object names its own type.
        return Err(Unusable(format!("{file}: --type is required ({})", ProgType::names())));
    }
    let loaded = if elf {
        program::from_elf(&bytes, want.prog).map_err(|e| match e {
            LoadError::Elf(ElfError::NoSuchProgram { .. }) => {
                Unusable(format!("{file}: {e} (choose with --prog NAME)"))
            }
            e => Unusable(format!("{file}: {e}")),
        })?
    } else if file.ends_with(".s") || file.ends_with(".asm") {
        let text =
            String::from_utf8(bytes).map_err(|_| Unusable(format!("{file}: not UTF-8 text")))?;
        program::from_source(&text, want.maps).map_err(|e| match (e.line(), e.col()) {
            (Some(l), Some(c)) => Unusable(format!("{file}:{l}:{c}: {}", e.message())),
            (Some(l), None) => Unusable(format!("{file}:{l}: {}", e.message())),
            _ => Unusable(format!("{file}: {e}")),
        })?
    } else {
        program::from_raw(&bytes, want.maps).map_err(|e| Unusable(format!("{file}: {e}")))?
    };
    let prog_type = match loaded.prog_type_or(want.prog_type) {
        Some(t) => t,
        None => match &loaded.elf {
            Some(o) => {
                return Err(Unusable(format!(
                    "{file}: program `{}` is in section `{}`, which names a program type bpfplay does not model; give --type",
                    o.name, o.section
                )))
            }
            None => {
                return Err(Unusable(format!(
                    "{file}: --type is required ({})",
                    ProgType::names()
                )))
            }
        },
    };
    Ok(Program { prog_type, raw: loaded.raw.clone(), loaded })
}

/// The value parser of `--type`.
pub fn parse_type(s: &str) -> Result<ProgType, String> {
    ProgType::parse(s).ok_or_else(|| format!("unknown program type `{s}` ({})", ProgType::names()))
}
