//! Seeded mutational fuzzing of bpfplay's input surfaces (no cargo-fuzz here: see
//! RELIABILITY.md). Each target turns a random or mutated input into calls of the public API
//! and checks: no panic (caught and saved), no case slower than `--hang-secs` (a watchdog saves
//! it as slow-HASH; over ten times that it exits 3), memory bounded (address space capped with RLIMIT_AS, peak RSS reported).
//!
//! usage: fuzz TARGET [--seed S] [--secs T] [--cases N] [--out DIR] [--hang-secs H]
//!        fuzz TARGET --replay FILE     (run one saved input, e.g. a finding)
//!
//! Targets:
//!   asm      assembler text (both syntaxes): token soup and mutations of the examples,
//!            exercises and corpus programs; then the disassembler (round trip through the
//!            assembler-ready style), map declarations (parse, create), verifier, interpreter
//!   bytes    instruction bytes: decode (both dialects), disassemble, verify (random type and
//!            mode), and run in the interpreter whether accepted or not
//!   mapspec  map specs: `NAME:KIND:K:V:MAX` (the CLI's form), `KIND key=N ...` (the `map`
//!            line), creation and a few user-space operations
//!   conformance  bpf_conformance `.data` text: parse, assemble, run
//!   cli      the `bpfplay` binary (target/release/bpfplay) with random arguments and files;
//!            exit status must be 0, 1 or 2, never a signal or a panic message
//!
//! Inputs kept because they gave a new outcome (an error message, a verdict...) form the
//! in-memory corpus; `--out DIR` writes it to DIR/corpus/ and findings to DIR/findings/
//! (default target/fuzz/TARGET). Prints cases, time, corpus size, findings and VmHWM.

use bpfplay_core::disasm::{disassemble, Style};
use bpfplay_core::helpers::World;
use bpfplay_core::isa::{decode_bytes, decode_with, Dialect};
use bpfplay_core::maps::{Map, MapDef, MapKind, MapStore};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::run::{run_program, Input};
use bpfplay_core::verifier::{verify, Options};
use bpfplay_core::{assemble, RawInsn};
use bpfplay_tests::gen::Rng;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest input a case gets (bytes): programs and texts stay small enough to be fast.
const MAX_INPUT: usize = 64 * 1024;
/// Address-space cap of the fuzzing process: a runaway allocation fails here instead of
/// swapping a shared machine.
const MEM_CAP: u64 = 4 << 30;

