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
//! FILE may also be a clang-compiled `.o`: its section name gives the type (`--type` is then
//! optional), `--prog NAME` picks one of several programs, and its maps (global data with
//! its initial values) are created from the object. The world holds a small simulated task
//! tree in kernel memory (see `World::add_task_tree`) for kprobes that walk `task_struct`s.
//!
//! Output with `--json`: one JSON object on the last line of stdout:
//! `{"accepted", "error": null | {"insn", "message"}, "retval", "maps": [{"name",
//! "entries": [{"key", "value"}]}], "printk", "insns_executed"}` (keys and values in hex;
//! per-CPU maps show the CPU the program ran on; ringbuf entries are the committed records
//! keyed by a 4-byte little-endian sequence number). Exit 0 accepted, 1 rejected, 2
//! unusable input.

use crate::program_args::{load, ProgramArgs};
use crate::verify_cmd::{json_line, ErrorJson};
use crate::Unusable;
use bpfplay_core::hex::{self, DecodeError};
use bpfplay_core::isa::{decode_with, Dialect};
use bpfplay_core::run::{default_world, run_many, Input, PacketSpec, RunPlan, RunResult};
use bpfplay_core::verifier::Options;
use bpfplay_core::World;
use serde::Serialize;
use serde_json::Value;
use std::process::ExitCode;

/// `run`'s JSON as a value (the unit tests look into it).
fn to_value(j: RunJson) -> Value {
    serde_json::to_value(j).expect("JSON of plain structs")
}

/// The bytes of `--input` (an alias, so that clap takes it as one value, not a list).
type Bytes = Vec<u8>;

/// `bpfplay run [--type TYPE] [--prog NAME] [--input HEX] [--json] [--map SPEC]... [--budget N]
/// [--cpus N] [--cpu N] FILE`
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    program: ProgramArgs,
    /// The input as hex: the frame for socket_filter and xdp, the pt_regs bytes for kprobe,
    /// the record for tracepoint (default: the page's Run panel defaults — a 64-byte IPv4 TCP
    /// frame, kprobe registers with the current task in di, a record of zeros)
    #[arg(long, value_name = "HEX", value_parser = parse_hex, allow_hyphen_values = true)]
    input: Option<Bytes>,
    /// The frame for socket_filter and xdp from fields, as the page's packet builder makes it:
    /// `ipv4|ipv6,tcp|udp|icmp|proto=N,sport=N,dport=N,payload=N` (unnamed fields as the
    /// default frame)
    #[arg(long, value_name = "SPEC", value_parser = PacketSpec::parse, conflicts_with = "input")]
    packet: Option<PacketSpec>,
    /// Run N times (at most 10000), the maps kept between runs and the world advancing (the
    /// next pid, the clock 1 ms on), as the page's Run panel does; the report is the last
    /// run's, with how often each return value came back
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10000))]
    runs: u32,
    /// Print one JSON object instead of the text report
    #[arg(long)]
    json: bool,
    /// At most this many instructions are executed
    #[arg(long, value_name = "N", default_value_t = bpfplay_core::vm::DEFAULT_BUDGET, allow_hyphen_values = true)]
    budget: u64,
    /// Possible CPUs, for per-CPU maps
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = positive, allow_hyphen_values = true)]
    cpus: usize,
    /// The CPU the program runs on (below --cpus)
    #[arg(long, value_name = "N", default_value_t = 0, allow_hyphen_values = true)]
    cpu: u32,
}

/// The value parser of `--input`: bytes as hex (see `bpfplay_core::hex::decode`).
fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    hex::decode(s).map_err(|e| match e {
        DecodeError::OddDigits { digits, .. } => format!("odd number of hex digits ({digits})"),
        DecodeError::NotHex { pair, .. } => format!("`{pair}` is not hex"),
    })
}

fn positive(s: &str) -> Result<usize, String> {
    s.parse().ok().filter(|&n| n > 0).ok_or_else(|| "expected a positive number".into())
}

impl Args {
    /// What clap cannot check alone.
    fn check(&self) -> Result<(), Unusable> {
        if self.cpu as usize >= self.cpus {
            let (cpu, cpus) = (self.cpu, self.cpus);
            return Err(Unusable(format!("--cpu {cpu}: only {cpus} CPU(s) (see --cpus)")));
        }
        Ok(())
    }
}

