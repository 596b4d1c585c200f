//! Soundness checking: a program bpfplay's verifier accepts must run in bpfplay's interpreter
//! without tripping its run-time checks (a load, store or atomic outside every region, control
//! leaving the program, an unresolvable `LD_IMM64`, a helper refusing its arguments...) and
//! without running out of its instruction budget, on any input. A run that does is a
//! counterexample: the verifier let through something the kernel would have to be protected
//! from at run time.
//!
//! Programs come from the type-aware generator ([`crate::gen`]); each accepted one runs on
//! several random inputs ([`RunInput`]: packets of many lengths including the 14-byte minimum,
//! random kprobe registers and tracepoint records, random map contents, a random world).
//! Inputs are a pure function of an input seed and the program's maps, so a counterexample is
//! the program's source plus that seed (`tests/soundness-corpus/`, see its README).
//!
//! Used by the `soundness` binary (long campaigns) and `tests/tests/soundness.rs` (a short
//! fixed-seed run and the corpus as regression tests).

use crate::corpus::{Case, MapSpec};
use crate::diff::{map_def, subject_of, Subject};
use crate::gen::{Generated, Rng};
use crate::kernel::ProgType;
use bpfplay_core::helpers::World;
use bpfplay_core::isa::{decode_with, Dialect};
use bpfplay_core::maps::{MapDef, MapStore};
use bpfplay_core::progtype::ProgType as CoreProgType;
use bpfplay_core::run::{run_program, Input, PtRegs, SysEnter};
use bpfplay_core::verifier::{verify, Options};
use bpfplay_core::vm::{VmErrorKind, DEFAULT_BUDGET};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Possible CPUs of the simulated machine (per-CPU maps, `bpf_get_smp_processor_id`).
pub const NCPUS: usize = 2;

/// Frame lengths tried: the minimum (14, an Ethernet header alone), a few bytes more, the
/// usual header stacks, and larger frames.
const PACKET_LENS: [usize; 14] = [14, 14, 15, 16, 20, 22, 34, 38, 42, 54, 60, 64, 128, 1514];

/// One run's input, derived from `seed` and the program's maps.
#[derive(Clone, Debug)]
pub struct RunInput {
    pub seed: u64,
    pub input: Input,
    pub world: World,
    /// Entries put in the maps before the run: (map index, key, value).
    pub entries: Vec<(usize, Vec<u8>, Vec<u8>)>,
}

fn bytes(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.next_u64() as u8).collect()
}

/// A value a program is likely to compare against: small numbers, edges, anything.
fn interesting_u64(rng: &mut Rng) -> u64 {
    match rng.below(6) {
        0 => rng.below(4),
        1 => rng.below(256),
        2 => u64::MAX - rng.below(4),
        3 => 1u64 << rng.below(64),
        4 => (rng.next_u64() as u32) as u64,
        _ => rng.next_u64(),
    }
}

