//! What `run` and `verify` share: FILE (`.bin` raw instructions or `.s` assembly),
//! `--type TYPE` and `--map NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES` (repeatable; in a `.bin`
//! an LD_IMM64 map reference's imm is the index of its `--map`; in a `.s`, `map NAME: ...`
//! declarations also define maps).

use crate::Unusable;
use bpfplay_core::maps::{MapDef, MapKind};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::{assemble, RawInsn};

pub struct Program {
    pub prog_type: ProgType,
    pub raw: Vec<RawInsn>,
    pub maps: Vec<MapDef>,
    /// Source line of each instruction slot, for `.s` input.
    pub lines: Option<Vec<usize>>,
}

/// Parses `NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES`.
pub fn parse_map_spec(spec: &str) -> Result<MapDef, Unusable> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [name, kind, k, v, m] = parts[..] else {
        return Err(Unusable(format!("--map `{spec}`: expected NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES")));
    };
    let kind = MapKind::parse(kind).ok_or_else(|| Unusable(format!("--map `{spec}`: unknown kind `{kind}` (hash, array, percpu_array, percpu_hash, lru_hash, ringbuf, prog_array)")))?;
    let num = |s: &str, what: &str| s.parse::<u32>().map_err(|_| Unusable(format!("--map `{spec}`: {what} `{s}` is not a number")));
    let def = MapDef { name: name.to_string(), kind, key_size: num(k, "key size")?, value_size: num(v, "value size")?, max_entries: num(m, "max entries")?, flags: 0 };
    def.check().map_err(|e| Unusable(format!("--map `{spec}`: {}", e.message)))?;
    Ok(def)
}

/// Reads FILE and builds the program with its maps.
pub fn load(file: &str, prog_type: ProgType, cli_maps: &[MapDef]) -> Result<Program, Unusable> {
    let bytes = std::fs::read(file).map_err(|e| Unusable(format!("{file}: {e}")))?;
    if file.ends_with(".s") || file.ends_with(".asm") {
        let text = String::from_utf8(bytes).map_err(|_| Unusable(format!("{file}: not UTF-8 text")))?;
        let names: Vec<String> = cli_maps.iter().map(|m| m.name.clone()).collect();
        let a = bpfplay_core::asm::assemble_with_maps(&text, &names).map_err(|e| Unusable(format!("{file}:{}:{}: {}", e.line, e.col, e.message)))?;
        let mut maps = Vec::new();
        for name in &a.maps {
            if let Some(m) = cli_maps.iter().find(|m| &m.name == name) {
                maps.push(m.clone());
            } else if let Some(d) = a.map_decls.iter().find(|d| &d.name == name) {
                maps.push(MapDef::parse_spec(&d.name, &d.spec).map_err(|e| Unusable(format!("{file}:{}: map `{}`: {}", d.line, d.name, e.message)))?);
            } else {
                return Err(Unusable(format!("{file}: map `{name}` is used but not declared (add `map {name}: KIND key=N value=N max=N` or --map)")));
            }
        }
        let _ = assemble;
        return Ok(Program { prog_type, raw: a.program.to_raw(), maps, lines: Some(a.lines) });
    }
    if bytes.len() % 8 != 0 {
        return Err(Unusable(format!("{file}: {} bytes is not a whole number of 8-byte instructions", bytes.len())));
    }
    let raw = bytes.chunks_exact(8).map(|c| RawInsn::from_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect();
    Ok(Program { prog_type, raw, maps: cli_maps.to_vec(), lines: None })
}

pub fn parse_type(s: &str) -> Result<ProgType, Unusable> {
    ProgType::parse(s).ok_or_else(|| Unusable(format!("unknown program type `{s}` (socket_filter, xdp, kprobe, tracepoint)")))
}