/// `args` (after `run`) parsed and checked, as `bpfplay run` does.
#[cfg(test)]
fn parse_args(args: &[String]) -> Result<Args, Unusable> {
    use clap::Parser;
    #[derive(Parser)]
    struct Run {
        #[command(flatten)]
        args: Args,
    }
    let all = std::iter::once("run").chain(args.iter().map(String::as_str));
    let a = Run::try_parse_from(all).map_err(|e| Unusable(e.to_string()))?.args;
    a.check()?;
    Ok(a)
}

/// A map's name and entries, for the JSON and the text report.
type MapEntries = (String, Vec<(Vec<u8>, Vec<u8>)>);

// The JSON object `run` prints. Fields are in alphabetical order, as `serde_json::json!`
// printed them (its map is sorted), so that the output is unchanged.

/// `{"accepted", "error", "insns_executed", "maps", "printk", "retval"}`.
#[derive(Serialize)]
struct RunJson<'a> {
    accepted: bool,
    error: Option<ErrorJson<'a>>,
    insns_executed: u64,
    maps: Vec<MapJson<'a>>,
    printk: &'a [String],
    retval: u32,
    /// With `--runs N` (N > 1): `[r0, count]` per return value.
    #[serde(skip_serializing_if = "Option::is_none")]
    retvals: Option<Vec<(u64, u32)>>,
    /// With `--runs N` (N > 1): the runs made (fewer after a run-time error).
    #[serde(skip_serializing_if = "Option::is_none")]
    runs: Option<u32>,
}

/// `{"entries": [{"key", "value"}...], "name"}`, keys and values in hex.
#[derive(Serialize)]
struct MapJson<'a> {
    entries: Vec<EntryJson>,
    name: &'a str,
}

#[derive(Serialize)]
struct EntryJson {
    key: String,
    value: String,
}

fn maps_json(maps: &[MapEntries]) -> Vec<MapJson<'_>> {
    maps.iter()
        .map(|(name, entries)| MapJson {
            entries: (entries.iter())
                .map(|(k, v)| EntryJson { key: hex::encode(k), value: hex::encode(v) })
                .collect(),
            name,
        })
        .collect()
}

/// The outcome of `bpfplay run`: the JSON object, the human-readable text, accepted or not.
struct Outcome {
    json: Value,
    text: String,
    accepted: bool,
}