impl RunInput {
    pub fn new(seed: u64, prog_type: ProgType, maps: &[MapDef]) -> RunInput {
        let mut rng = Rng::new(seed ^ 0x05ee_d0f5_00dd);
        let mut input = Input::default();
        match prog_type {
            ProgType::SocketFilter | ProgType::Xdp => {
                let len = rng.pick(&PACKET_LENS);
                let mut p = bytes(&mut rng, len);
                if rng.chance(70) {
                    // An EtherType the kernel's test run takes as it is.
                    p[12] = 0x88;
                    p[13] = 0xb5;
                }
                input.packet = p;
            }
            ProgType::Kprobe => {
                let mut r = PtRegs::default();
                for v in r.regs.iter_mut() {
                    *v = interesting_u64(&mut rng);
                }
                input.regs = r;
            }
            ProgType::Tracepoint => {
                let mut args = [0u64; 6];
                for a in args.iter_mut() {
                    *a = interesting_u64(&mut rng);
                }
                input.syscall = SysEnter {
                    event_type: rng.next_u64() as u16,
                    id: interesting_u64(&mut rng) as i64,
                    args,
                };
            }
        }
        let world = World {
            pid: rng.next_u64() as u32,
            tgid: rng.next_u64() as u32,
            uid: rng.next_u64() as u32,
            gid: rng.next_u64() as u32,
            cpu: rng.below(NCPUS as u64) as u32,
            ktime_ns: rng.next_u64() >> 1,
            prandom_seed: rng.next_u64(),
            ..World::default()
        };
        let mut entries = Vec::new();
        for (i, m) in maps.iter().enumerate() {
            use bpfplay_core::maps::MapKind as K;
            if matches!(m.kind, K::Ringbuf | K::ProgArray) {
                continue;
            }
            let n = rng.below((m.max_entries as u64).min(6) + 1) as usize;
            for _ in 0..n {
                let mut key = if rng.chance(60) {
                    vec![0u8; m.key_size as usize]
                } else {
                    bytes(&mut rng, m.key_size as usize)
                };
                if m.kind.is_array() || rng.chance(50) {
                    // Small keys: indexes in range (arrays), the keys programs use (hashes).
                    let k = rng.below(m.max_entries.max(1) as u64) as u32;
                    let n = 4.min(key.len());
                    key[..n].copy_from_slice(&k.to_le_bytes()[..n]);
                }
                let vlen = if m.kind.is_percpu() {
                    (m.value_size as usize).div_ceil(8) * 8 * NCPUS
                } else {
                    m.value_size as usize
                };
                let value = bytes(&mut rng, vlen);
                entries.push((i, key, value));
            }
        }
        RunInput { seed, input, world, entries }
    }

    /// The input in words, for a report.
    pub fn describe(&self) -> String {
        let mut s = format!("input seed {}", self.seed);
        if !self.input.packet.is_empty() {
            let _ = write!(s, ", packet of {} bytes", self.input.packet.len());
        }
        if !self.entries.is_empty() {
            let _ = write!(s, ", {} map entries", self.entries.len());
        }
        s
    }
}

/// A counterexample: what went wrong on which input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Coarse class, stable under minimisation: `memory`, `budget`, `pc`, `ldimm64`,
    /// `call-depth`, `helper`, `unknown-helper`, `kfunc`, `register`, `verify-panic`,
    /// `run-panic`, `input`.
    pub class: String,
    /// The interpreter's error (or the panic message) and the input.
    pub detail: String,
    pub input_seed: u64,
}

/// What checking one program found.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    pub accepted: bool,
    pub runs: usize,
    pub finding: Option<Finding>,
    pub verify_time: Duration,
    pub max_executed: u64,
    pub processed: u64,
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn class_of(k: &VmErrorKind) -> &'static str {
    match k {
        VmErrorKind::MemoryAccess { .. } => "memory",
        VmErrorKind::BudgetExhausted { .. } => "budget",
        VmErrorKind::PcOutOfBounds { .. } => "pc",
        VmErrorKind::JumpIntoLdImm64 => "pc",
        VmErrorKind::CallDepthExceeded { .. } => "call-depth",
        VmErrorKind::UnknownHelper { .. } => "unknown-helper",
        VmErrorKind::HelperFailed { .. } => "helper",
        VmErrorKind::UnsupportedKfunc { .. } => "kfunc",
        VmErrorKind::UnresolvedLdImm64 { .. } => "ldimm64",
        VmErrorKind::InvalidRegister { .. } => "register",
    }
}

fn core_type(t: ProgType) -> CoreProgType {
    CoreProgType::parse(t.name()).expect("program type")
}