struct Ctx {
    rng: Rng,
    corpus: Vec<Vec<u8>>,
    /// Outcome signatures seen (the "coverage" that decides what joins the corpus).
    seen: BTreeSet<String>,
    findings: BTreeMap<String, (usize, PathBuf)>,
    slowest: Duration,
    slow_cases: usize,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: fuzz asm|bytes|mapspec|conformance|cli [--seed S] [--secs T] [--cases N] [--out DIR] [--hang-secs H] [--replay FILE]";
    let Some(target) = args.first().cloned() else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let (mut seed, mut secs, mut cases, mut hang) = (1u64, 60u64, u64::MAX, 30u64);
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz").join(&target);
    let mut replay = None;
    let mut it = args[1..].iter();
    while let Some(a) = it.next() {
        let v = it.next();
        let n = v.and_then(|v| v.parse::<u64>().ok());
        match (a.as_str(), n) {
            ("--seed", Some(n)) => seed = n,
            ("--secs", Some(n)) => secs = n,
            ("--cases", Some(n)) => cases = n,
            ("--hang-secs", Some(n)) => hang = n,
            ("--out", _) if v.is_some() => out = PathBuf::from(v.unwrap()),
            ("--replay", _) if v.is_some() => replay = Some(PathBuf::from(v.unwrap())),
            _ => {
                eprintln!("{usage}");
                return ExitCode::from(2);
            }
        }
    }
    let run: fn(&mut Ctx, &[u8]) -> Vec<String> = match target.as_str() {
        "asm" => case_asm,
        "bytes" => case_bytes,
        "mapspec" => case_mapspec,
        "conformance" => case_conformance,
        "cli" => case_cli,
        _ => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    cap_memory();
    std::panic::set_hook(Box::new(|info| {
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        PANIC_AT.with(|p| *p.borrow_mut() = loc);
    }));
    let mut cx = Ctx {
        rng: Rng::new(seed),
        corpus: seeds(&target),
        seen: BTreeSet::new(),
        findings: BTreeMap::new(),
        slowest: Duration::ZERO,
        slow_cases: 0,
    };
    if let Some(f) = replay {
        let input = std::fs::read(&f).expect("replay file");
        let r = catch_unwind(AssertUnwindSafe(|| run(&mut cx, &input)));
        match r {
            Ok(sig) => println!("ok: {sig:?}"),
            Err(p) => {
                println!("PANIC at {}: {}", PANIC_AT.with(|p| p.borrow().clone()), panic_text(&*p))
            }
        }
        return ExitCode::SUCCESS;
    }
    let seeds_n = cx.corpus.len();
    // Watchdog: the current input and when it started; a case over `hang` seconds is saved
    // and the process exits with status 3.
    let current: Arc<Mutex<(Vec<u8>, Instant)>> =
        Arc::new(Mutex::new((Vec::new(), Instant::now())));
    {
        let current = current.clone();
        let dir = out.join("findings");
        std::thread::spawn(move || {
            let mut saved = 0u64;
            loop {
                std::thread::sleep(Duration::from_millis(500));
                let (input, since) = current.lock().unwrap().clone();
                let h = fxhash(&input);
                if since.elapsed() > Duration::from_secs(hang) && saved != h {
                    // Slow: saved once, the case goes on (the verifier and the interpreter are
                    // bounded, so it ends).
                    saved = h;
                    let _ = std::fs::create_dir_all(&dir);
                    let p = dir.join(format!("slow-{h:016x}"));
                    let _ = std::fs::write(&p, &input);
                    println!("SLOW: a case ran over {hang} s; input saved to {}", p.display());
                }
                if since.elapsed() > Duration::from_secs(hang * 10) {
                    println!("HANG: a case ran over {} s; exiting", hang * 10);
                    std::process::exit(3);
                }
            }
        });
    }
    let _ = std::fs::create_dir_all(&out);
    let t0 = Instant::now();
    let mut n = 0u64;
    let mut last = Instant::now();
    let mut peak_kb = hwm_kb();
    while n < cases && t0.elapsed() < Duration::from_secs(secs) {
        let input = next_input(&mut cx, &target);
        *current.lock().unwrap() = (input.clone(), Instant::now());
        // An allocation failure aborts the process: the input that did it is left here.
        let _ = std::fs::write(out.join("current-input"), &input);
        peak_kb = peak_kb.max(hwm_kb());
        let c0 = Instant::now();
        let r = catch_unwind(AssertUnwindSafe(|| run(&mut cx, &input)));
        let dt = c0.elapsed();
        if dt > cx.slowest {
            cx.slowest = dt;
        }
        if dt > Duration::from_secs(1) {
            cx.slow_cases += 1;
        }
        n += 1;
        // Memory: a case that raises the peak RSS by more than 64 MiB is saved as a finding.
        let hwm = hwm_kb();
        if hwm > peak_kb + 64 * 1024 && n > 1 {
            let dir = out.join("findings");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("mem-{:016x}", fxhash(&input)));
            let _ = std::fs::write(&path, &input);
            println!(
                "MEMORY: peak RSS {} -> {} kB; input saved to {}",
                peak_kb,
                hwm,
                path.display()
            );
            cx.findings
                .entry(format!("memory: peak RSS up by {} MiB in one case", (hwm - peak_kb) / 1024))
                .or_insert((1, path));
        }
        peak_kb = peak_kb.max(hwm);
        match r {
            Ok(sigs) => {
                let mut new = false;
                for s in sigs {
                    new |= cx.seen.insert(s);
                }
                // Only small inputs are kept (large ones are still made by mutation).
                if new && cx.corpus.len() < 5_000 && input.len() <= 8 * 1024 {
                    cx.corpus.push(input);
                }
            }
            Err(p) => {
                let at = PANIC_AT.with(|p| p.borrow().clone());
                let key = format!(
                    "panic at {at}: {}",
                    panic_text(&*p).chars().take(120).collect::<String>()
                );
                let dir = out.join("findings");
                let e = cx.findings.entry(key.clone()).or_insert_with(|| {
                    let _ = std::fs::create_dir_all(&dir);
                    let path = dir.join(format!("panic-{:016x}", fxhash(&input)));
                    let _ = std::fs::write(&path, &input);
                    println!("FINDING {key}\n  input saved to {}", path.display());
                    (0, path)
                });
                e.0 += 1;
            }
        }
        if last.elapsed() > Duration::from_secs(30) {
            last = Instant::now();
            eprintln!(
                "[{:.0}s] {target}: {n} cases, corpus {}, {} findings",
                t0.elapsed().as_secs_f64(),
                cx.corpus.len(),
                cx.findings.len()
            );
        }
    }
    let el = t0.elapsed().as_secs_f64();
    let _ = std::fs::create_dir_all(out.join("corpus"));
    for (i, c) in cx.corpus.iter().enumerate().skip(seeds_n) {
        let _ = std::fs::write(out.join("corpus").join(format!("{i:05}")), c);
    }
    println!(
        "fuzz {target}: seed {seed}, {n} cases in {el:.0} s ({:.0}/s), corpus {} ({} seeds + {} kept), {} outcome signatures, slowest case {:.2?}, {} cases over 1 s, VmHWM {}",
        n as f64 / el.max(1e-9),
        cx.corpus.len(),
        seeds_n,
        cx.corpus.len() - seeds_n,
        cx.seen.len(),
        cx.slowest,
        cx.slow_cases,
        vm_hwm()
    );
    println!("findings: {}", cx.findings.len());
    for (k, (n, p)) in &cx.findings {
        println!("  {n:6}  {k}\n          {}", p.display());
    }
    if cx.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

thread_local! {
    static PANIC_AT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn fxhash(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &x| (h ^ x as u64).wrapping_mul(0x100_0000_01b3))
}

fn cap_memory() {
    let lim = libc::rlimit { rlim_cur: MEM_CAP, rlim_max: MEM_CAP };
    // SAFETY: setrlimit with a valid struct; failure is harmless (no cap).
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

fn hwm_kb() -> u64 {
    vm_hwm().trim_end_matches(" kB").trim().parse().unwrap_or(0)
}

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Source texts to start from: examples, exercises and their solutions, corpus programs.
fn texts() -> Vec<Vec<u8>> {
    let r = root();
    let mut v = Vec::new();
    for d in [
        "static/examples",
        "static/exercises",
        "static/exercises/solutions",
        "tests/verifier-corpus",
    ] {
        for p in files_in(&r.join(d), "s") {
            if let Ok(b) = std::fs::read(&p) {
                v.push(b);
            }
        }
    }
    v
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "asm" | "cli" => texts(),
        "bytes" => texts()
            .iter()
            .filter_map(|t| assemble(std::str::from_utf8(t).ok()?).ok())
            .map(|a| a.program.to_raw().iter().flat_map(|r| r.to_bytes()).collect())
            .collect(),
        "mapspec" => {
            let mut v: Vec<Vec<u8>> = Vec::new();
            for t in texts() {
                for l in String::from_utf8_lossy(&t).lines() {
                    if let Some(rest) = l.trim().strip_prefix("map ") {
                        if let Some((_, spec)) = rest.split_once(':') {
                            v.push(spec.trim().as_bytes().to_vec());
                        }
                    }
                }
            }
            v.extend(
                [
                    "m:hash:4:8:16",
                    "a:array:4:4:1",
                    "r:ringbuf:0:0:4096",
                    "p:prog_array:4:4:4",
                    "c:percpu_array:4:8:2",
                    "l:lru_hash:8:8:64",
                ]
                .iter()
                .map(|s| s.as_bytes().to_vec()),
            );
            v.sort();
            v.dedup();
            v
        }
        "conformance" => {
            let mut v = Vec::new();
            for d in [
                root().join("target/bpf_conformance/tests"),
                PathBuf::from("/work/shared/bpf_conformance/tests"),
            ] {
                for p in files_in(&d, "data") {
                    v.extend(std::fs::read(&p).ok());
                }
            }
            if v.is_empty() {
                v.push(b"-- asm\nmov %r0, 1\nexit\n-- result\n0x1\n".to_vec());
            }
            v
        }
        _ => Vec::new(),
    }
}

const TOKENS: &[&str] = &[
    "r0",
    "r1",
    "r2",
    "r10",
    "r11",
    "r15",
    "w0",
    "w3",
    "%r0",
    "%r1",
    "%r10",
    "=",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "<<=",
    ">>=",
    "s>>=",
    "&=",
    "|=",
    "^=",
    "s/=",
    "s%=",
    "-",
    "*(u8 *)",
    "*(u16 *)",
    "*(u32 *)",
    "*(u64 *)",
    "*(s8 *)",
    "*(s32 *)",
    "(r1 +",
    "(r10 -8)",
    "(r2 +0)",
    ")",
    "(",
    "+",
    "if",
    "goto",
    "gotol",
    "pc",
    "+1",
    "-1",
    "+32767",
    "-32768",
    ">",
    ">=",
    "<",
    "<=",
    "s>",
    "s<",
    "==",
    "!=",
    "&",
    "call",
    "callx",
    "exit",
    "ll",
    "map[",
    "]",
    "[",
    "map_value[",
    "map_fd[",
    "map_idx[",
    "map_idx_value[",
    "btf_id[",
    "subprog[",
    "skb[",
    "lock",
    "atomic64_fetch_add(",
    "atomic64_xchg(",
    "atomic64_cmpxchg(",
    "(u64 *)",
    ",",
    "be16",
    "le32",
    "bswap64",
    "(s8)",
    "(s16)",
    "lddw",
    "mov",
    "mov32",
    "add",
    "jne",
    "ja",
    "ja32",
    "ldxw",
    "stxdw",
    "[%r10-8]",
    "[%r1+4]",
    "movsx832",
    "call local",
    "0",
    "1",
    "0x",
    "0xffffffff",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "99999999999999999999999",
    "label:",
    "l1",
    "out",
    ":",
    "//",
    "#",
    ";",
    "12:",
    "(bf)",
    "; R0=1",
    "map m: hash key=4 value=8 max=1",
    "map x: array key=4 value=4 max=4294967295",
    "map r: ringbuf key=0 value=0 max=4096",
    "\t",
    " ",
    "\n",
    "\r\n",
    "é",
    "\u{202e}",
    "\0",
    "bpf_map_lookup_elem",
    "bpf_trace_printk",
    "#1",
    "#999999",
];

fn mutate_text(cx: &mut Ctx, base: &[u8]) -> Vec<u8> {
    let rng = &mut cx.rng;
    let mut s = String::from_utf8_lossy(base).into_owned();
    let n = 1 + rng.below(4);
    for _ in 0..n {
        let mut lines: Vec<String> = s.split('\n').map(String::from).collect();
        let i = rng.below(lines.len() as u64) as usize;
        match rng.below(12) {
            0 => {
                if lines.len() > 1 {
                    lines.remove(i);
                }
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = rng.below(lines.len() as u64) as usize;
                lines.swap(i, j);
            }
            3 | 4 => {
                let k = 1 + rng.below(8);
                let soup: Vec<&str> = (0..k).map(|_| rng.pick(TOKENS)).collect();
                lines.insert(i, soup.join(if rng.chance(70) { " " } else { "" }));
            }
            5 | 6 => {
                // A token of the line replaced.
                let words: Vec<&str> = lines[i].split(' ').collect();
                let w = rng.below(words.len() as u64) as usize;
                let mut ws: Vec<String> = words.iter().map(|x| x.to_string()).collect();
                ws[w] = rng.pick(TOKENS).to_string();
                lines[i] = ws.join(" ");
            }
            7 => {
                // Truncate the line at a character boundary.
                let cs: Vec<char> = lines[i].chars().collect();
                let k = rng.below(cs.len() as u64 + 1) as usize;
                lines[i] = cs[..k].iter().collect();
            }
            8 => {
                // A character replaced by anything.
                let mut cs: Vec<char> = lines[i].chars().collect();
                if !cs.is_empty() {
                    let k = rng.below(cs.len() as u64) as usize;
                    cs[k] = char::from_u32(
                        rng.pick(&[
                            0x20u32, 0x7e, 0x0, 0xff, 0x3000, 0x1f600, 0x10ffff, 0x7f, 0x2e,
                        ]) ^ (rng.below(16) as u32),
                    )
                    .unwrap_or('?');
                    lines[i] = cs.into_iter().collect();
                }
            }
            9 => {
                // A very long line or many lines.
                let t = rng.pick(TOKENS);
                let k = 1 + rng.below(4000) as usize;
                if rng.chance(50) {
                    lines[i] = t.repeat(k);
                } else {
                    let per = lines[i].len() + 1;
                    for _ in 0..k.min(3000).min(MAX_INPUT / per) {
                        lines.insert(i, lines[i].clone());
                    }
                }
            }
            10 => {
                // Splice with another corpus entry.
                if !cx.corpus.is_empty() {
                    let other = String::from_utf8_lossy(
                        &cx.corpus[rng.below(cx.corpus.len() as u64) as usize],
                    )
                    .into_owned();
                    let ol: Vec<&str> = other.split('\n').collect();
                    let a = rng.below(ol.len() as u64) as usize;
                    let b = (a + 1 + rng.below(20) as usize).min(ol.len());
                    for (k, l) in ol[a..b].iter().enumerate() {
                        lines.insert((i + k).min(lines.len()), l.to_string());
                    }
                }
            }
            _ => {
                // A number changed to an edge value.
                let l = &lines[i];
                if let Some(pos) = l.find(|c: char| c.is_ascii_digit()) {
                    let end = l[pos..]
                        .find(|c: char| !c.is_ascii_alphanumeric())
                        .map_or(l.len(), |e| pos + e);
                    let edge = rng.pick(&[
                        "0",
                        "1",
                        "-1",
                        "7",
                        "8",
                        "511",
                        "512",
                        "-512",
                        "65535",
                        "2147483647",
                        "-2147483648",
                        "4294967295",
                        "0x7fffffffffffffff",
                        "18446744073709551615",
                        "340282366920938463463374607431768211456",
                    ]);
                    lines[i] = format!("{}{}{}", &l[..pos], edge, &l[end..]);
                }
            }
        }
        s = lines.join("\n");
        if s.len() > MAX_INPUT {
            let mut cut = MAX_INPUT;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s.truncate(cut);
        }
    }
    let mut b = s.into_bytes();
    b.truncate(MAX_INPUT);
    b
}

fn interesting_i32(rng: &mut Rng) -> i32 {
    match rng.below(6) {
        0 => rng.range(-16, 16) as i32,
        1 => rng.pick(&[0, 1, -1, 8, -8, 512, -512, 4096, i32::MAX, i32::MIN, 0xffff, 0x7fff]),
        2 => 1i32.wrapping_shl(rng.below(32) as u32),
        _ => rng.next_u64() as i32,
    }
}

fn random_insns(rng: &mut Rng) -> Vec<u8> {
    let n = 1 + rng.below(48) as usize;
    let mut out = Vec::with_capacity(n * 8);
    for _ in 0..n {
        let op: u8 = if rng.chance(80) {
            // A plausible opcode: class, size/op, source bits from the ISA's tables.
            let class = rng.below(8) as u8;
            let hi = (rng.below(16) as u8) << 4;
            let src = if rng.chance(50) { 0 } else { 8 };
            match class {
                0..=3 => class | hi & 0xf0 | (rng.below(4) as u8) << 3 & 0x18,
                _ => class | hi | src,
            }
        } else {
            rng.next_u64() as u8
        };
        let dst = if rng.chance(90) { rng.below(11) as u8 } else { rng.below(16) as u8 };
        let src = if rng.chance(80) { rng.below(11) as u8 } else { rng.below(16) as u8 };
        let off = interesting_i32(rng) as i16;
        let imm = interesting_i32(rng);
        out.push(op);
        out.push(src << 4 | dst);
        out.extend_from_slice(&off.to_le_bytes());
        out.extend_from_slice(&imm.to_le_bytes());
        if op == 0x18 {
            // The second slot of LD_IMM64, usually well formed.
            let imm2 = interesting_i32(rng);
            out.extend_from_slice(&[0, 0, 0, 0]);
            out.extend_from_slice(&imm2.to_le_bytes());
        }
    }
    out
}

fn mutate_bytes(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    let n = 1 + rng.below(6);
    for _ in 0..n {
        if b.is_empty() {
            b.extend(random_insns(rng));
            continue;
        }
        let i = rng.below(b.len() as u64) as usize;
        match rng.below(6) {
            0 => b[i] ^= 1 << rng.below(8),
            1 => b[i] = rng.next_u64() as u8,
            2 => {
                // An instruction dropped or duplicated.
                let s = i / 8 * 8;
                let e = (s + 8).min(b.len());
                if rng.chance(50) {
                    b.drain(s..e);
                } else {
                    let ins: Vec<u8> = b[s..e].to_vec();
                    b.splice(s..s, ins);
                }
            }
            3 => {
                let v = interesting_i32(rng).to_le_bytes();
                let s = i / 8 * 8 + 4;
                for k in 0..4 {
                    if s + k < b.len() {
                        b[s + k] = v[k];
                    }
                }
            }
            4 => {
                let s = i / 8 * 8;
                b.splice(s..s, random_insns(rng).into_iter().take(16));
            }
            _ => b.truncate(i),
        }
    }
    b.truncate(MAX_INPUT);
    b
}

fn next_input(cx: &mut Ctx, target: &str) -> Vec<u8> {
    let fresh = cx.corpus.is_empty() || cx.rng.chance(15);
    match target {
        "asm" | "conformance" => {
            if fresh {
                let k = 1 + cx.rng.below(40);
                let mut s = String::new();
                for _ in 0..k {
                    s.push_str(cx.rng.pick(TOKENS));
                    s.push(if cx.rng.chance(20) { '\n' } else { ' ' });
                }
                if target == "conformance" {
                    s = format!("-- asm\n{s}\n-- mem\n00 01\n-- result\n0x{}\n", cx.rng.below(100));
                }
                s.into_bytes()
            } else {
                let base = cx.corpus[cx.rng.below(cx.corpus.len() as u64) as usize].clone();
                mutate_text(cx, &base)
            }
        }
        "bytes" => {
            if fresh {
                random_insns(&mut cx.rng)
            } else {
                let base = cx.corpus[cx.rng.below(cx.corpus.len() as u64) as usize].clone();
                mutate_bytes(&mut cx.rng, &base)
            }
        }
        "mapspec" => {
            if fresh {
                let rng = &mut cx.rng;
                let kinds = [
                    "hash",
                    "array",
                    "percpu_hash",
                    "percpu_array",
                    "lru_hash",
                    "ringbuf",
                    "prog_array",
                    "HASH",
                    "",
                    "bloom",
                ];
                let nums = [
                    "0",
                    "1",
                    "4",
                    "8",
                    "4096",
                    "65536",
                    "2147483648",
                    "4294967295",
                    "4294967296",
                    "-1",
                    "0x10",
                    "1e3",
                    "18446744073709551616",
                    " 4",
                    "4 ",
                    "",
                    "00000000000000000000004",
                ];
                if rng.chance(50) {
                    let p = [
                        rng.pick(&["m", "", "a:b", "é", "x y"]),
                        rng.pick(&kinds),
                        rng.pick(&nums),
                        rng.pick(&nums),
                        rng.pick(&nums),
                    ];
                    let k = 1 + rng.below(6) as usize;
                    p[..k.min(5)].join(":").into_bytes()
                } else {
                    let mut s = rng.pick(&kinds).to_string();
                    for _ in 0..rng.below(6) {
                        s.push(' ');
                        s.push_str(rng.pick(&[
                            "key=",
                            "value=",
                            "max=",
                            "flags=",
                            "key",
                            "=",
                            "max==",
                            "value=4=4",
                        ]));
                        s.push_str(rng.pick(&nums));
                    }
                    s.into_bytes()
                }
            } else {
                let base = cx.corpus[cx.rng.below(cx.corpus.len() as u64) as usize].clone();
                let mut t = mutate_text(cx, &base);
                t.retain(|&c| c != b'\n');
                t.truncate(256);
                t
            }
        }
        "cli" => {
            // Input: NUL-separated arguments, then a 0xff byte, then the file's contents.
            let rng = &mut cx.rng;
            let cmds = [
                "asm",
                "disasm",
                "verify",
                "run",
                "conformance",
                "conformance-plugin",
                "help",
                "--help",
                "",
                "bogus",
            ];
            let opts = [
                "--type",
                "--unpriv",
                "--log-level",
                "--json",
                "--trace",
                "--map",
                "--input",
                "--budget",
                "--cpus",
                "--cpu",
                "-o",
                "-h",
                "--",
                "-",
            ];
            let vals = [
                "socket_filter",
                "xdp",
                "kprobe",
                "tracepoint",
                "bogus",
                "0",
                "1",
                "2",
                "3",
                "99999999999999999999",
                "-1",
                "m:hash:4:8:16",
                "a:array:4:4:4294967295",
                "x:lru_hash:4:4:2147483648",
                "0011",
                "zz",
                "0x",
                "",
                "FILE",
                "FILE.s",
                "FILE.bin",
                "/nonexistent",
                "/dev/null",
                "/tmp",
            ];
            let mut args: Vec<String> = vec![rng.pick(&cmds).to_string()];
            for _ in 0..rng.below(8) {
                args.push(
                    if rng.chance(50) { rng.pick(&opts) } else { rng.pick(&vals) }.to_string(),
                );
            }
            if rng.chance(80) {
                args.push(rng.pick(&["FILE.s", "FILE.bin", "FILE"]).to_string());
            }
            let file = if cx.corpus.is_empty() || rng.chance(30) {
                random_insns(rng)
            } else {
                let base = cx.corpus[rng.below(cx.corpus.len() as u64) as usize].clone();
                // The corpus holds whole cases: take the file part.
                let f = base
                    .iter()
                    .position(|&b| b == 0xff)
                    .map_or(base.clone(), |p| base[p + 1..].to_vec());
                mutate_text(cx, &f)
            };
            let mut b = args.join("\0").into_bytes();
            b.push(0xff);
            b.extend(file);
            b
        }
        _ => Vec::new(),
    }
}

fn short(s: &str) -> String {
    // Numbers and quoted text vary; the message's shape matters.
    let mut o = String::new();
    let mut last_digit = false;
    let mut quoted = false;
    for c in s.chars().take(60) {
        if c == '`' || c == '\'' {
            quoted = !quoted;
            o.push('Q');
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_ascii_digit() {
            if !last_digit {
                o.push('N');
            }
            last_digit = true;
        } else {
            o.push(c);
            last_digit = false;
        }
    }
    o
}

const TYPES: [ProgType; 4] =
    [ProgType::SocketFilter, ProgType::Xdp, ProgType::Kprobe, ProgType::Tracepoint];

/// Verifies (and runs when accepted) a program; signatures of what happened.
fn verify_and_run(
    raw: &[RawInsn],
    maps: &[MapDef],
    ty: ProgType,
    unpriv: bool,
    level: u32,
    run_anyway: bool,
) -> Vec<String> {
    let mut sig = Vec::new();
    let v =
        verify(raw, maps, &Options { prog_type: ty, unpriv, log_level: level, trace: level == 2 });
    sig.push(match &v.error {
        None => "verify: accepted".to_string(),
        Some(e) => format!("verify: {}", short(&e.message)),
    });
    if v.accepted || run_anyway {
        if let Ok(prog) = decode_with(raw, Dialect::Kernel) {
            if let Ok(mut store) = MapStore::from_defs(maps, 2) {
                let input = match ty {
                    ProgType::SocketFilter | ProgType::Xdp => Input::packet((0..60u8).collect()),
                    _ => Input::default(),
                };
                match run_program(&prog, &mut store, ty, &input, &World::default(), 20_000) {
                    Ok(r) => sig.push(format!(
                        "run: {}",
                        r.error.map(|e| short(&e.kind.to_string())).unwrap_or_else(|| "ok".into())
                    )),
                    Err(e) => sig.push(format!("run input: {}", short(&e))),
                }
            }
        }
    }
    sig
}

fn case_asm(cx: &mut Ctx, input: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(input);
    let mut sig = Vec::new();
    let a = match assemble(&text) {
        Ok(a) => a,
        Err(e) => return vec![format!("asm: {}", short(&e.message))],
    };
    sig.push("asm: ok".to_string());
    // Disassemble; the assembler-ready style must assemble back to the same bytes.
    let raw = a.program.to_raw();
    let names = a.maps.clone();
    let _ = disassemble(&a.program, Style::kernel(), &names);
    let src: Vec<String> =
        disassemble(&a.program, Style::source(), &()).into_iter().map(|(_, t)| t).collect();
    match assemble(&src.join("\n")) {
        Ok(b) if b.program.to_raw() == raw => sig.push("roundtrip: same".into()),
        Ok(_) => sig.push("roundtrip: differs".into()),
        Err(e) => sig.push(format!("roundtrip: {}", short(&e.message))),
    }
    let mut maps = Vec::new();
    for name in &a.maps {
        match a
            .map_decls
            .iter()
            .find(|d| &d.name == name)
            .map(|d| MapDef::parse_spec(&d.name, &d.spec))
        {
            Some(Ok(d)) => match Map::create(&d, 2) {
                Ok(_) => maps.push(d),
                Err(e) => {
                    return [sig, vec![format!("map create: {}", short(&e.message))]].concat()
                }
            },
            Some(Err(e)) => return [sig, vec![format!("map: {}", short(&e.message))]].concat(),
            None => return [sig, vec!["map: undeclared".into()]].concat(),
        }
    }
    if raw.len() > 4096 {
        return sig;
    }
    let ty = cx.rng.pick(&TYPES);
    let unpriv = cx.rng.chance(30);
    let level = cx.rng.below(3) as u32;
    sig.extend(verify_and_run(&raw, &maps, ty, unpriv, level, false));
    sig
}

/// A fixed set of maps for byte programs: an LD_IMM64 map reference's imm indexes it.
fn byte_maps() -> Vec<MapDef> {
    vec![
        MapDef::new("h", MapKind::Hash, 4, 8, 16),
        MapDef::new("a", MapKind::Array, 4, 16, 4),
        MapDef::new("r", MapKind::Ringbuf, 0, 0, 4096),
        MapDef::new("p", MapKind::ProgArray, 4, 4, 4),
        MapDef::new("c", MapKind::PercpuArray, 4, 8, 1),
        MapDef::new("v", MapKind::Array, 4, 64, 1),
    ]
}

fn case_bytes(cx: &mut Ctx, input: &[u8]) -> Vec<String> {
    let mut sig = Vec::new();
    let whole = &input[..input.len() / 8 * 8];
    match decode_bytes(input) {
        Ok(_) => sig.push("decode_bytes: ok".to_string()),
        Err(e) => sig.push(format!("decode_bytes: {}", short(&e.to_string()))),
    }
    if whole.is_empty() {
        return sig;
    }
    let raw: Vec<RawInsn> =
        whole.chunks_exact(8).map(|c| RawInsn::from_bytes(c.try_into().unwrap())).collect();
    for d in [Dialect::Kernel, Dialect::Conformance] {
        match decode_with(&raw, d) {
            Ok(p) => {
                let _ = disassemble(&p, Style::kernel(), &());
                let _ = disassemble(&p, Style::source(), &());
            }
            Err(e) => sig.push(format!("decode {d:?}: {}", short(&e.to_string()))),
        }
    }
    for (i, r) in raw.iter().enumerate() {
        let _ = bpfplay_core::disasm::raw_text(*r, raw.get(i + 1).copied(), &());
    }
    let ty = cx.rng.pick(&TYPES);
    let unpriv = cx.rng.chance(30) && matches!(ty, ProgType::SocketFilter | ProgType::Xdp);
    let level = cx.rng.below(3) as u32;
    sig.extend(verify_and_run(&raw, &byte_maps(), ty, unpriv, level, true));
    // The conformance dialect (callx) straight into the interpreter.
    if let Ok(p) = decode_with(&raw, Dialect::Conformance) {
        match bpfplay_core::conformance::run(p, &[0u8; 32]) {
            Ok(_) => sig.push("conf run: ok".into()),
            Err(e) => sig.push(format!("conf run: {}", short(&e.kind.to_string()))),
        }
    }
    sig
}

fn case_mapspec(cx: &mut Ctx, input: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(input);
    let mut sig = Vec::new();
    let mut defs = Vec::new();
    match MapDef::parse_cli(&s) {
        Ok(d) => {
            sig.push("cli: ok".into());
            defs.push(d);
        }
        Err(e) => sig.push(format!("cli: {}", short(&e.message))),
    }
    match MapDef::parse_spec("m", &s) {
        Ok(d) => {
            sig.push("spec: ok".into());
            defs.push(d);
        }
        Err(e) => sig.push(format!("spec: {}", short(&e.message))),
    }
    // The same text as an assembly `map` line.
    let src = format!("map m: {}\nr1 = map[m] ll\nr0 = 0\nexit\n", s.replace('\n', " "));
    match assemble(&src) {
        Ok(a) => sig.push(format!("asm decls: {}", a.map_decls.len())),
        Err(e) => sig.push(format!("asm: {}", short(&e.message))),
    }
    for d in defs {
        let ncpus = 1 + cx.rng.below(4) as usize;
        match Map::create(&d, ncpus) {
            Ok(mut m) => {
                sig.push(format!("create {}: ok", d.kind.name()));
                let key: Vec<u8> = (0..d.key_size.min(64)).map(|i| i as u8).collect();
                let val = vec![7u8; m.user_value_size().min(1 << 16)];
                let _ = m.update(&key, &val, cx.rng.below(4), 0);
                let _ = m.lookup(&key);
                let _ = m.get_next_key(None);
                let _ = m.entries(0);
                let _ = m.delete(&key);
            }
            Err(e) => sig.push(format!("create: {}", short(&e.message))),
        }
    }
    sig
}

fn case_conformance(_cx: &mut Ctx, input: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(input);
    let v = bpfplay_core::conformance::check_text(&text);
    let what = match v {
        bpfplay_core::conformance::Verdict::Pass => "pass".to_string(),
        bpfplay_core::conformance::Verdict::Fail(m) => format!("fail {}", short(&m)),
        bpfplay_core::conformance::Verdict::Skip(m) => format!("skip {}", short(&m)),
    };
    vec![format!("conformance: {what}")]
}

fn case_cli(_cx: &mut Ctx, input: &[u8]) -> Vec<String> {
    let exe = root().join("target/release/bpfplay");
    let (args, file) = match input.iter().position(|&b| b == 0xff) {
        Some(p) => (&input[..p], &input[p + 1..]),
        None => (input, &[][..]),
    };
    let dir = std::env::temp_dir().join(format!("bpfplay-fuzz-cli-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for name in ["FILE.s", "FILE.bin", "FILE"] {
        let _ = std::fs::write(dir.join(name), file);
    }
    let args: Vec<String> = String::from_utf8_lossy(args).split('\0').map(String::from).collect();
    let mut child = match Command::new(&exe)
        .args(&args)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!(
            "cannot start {}: {e} (build it: cargo build --release -p bpfplay-cli)",
            exe.display()
        ),
    };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        let _ = stdin.write_all(&file[..file.len().min(4096)]);
    }
    let t0 = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if t0.elapsed() > Duration::from_secs(20) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read as _;
        let _ = e.read_to_string(&mut err);
    }
    let Some(status) = status else {
        // (The arguments are in the saved input; the message stays the same so that slow
        // runs count as one finding.)
        panic!("bpfplay ran over 20 s (killed)");
    };
    use std::os::unix::process::ExitStatusExt as _;
    if let Some(sig) = status.signal() {
        panic!("bpfplay {args:?} killed by signal {sig}: {}", err.lines().last().unwrap_or(""));
    }
    if err.contains("panicked") {
        panic!(
            "bpfplay {args:?} panicked: {}",
            err.lines().find(|l| l.contains("panicked")).unwrap_or("")
        );
    }
    let code = status.code().unwrap_or(-1);
    if !(0..=2).contains(&code) {
        panic!("bpfplay {args:?} exited with {code}");
    }
    vec![format!(
        "cli {} exit {code}: {}",
        args.first().map(String::as_str).unwrap_or(""),
        short(err.lines().next().unwrap_or(""))
    )]
}