fn execute(a: &Args) -> Result<Outcome, Unusable> {
    use std::fmt::Write as _;
    let p = load(&a.program.file, &a.program.want())?;
    let prog_type = p.prog_type;
    let mut store = p.loaded.map_store(a.cpus)?;
    let raw = p.raw;
    let verdict =
        p.loaded.verify(&Options { prog_type, unpriv: false, log_level: 1, trace: false });
    let mut text = String::new();
    if !verdict.accepted {
        let fresh: Vec<MapEntries> =
            store.iter().map(|m| (m.def.name.clone(), m.entries(a.cpu as usize))).collect();
        let e = verdict.error.as_ref();
        let (insn, message) = (
            e.and_then(|e| e.insn),
            e.map(|e| e.message.clone()).unwrap_or_else(|| "rejected".into()),
        );
        let json = to_value(RunJson {
            accepted: false,
            error: Some(ErrorJson { insn, message: &message }),
            insns_executed: 0,
            maps: maps_json(&fresh),
            printk: &[],
            retval: 0,
            retvals: None,
            runs: None,
        });
        match insn {
            Some(i) => writeln!(text, "rejected at insn {i}: {message}"),
            None => writeln!(text, "rejected: {message}"),
        }
        .ok();
        text.push_str(&verdict.log);
        return Ok(Outcome { json, text, accepted: false });
    }
    let prog = decode_with(&raw, Dialect::Kernel)
        .map_err(|e| Unusable(format!("{}: accepted but not decodable: {e}", a.program.file)))?;
    let input = match (&a.input, &a.packet) {
        (Some(bytes), _) => Input::from_bytes(prog_type, bytes.clone()),
        (None, Some(spec)) if prog_type.takes_packet() => Input::packet(spec.build()),
        (None, Some(_)) => {
            return Err(Unusable(format!(
                "--packet is for socket_filter and xdp, not {}",
                prog_type.name()
            )))
        }
        (None, None) => Input::default_for(prog_type),
    };
    let world = World { cpu: a.cpu, ..default_world() };
    let plan = RunPlan { runs: a.runs, vary_length: false, budget: a.budget };
    // The program as verified, with the object's tail-call targets.
    let mut programs = p.loaded.programs();
    programs[0] = prog;
    let o = run_many(&programs, &mut store, prog_type, &input, &world, &plan).map_err(Unusable)?;
    let many = a.runs > 1;
    let r: RunResult = o.last;
    let maps: Vec<MapEntries> =
        r.maps.iter().map(|m| (m.name.clone(), m.entries.clone())).collect();
    let message = r.error.as_ref().map(|e| e.kind.to_string());
    let json = to_value(RunJson {
        accepted: true,
        error: (r.error.as_ref().zip(message.as_deref()))
            .map(|(e, message)| ErrorJson { insn: Some(e.pc), message }),
        insns_executed: r.insns_executed,
        maps: maps_json(&maps),
        printk: if many { &o.printk } else { &r.printk },
        retval: r.retval,
        retvals: many.then(|| o.retvals.iter().map(|(&k, &v)| (k, v)).collect()),
        runs: many.then_some(o.runs),
    });
    let _ = writeln!(text, "accepted ({} insns processed)", verdict.processed);
    if let Some(e) = &r.error {
        let _ = writeln!(text, "run stopped: {e}");
    }
    if many {
        let _ = writeln!(text, "runs: {} ({} insns executed in all)", o.runs, o.insns_total);
        for (v, n) in &o.retvals {
            let _ =
                writeln!(text, "  r0 = {v} ({v:#x}): {n} run{}", if *n == 1 { "" } else { "s" });
        }
        let _ = writeln!(text, "last run:");
    }
    let _ = writeln!(text, "retval: {} ({:#x})", r.retval, r.retval);
    for line in if many { &o.printk } else { &r.printk } {
        let _ = writeln!(text, "printk: {}", line.strip_suffix('\n').unwrap_or(line));
    }
    for (name, entries) in &maps {
        let _ = writeln!(
            text,
            "map {name}: {} entr{}",
            entries.len(),
            if entries.len() == 1 { "y" } else { "ies" }
        );
        for (k, v) in entries {
            let _ = writeln!(text, "  {} => {}", hex::encode(k), hex::encode(v));
        }
    }
    if !r.packet_out.is_empty() {
        let _ = writeln!(text, "packet out: {}", hex::encode(&r.packet_out));
    }
    let _ = writeln!(text, "insns executed: {}", r.insns_executed);
    Ok(Outcome { json, text, accepted: true })
}