/// Verifies `s` with bpfplay and, if accepted, runs it on the inputs of `input_seeds`; stops
/// at the first counterexample.
pub fn check(s: &Subject, input_seeds: &[u64]) -> Checked {
    let defs: Vec<MapDef> = s.maps.iter().map(map_def).collect();
    let opts =
        Options { prog_type: core_type(s.prog_type), unpriv: s.unpriv, log_level: 0, trace: false };
    let t0 = Instant::now();
    let v = catch_unwind(AssertUnwindSafe(|| verify(&s.raw, &defs, &opts)));
    let mut out = Checked { verify_time: t0.elapsed(), ..Checked::default() };
    let v = match v {
        Ok(v) => v,
        Err(p) => {
            out.finding = Some(Finding {
                class: "verify-panic".into(),
                detail: format!("the verifier panicked: {}", panic_text(&*p)),
                input_seed: 0,
            });
            return out;
        }
    };
    out.processed = v.processed;
    if !v.accepted {
        return out;
    }
    out.accepted = true;
    let prog = match decode_with(&s.raw, Dialect::Kernel) {
        Ok(p) => p,
        Err(e) => {
            out.finding = Some(Finding {
                class: "decode".into(),
                detail: format!("accepted but not decodable: {e}"),
                input_seed: 0,
            });
            return out;
        }
    };
    for &seed in input_seeds {
        let ri = RunInput::new(seed, s.prog_type, &defs);
        out.runs += 1;
        let r = catch_unwind(AssertUnwindSafe(|| -> Result<_, String> {
            let mut store =
                MapStore::from_defs(&defs, NCPUS).map_err(|(i, e)| format!("map {i}: {e}"))?;
            for (i, k, val) in &ri.entries {
                // A random entry a map refuses (full, flags) is simply not there.
                let _ = store.update(*i, k, val, 0);
            }
            run_program(
                &prog,
                &mut store,
                core_type(s.prog_type),
                &ri.input,
                &ri.world,
                DEFAULT_BUDGET,
            )
        }));
        let finding = match r {
            Err(p) => Some(Finding {
                class: "run-panic".into(),
                detail: format!(
                    "the interpreter panicked: {} ({})",
                    panic_text(&*p),
                    ri.describe()
                ),
                input_seed: seed,
            }),
            Ok(Err(e)) => Some(Finding {
                class: "input".into(),
                detail: format!("the run refused its input: {e} ({})", ri.describe()),
                input_seed: seed,
            }),
            Ok(Ok(r)) => {
                out.max_executed = out.max_executed.max(r.insns_executed);
                r.error.map(|e| Finding {
                    class: class_of(&e.kind).into(),
                    detail: format!("{e} ({})", ri.describe()),
                    input_seed: seed,
                })
            }
        };
        if finding.is_some() {
            out.finding = finding;
            return out;
        }
    }
    out
}

/// The input seeds for program `seed`: `n` of them.
pub fn input_seeds(seed: u64, n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| seed.wrapping_mul(1000).wrapping_add(i)).collect()
}

/// Checks a generated program; `None` if it does not assemble.
pub fn check_generated(g: &Generated, inputs: usize) -> Option<Checked> {
    let (s, _) = subject_of(g.prog_type, g.unpriv, &g.maps, &g.body).ok()?;
    Some(check(&s, &input_seeds(g.seed, inputs)))
}

/// Drops lines of `g` while the program stays accepted and the same class of counterexample
/// shows on the same input. At most `max_tests` trials.
pub fn minimise(g: &Generated, f: &Finding, max_tests: usize) -> Vec<String> {
    let mut still = |cand: &[String], _: &mut usize| -> bool {
        let Ok((s, _)) = subject_of(g.prog_type, g.unpriv, &g.maps, cand) else { return false };
        check(&s, &[f.input_seed]).finding.is_some_and(|x| x.class == f.class)
    };
    crate::shrink::drop_lines(g.body.clone(), max_tests, &mut 0, &mut still)
}

/// A counterexample file: the corpus format (`// type:`, `// mode:`, map declarations, the
/// program) with `// input-seed: N` and `// finding: CLASS: DETAIL`.
pub fn repro_text(g: &Generated, body: &[String], f: &Finding) -> String {
    let used: Vec<&MapSpec> = g
        .maps
        .iter()
        .filter(|m| body.iter().any(|l| l.contains(&format!("[{}]", m.name))))
        .collect();
    let mut s = String::new();
    let _ = writeln!(s, "// type: {}", g.prog_type.name());
    if g.unpriv {
        let _ = writeln!(s, "// mode: unpriv");
    }
    let _ = writeln!(s, "// status: open");
    let _ = writeln!(s, "// generator-seed: {}", g.seed);
    let _ = writeln!(s, "// input-seed: {}", f.input_seed);
    let _ = writeln!(s, "// finding: {}: {}", f.class, f.detail.replace('\n', " "));
    for m in used {
        let _ = writeln!(s, "{}", crate::gen::map_decl(m));
    }
    for l in body {
        let _ = writeln!(s, "{l}");
    }
    s
}

