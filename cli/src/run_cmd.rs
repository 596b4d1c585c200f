//! `bpfplay run --type TYPE [--input HEX] [--json] [--map SPEC]... FILE`: verifies a program
//! as Linux 6.18 would, then runs it once on an input with fresh maps.
//!
//! FILE: `.bin` raw little-endian instructions (an `LD_IMM64` with src_reg 1 and imm i
//! refers to the i-th `--map`), or `.s` assembly (its `map NAME: KIND key=N value=N max=N`
//! lines declare maps; a `--map` of the same name takes precedence), as `bpfplay verify`
//! reads them (`program_args`). SPEC: `NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES`.
//! `--input HEX`: for socket filters and XDP the whole frame as given to
//! `BPF_PROG_TEST_RUN` (default: the corpus's 64-byte test frame, byte i = i, EtherType
//! 0x88b5); for kprobe the `pt_regs` bytes, for tracepoint the record's bytes (default
//! zeros). Further options: `--budget N` (instructions, default 1000000), `--cpus N`
//! (possible CPUs for per-CPU maps, default 1), `--cpu N` (the CPU the program runs on).
//!
//! Output with `--json`: one JSON object on the last line of stdout:
//! `{"accepted", "error": null | {"insn", "message"}, "retval", "maps": [{"name",
//! "entries": [{"key", "value"}]}], "printk", "insns_executed"}` (keys and values in hex;
//! per-CPU maps show the CPU the program ran on; ringbuf entries are the committed records
//! keyed by a 4-byte little-endian sequence number). Exit 0 accepted, 1 rejected, 2
//! unusable input.

use crate::program_args::{load, parse_map_spec, parse_type};
use crate::Unusable;
use bpfplay_core::helpers::World;
use bpfplay_core::isa::decode::{decode_with, Dialect};
use bpfplay_core::maps::{MapDef, MapStore};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::run::{run_program, Input, RunResult};
use bpfplay_core::verifier::{self, Options};
use serde_json::{json, Value};
use std::process::ExitCode;

const USAGE: &str = "usage: bpfplay run --type socket_filter|xdp|kprobe|tracepoint [--input HEX] [--json] [--map NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES]... [--budget N] [--cpus N] [--cpu N] FILE.bin|FILE.s";

struct Args {
    prog_type: ProgType,
    input: Option<Vec<u8>>,
    json: bool,
    maps: Vec<MapDef>,
    budget: u64,
    cpus: usize,
    cpu: u32,
    file: String,
}

fn parse_hex(s: &str) -> Result<Vec<u8>, Unusable> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace() && *c != ':' && *c != '_').collect();
    let digits = digits.strip_prefix("0x").unwrap_or(&digits);
    if digits.len() % 2 != 0 {
        return Err(Unusable(format!("--input: odd number of hex digits ({})", digits.len())));
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).map_err(|_| Unusable(format!("--input: `{}` is not hex", &digits[i..i + 2]))))
        .collect()
}

fn parse_args(args: &[String]) -> Result<Args, Unusable> {
    let mut prog_type = None;
    let mut input = None;
    let mut json = false;
    let mut maps = Vec::new();
    let mut budget = bpfplay_core::vm::DEFAULT_BUDGET;
    let mut cpus = 1usize;
    let mut cpu = 0u32;
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| Unusable(format!("run: {name} needs a value\n{USAGE}")));
        match a.as_str() {
            "--type" => prog_type = Some(parse_type(&value("--type")?)?),
            "--input" => input = Some(parse_hex(&value("--input")?)?),
            "--json" => json = true,
            "--map" => maps.push(parse_map_spec(&value("--map")?)?),
            "--budget" => budget = value("--budget")?.parse().map_err(|_| Unusable("--budget: expected a number".into()))?,
            "--cpus" => cpus = value("--cpus")?.parse().ok().filter(|&n| n > 0).ok_or_else(|| Unusable("--cpus: expected a positive number".into()))?,
            "--cpu" => cpu = value("--cpu")?.parse().map_err(|_| Unusable("--cpu: expected a number".into()))?,
            "-h" | "--help" => return Err(Unusable(USAGE.into())),
            s if s.starts_with('-') => return Err(Unusable(format!("run: unknown option `{s}`\n{USAGE}"))),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(Unusable(format!("run: unexpected argument `{s}`\n{USAGE}"))),
        }
    }
    let prog_type = prog_type.ok_or_else(|| Unusable(format!("run: --type is required\n{USAGE}")))?;
    let file = file.ok_or_else(|| Unusable(format!("run: which file?\n{USAGE}")))?;
    if cpu as usize >= cpus {
        return Err(Unusable(format!("--cpu {cpu}: only {cpus} CPU(s) (see --cpus)")));
    }
    Ok(Args { prog_type, input, json, maps, budget, cpus, cpu, file })
}