pub fn run(a: Args) -> Result<ExitCode, Unusable> {
    a.check()?;
    let o = execute(&a)?;
    if a.json {
        outln!("{}", json_line(&o.json));
    } else {
        out!("{}", o.text);
    }
    Ok(if o.accepted { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok<T>(r: Result<T, Unusable>) -> T {
        match r {
            Ok(v) => v,
            Err(Unusable(m)) => panic!("{m}"),
        }
    }

    /// Parses the arguments and runs.
    /// The message of an input `execute`/`parse_args` must refuse.
    fn unusable<T>(r: Result<T, Unusable>) -> String {
        match r {
            Ok(_) => panic!("expected the input to be refused"),
            Err(e) => e.0,
        }
    }

    fn go(v: &[&str]) -> Outcome {
        ok(execute(&ok(parse_args(&args(v)))))
    }

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn temp(name: &str, bytes: &[u8]) -> String {
        let p = std::env::temp_dir().join(format!("bpfplay-run-{}-{name}", std::process::id()));
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }

    const COUNTER: &str = "map counts: hash key=4 value=8 max=64
    r6 = r1
    r1 = *(u32 *)(r6 +0)
    *(u32 *)(r10 -4) = r1
    *(u64 *)(r10 -16) = 7
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r1 = map[counts] ll
    r4 = 0
    call bpf_map_update_elem
    r0 = *(u16 *)skb[0]
    exit
";

    #[test]
    fn map_specs_of_the_newer_kinds() {
        use crate::program_args::parse_map_spec;
        let t = parse_map_spec("t:lpm_trie:8:8:16:1").unwrap();
        assert_eq!((t.flags, t.map_extra), (1, 0));
        assert_eq!(
            parse_map_spec("t:lpm_trie:8:8:16").unwrap_err(),
            "lpm_trie maps need flags=1 (BPF_F_NO_PREALLOC)"
        );
        let b = parse_map_spec("b:bloom_filter:0:4:8:64:3").unwrap();
        assert_eq!(
            (b.kind, b.flags, b.map_extra),
            (bpfplay_core::maps::MapKind::BloomFilter, 64, 3)
        );
        assert!(parse_map_spec("q:queue:4:8:2").is_err());
    }

    #[test]
    fn a_queue_in_assembly() {
        let src = "map q: queue key=0 value=8 max=4
    r1 = *(u32 *)(r1 +0)
    *(u64 *)(r10 -8) = r1
    r1 = map[q] ll
    r2 = r10
    r2 += -8
    r3 = 0
    call bpf_map_push_elem
    r1 = map[q] ll
    r2 = r10
    r2 += -16
    call bpf_map_peek_elem
    r0 = *(u64 *)(r10 -16)
    exit
";
        let f = temp("q.s", src.as_bytes());
        let o = go(&["--type", "socket_filter", "--runs", "3", "--json", &f]);
        assert_eq!(o.json["retval"], 50, "{}", o.text);
        assert_eq!(o.json["maps"][0]["entries"][2]["value"], "3200000000000000");
    }

    #[test]
    fn runs_assembly_with_declared_maps() {
        let f = temp("c.s", COUNTER.as_bytes());
        let o = go(&["--type", "socket_filter", "--json", &f]);
        assert!(o.accepted);
        let j = &o.json;
        assert_eq!(j["accepted"], true);
        assert_eq!(j["error"], Value::Null);
        // The default frame is the page's (IPv4 first: skb[0..2] is 45 00; 50 bytes after
        // the Ethernet header).
        assert_eq!(j["retval"], 0x4500);
        assert_eq!(j["maps"][0]["name"], "counts");
        assert_eq!(j["maps"][0]["entries"][0]["key"], "32000000");
        assert_eq!(j["maps"][0]["entries"][0]["value"], "0700000000000000");
        assert_eq!(j["printk"], json!([]));
        assert!(j["insns_executed"].as_u64().unwrap() > 10);
        // A frame given as hex: 20 bytes, so skb->len is 6.
        let o = go(&[
            "--type",
            "socket_filter",
            "--input",
            "000102030405060708090a0b88b5 0e0f10111213",
            &f,
        ]);
        assert_eq!(o.json["maps"][0]["entries"][0]["key"], "06000000");
        assert!(o.text.contains("retval: 3599 (0xe0f)"), "{}", o.text);
    }

    #[test]
    fn several_runs_keep_the_maps_and_advance_the_world() {
        // Counts its runs in an array and returns the pid it ran as.
        let src = "map n: array key=4 value=8 max=1\n*(u32 *)(r10 -4) = 0\nr2 = r10\nr2 += -4\nr1 = map[n] ll\ncall bpf_map_lookup_elem\nif r0 == 0 goto out\nr1 = 1\nlock *(u64 *)(r0 +0) += r1\nout:\ncall bpf_get_current_pid_tgid\nr0 &= 0xffff\nexit\n";
        let f = temp("runs.s", src.as_bytes());
        let o = go(&["--type", "socket_filter", "--json", "--runs", "3", &f]);
        assert_eq!(o.json["runs"], 3);
        assert_eq!(o.json["retvals"], json!([[1000, 1], [1001, 1], [1002, 1]]));
        assert_eq!(o.json["retval"], 1002);
        assert_eq!(o.json["maps"][0]["entries"][0]["value"], "0300000000000000");
        assert!(o.text.contains("runs: 3 ("), "{}", o.text);
        // One run: the JSON has no run summary.
        let o = go(&["--type", "socket_filter", "--json", &f]);
        assert!(o.json.get("runs").is_none() && o.json.get("retvals").is_none(), "{}", o.json);
        assert!(parse_args(&["--runs".into(), "0".into(), f.clone()])
            .is_err_and(|e| e.0.contains("--runs")));
    }

    #[test]
    fn packets_from_a_spec() {
        let f = temp("p.s", b"r6 = r1\nr0 = *(u16 *)skb[0]\nexit\n");
        let o = go(&["--type", "socket_filter", "--json", "--packet", "ipv6,udp", &f]);
        assert_eq!(o.json["retval"], 0x6000);
        let e = parse_args(&["--type".into(), "xdp".into(), "--packet".into(), "quic".into(), f])
            .err()
            .unwrap();
        assert!(e.0.contains("unknown word `quic`"), "{}", e.0);
    }

    #[test]
    fn raw_programs_take_maps_from_the_command_line() {
        let prog = bpfplay_core::assemble(COUNTER).unwrap().program.to_bytes();
        let f = temp("c.bin", &prog);
        assert_eq!(
            go(&["--type", "socket_filter", "--map", "counts:hash:4:8:64", &f]).json["maps"][0]
                ["entries"][0]["value"],
            "0700000000000000"
        );
        // Without the map: the kernel's message for a bad map reference.
        let o = go(&["--type", "socket_filter", &f]);
        assert!(!o.accepted);
        assert_eq!(
            o.json["error"],
            json!({"insn": 8, "message": "fd 0 is not pointing to valid bpf_map"})
        );
        assert_eq!(o.json["insns_executed"], 0);
    }

    #[test]
    fn rejections_and_unusable_input() {
        let f = temp("bad.s", b"r0 = r5\nexit\n");
        let o = go(&["--type", "xdp", &f]);
        assert!(!o.accepted);
        assert_eq!(o.json["error"], json!({"insn": 0, "message": "R5 !read_ok"}));
        assert_eq!(
            unusable(parse_args(&args(&["--type", "nope", &f]))),
            "error: invalid value 'nope' for '--type <TYPE>': unknown program type `nope` (socket_filter, xdp, kprobe, tracepoint)\n\nFor more information, try '--help'.\n"
        );
        // --type may be left out for a .o (its section gives it), not for a .s.
        assert_eq!(
            unusable(execute(&ok(parse_args(&args(&[&f]))))),
            format!("{f}: --type is required (socket_filter, xdp, kprobe, tracepoint)")
        );
        assert_eq!(
            unusable(parse_args(&args(&["--type", "xdp", "--input", "abc", &f]))),
            "error: invalid value 'abc' for '--input <HEX>': odd number of hex digits (3)\n\nFor more information, try '--help'.\n"
        );
        assert_eq!(
            unusable(parse_args(&args(&["--type", "xdp", "--map", "m:tree:4:4:1", &f]))),
            format!("error: invalid value 'm:tree:4:4:1' for '--map <SPEC>': unknown kind `tree` ({})\n\nFor more information, try '--help'.\n", bpfplay_core::maps::MapKind::names())
        );
        let good = temp("ok.s", b"r0 = 2\nexit\n");
        let short = ok(parse_args(&args(&["--type", "socket_filter", "--input", "0011", &good])));
        assert_eq!(
            unusable(execute(&short)),
            "a socket filter's test frame needs at least 14 bytes (the Ethernet header); got 2"
        );
        let missing = ok(parse_args(&args(&["--type", "xdp", "/nonexistent/x.s"])));
        assert_eq!(
            unusable(execute(&missing)),
            "/nonexistent/x.s: No such file or directory (os error 2)"
        );
    }

    #[test]
    fn kprobe_context_bytes_and_ringbuf_records() {
        let src = "map rb: ringbuf max=4096
    r2 = *(u64 *)(r1 +112)
    *(u64 *)(r10 -8) = r2
    r1 = map[rb] ll
    r2 = r10
    r2 += -8
    r3 = 8
    r4 = 0
    call bpf_ringbuf_output
    r0 = 0
    exit
";
        let f = temp("k.s", src.as_bytes());
        let mut regs = [0u8; 168];
        regs[112] = 0x2a;
        let hexregs: String = regs.iter().map(|b| format!("{b:02x}")).collect();
        let o = go(&["--type", "kprobe", "--input", &hexregs, &f]);
        assert!(o.accepted, "{}", o.text);
        assert_eq!(
            o.json["maps"][0]["entries"],
            json!([{"key": "00000000", "value": "2a00000000000000"}])
        );
    }
}