/// Writes a counterexample into `dir` (never overwrites); returns its path.
pub fn write_repro(
    dir: &Path,
    g: &Generated,
    body: &[String],
    f: &Finding,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let name = format!(
        "sound_{}{}_{}_{}.s",
        g.prog_type.name(),
        if g.unpriv { "_u" } else { "" },
        f.class,
        g.seed
    );
    let path = dir.join(name);
    if !path.exists() {
        std::fs::write(&path, repro_text(g, body, f))?;
    }
    Ok(path)
}

/// A counterexample file read back.
pub struct Repro {
    pub case: Case,
    pub input_seed: u64,
    pub class: String,
    /// `// status: fixed` (a regression test: must no longer reproduce) or `open` (a known
    /// unsoundness, listed in KNOWN-DIFFERENCES.md).
    pub fixed: bool,
}

pub fn load_repro(path: &Path) -> Result<Repro, String> {
    let case = Case::load(path)?;
    let header = |k: &str| -> Option<String> {
        case.source.lines().find_map(|l| {
            l.trim()
                .strip_prefix("//")
                .and_then(|h| h.trim().strip_prefix(k))
                .and_then(|r| r.strip_prefix(':'))
                .map(|v| v.trim().to_string())
        })
    };
    let input_seed =
        header("input-seed").and_then(|v| v.parse().ok()).ok_or("missing `// input-seed: N`")?;
    let class = header("finding")
        .and_then(|v| v.split(':').next().map(|c| c.trim().to_string()))
        .ok_or("missing `// finding:`")?;
    let fixed = header("status").as_deref() == Some("fixed");
    Ok(Repro { case, input_seed, class, fixed })
}

/// Every `*.s` of the soundness corpus, sorted.
pub fn corpus_paths() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("soundness-corpus");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "s"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Totals of a campaign.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub programs: u64,
    pub assembled: u64,
    pub accepted: u64,
    pub runs: u64,
    pub findings: Vec<(Generated, Finding)>,
    pub slowest_verify: Duration,
    pub max_executed: u64,
    /// The largest ratio of instructions executed in one run to instructions the verifier
    /// processed (a check on budgets: the run of an accepted program is bounded by what the
    /// verifier walked, loops unrolled).
    pub max_exec_ratio: f64,
}

impl Tally {
    pub fn add(&mut self, g: &Generated, c: Option<Checked>) {
        self.programs += 1;
        let Some(c) = c else { return };
        self.assembled += 1;
        if c.accepted {
            self.accepted += 1;
        }
        self.runs += c.runs as u64;
        self.slowest_verify = self.slowest_verify.max(c.verify_time);
        self.max_executed = self.max_executed.max(c.max_executed);
        if c.processed > 0 {
            self.max_exec_ratio =
                self.max_exec_ratio.max(c.max_executed as f64 / c.processed as f64);
        }
        if let Some(f) = c.finding {
            self.findings.push((g.clone(), f));
        }
    }

    pub fn line(&self) -> String {
        format!(
            "{} programs ({} assembled, {} accepted), {} runs, {} counterexamples; slowest verification {:.2?}, most insns in one run {}, executed/processed at most {:.2}",
            self.programs,
            self.assembled,
            self.accepted,
            self.runs,
            self.findings.len(),
            self.slowest_verify,
            self.max_executed,
            self.max_exec_ratio
        )
    }
}