/// The corpus's test frame (tests/src/corpus.rs `test_packet`).
fn default_frame() -> Vec<u8> {
    let mut p: Vec<u8> = (0..64u8).collect();
    p[12] = 0x88;
    p[13] = 0xb5;
    p
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn maps_json(maps: &[(String, Vec<(Vec<u8>, Vec<u8>)>)]) -> Value {
    Value::Array(
        maps.iter()
            .map(|(name, entries)| json!({"name": name, "entries": entries.iter().map(|(k, v)| json!({"key": hex(k), "value": hex(v)})).collect::<Vec<_>>()}))
            .collect(),
    )
}

pub fn run(args: &[String]) -> Result<ExitCode, Unusable> {
    let a = parse_args(args)?;
    let p = load(&a.file, a.prog_type, &a.maps)?;
    let (raw, defs) = (p.raw, p.maps);
    let mut store = MapStore::from_defs(&defs, a.cpus).map_err(|(i, e)| Unusable(format!("map `{}`: cannot be created: {e}", defs[i].name)))?;
    let verdict = verifier::verify(&raw, &defs, &Options { prog_type: a.prog_type, unpriv: false, log_level: 1, trace: false });
    let fresh: Vec<(String, Vec<(Vec<u8>, Vec<u8>)>)> = store.iter().map(|m| (m.def.name.clone(), m.entries(a.cpu as usize))).collect();
    if !verdict.accepted {
        let e = verdict.error.as_ref();
        let (insn, message) = (e.and_then(|e| e.insn), e.map(|e| e.message.clone()).unwrap_or_else(|| "rejected".into()));
        if a.json {
            let out = json!({"accepted": false, "error": {"insn": insn, "message": message}, "retval": 0, "maps": maps_json(&fresh), "printk": [], "insns_executed": 0});
            println!("{out}");
        } else {
            match insn {
                Some(i) => println!("rejected at insn {i}: {message}"),
                None => println!("rejected: {message}"),
            }
            print!("{}", verdict.log);
        }
        return Ok(ExitCode::from(1));
    }
    let prog = decode_with(&raw, Dialect::Kernel).map_err(|e| Unusable(format!("{}: accepted but not decodable: {e}", a.file)))?;
    let input = Input::from_bytes(a.prog_type, a.input.clone().unwrap_or_else(|| if matches!(a.prog_type, ProgType::SocketFilter | ProgType::Xdp) { default_frame() } else { Vec::new() }));
    let world = World { cpu: a.cpu, ..World::default() };
    let r: RunResult = run_program(&prog, &mut store, a.prog_type, &input, &world, a.budget).map_err(Unusable)?;
    let maps: Vec<(String, Vec<(Vec<u8>, Vec<u8>)>)> = r.maps.iter().map(|m| (m.name.clone(), m.entries.clone())).collect();
    if a.json {
        let error = match &r.error {
            Some(e) => json!({"insn": e.pc, "message": e.kind.to_string()}),
            None => Value::Null,
        };
        let out = json!({"accepted": true, "error": error, "retval": r.retval, "maps": maps_json(&maps), "printk": r.printk, "insns_executed": r.insns_executed});
        println!("{out}");
    } else {
        println!("accepted ({} insns processed)", verdict.processed);
        if let Some(e) = &r.error {
            println!("run stopped: {e}");
        }
        println!("retval: {} ({:#x})", r.retval, r.retval);
        for line in &r.printk {
            println!("printk: {}", line.strip_suffix('\n').unwrap_or(line));
        }
        for (name, entries) in &maps {
            println!("map {name}: {} entr{}", entries.len(), if entries.len() == 1 { "y" } else { "ies" });
            for (k, v) in entries {
                println!("  {} => {}", hex(k), hex(v));
            }
        }
        if !r.packet_out.is_empty() {
            println!("packet out: {}", hex(&r.packet_out));
        }
        println!("insns executed: {}", r.insns_executed);
    }
    Ok(ExitCode::SUCCESS)
}