/// A variant of an accepted program, one small change away: an off-by-one or edge constant,
/// a comparison turned around or made (non-)strict, an access size changed, a line dropped or
/// repeated. Mutants the verifier still accepts probe exactly the edges it must get right.
pub fn mutate(body: &[String], rng: &mut Rng) -> Vec<String> {
    let mut b = body.to_vec();
    if b.is_empty() {
        return b;
    }
    let n = 1 + rng.below(3) as usize;
    for _ in 0..n {
        let i = rng.below(b.len() as u64) as usize;
        let line = b[i].clone();
        if line.ends_with(':') {
            continue;
        }
        match rng.below(10) {
            0 => {
                b.remove(i);
                if b.is_empty() {
                    return body.to_vec();
                }
            }
            1 => b.insert(i, line),
            2 | 3 => {
                let sizes = ["u8", "u16", "u32", "u64"];
                if let Some(from) = sizes.iter().find(|s| line.contains(&format!("({} *)", s))) {
                    let to = rng.pick(&sizes);
                    b[i] = line.replacen(&format!("({from} *)"), &format!("({to} *)"), 1);
                }
            }
            4 | 5 => {
                let swaps = [
                    (" > ", " >= "),
                    (" >= ", " > "),
                    (" < ", " <= "),
                    (" <= ", " < "),
                    (" s> ", " s>= "),
                    (" s< ", " s<= "),
                    (" == ", " != "),
                    (" != ", " == "),
                    (" > ", " s> "),
                    (" < ", " s< "),
                ];
                let (a, z) = rng.pick(&swaps);
                if line.starts_with("if ") && line.contains(a) {
                    b[i] = line.replacen(a, z, 1);
                }
            }
            _ => {
                // A numeric literal nudged: ±1, ±8, 0, -1, an edge.
                let toks: Vec<(usize, usize)> = numeric_spans(&line);
                if toks.is_empty() {
                    continue;
                }
                let (s, e) = toks[rng.below(toks.len() as u64) as usize];
                let Ok(v) = line[s..e].parse::<i64>() else { continue };
                let nv = match rng.below(8) {
                    0 => v + 1,
                    1 => v - 1,
                    2 => v + 8,
                    3 => v - 8,
                    4 => 0,
                    5 => -1,
                    6 => v.wrapping_mul(2),
                    _ => rng.pick(&[0x7fff_ffffi64, -0x8000_0000, 0xffff, 255, 4096, 512, -512]),
                };
                b[i] = format!("{}{}{}", &line[..s], nv, &line[e..]);
            }
        }
    }
    b
}

/// Byte spans of decimal literals (with a leading `-`) in a line, skipping register names
/// and identifiers.
fn numeric_spans(line: &str) -> Vec<(usize, usize)> {
    let bs = line.as_bytes();
    let mut v = Vec::new();
    let mut i = 0;
    while i < bs.len() {
        let c = bs[i];
        let prev_ident = i > 0 && (bs[i - 1].is_ascii_alphanumeric() || bs[i - 1] == b'_');
        if c.is_ascii_digit() && !prev_ident {
            let mut s = i;
            if s > 0 && bs[s - 1] == b'-' {
                s -= 1;
            }
            let mut e = i;
            while e < bs.len() && bs[e].is_ascii_digit() {
                e += 1;
            }
            // Not hex, not part of an identifier.
            if !(e < bs.len() && (bs[e].is_ascii_alphabetic() || bs[e] == b'_')) {
                v.push((s, e));
            }
            i = e;
        } else {
            i += 1;
        }
    }
    v
}

/// For the oracle's own check: runs a program the verifier *rejected* on one input and says
/// whether the interpreter caught a fault. Rejected programs with memory errors often fault,
/// which shows that the run-time checks the campaign relies on do fire.
pub fn rejected_faults(s: &Subject, input_seed: u64) -> Option<String> {
    let defs: Vec<MapDef> = s.maps.iter().map(map_def).collect();
    let prog = decode_with(&s.raw, Dialect::Kernel).ok()?;
    let ri = RunInput::new(input_seed, s.prog_type, &defs);
    let r = catch_unwind(AssertUnwindSafe(|| {
        let mut store = MapStore::from_defs(&defs, NCPUS).ok()?;
        run_program(&prog, &mut store, core_type(s.prog_type), &ri.input, &ri.world, 100_000).ok()
    }))
    .ok()??;
    r.error.map(|e| class_of(&e.kind).to_string())
}
