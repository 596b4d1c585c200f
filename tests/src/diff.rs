//! Differential testing of bpfplay's verifier against the running kernel's, on programs from
//! [`crate::gen`]: both verdicts, first error lines and processed-instruction counts, the
//! agreement per category, and disagreements minimised into corpus-format reproducers.
//!
//! Used by the `verifier_diff` binary (campaigns) and `tests/tests/verifier_diff.rs` (a small
//! fixed-seed batch that guards against regressions).

use crate::corpus::{ask_kernel, Case, MapSpec};
use crate::gen::{generate, source_text, GenConfig, Generated};
use crate::kernel::{
    error_block, processed_insns, prog_load, prog_load_unpriv, Errno, Map, ProgType,
};
use bpfplay_core::maps::{MapDef, MapKind as CoreMapKind};
use bpfplay_core::progtype::ProgType as CoreProgType;
use bpfplay_core::verifier::{verify, Options};
use bpfplay_core::RawInsn;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// One verifier's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub accepted: bool,
    pub errno: i32,
    /// First line of the error block (kernel), `VerifyError::message` (bpfplay).
    pub message: Option<String>,
    pub processed: Option<u64>,
}

impl Answer {
    pub fn summary(&self) -> String {
        let p = self.processed.map(|p| format!(", {p} insns")).unwrap_or_default();
        if self.accepted {
            format!("accepted{p}")
        } else {
            format!(
                "rejected {} `{}`{p}",
                Errno(self.errno).name(),
                self.message.as_deref().unwrap_or("")
            )
        }
    }
}

/// A program to compare: what a corpus case holds.
#[derive(Clone, Debug)]
pub struct Subject {
    pub prog_type: ProgType,
    pub unpriv: bool,
    pub maps: Vec<MapSpec>,
    pub raw: Vec<RawInsn>,
}

impl Subject {
    pub fn from_case(c: &Case) -> Subject {
        Subject {
            prog_type: c.prog_type,
            unpriv: c.unpriv,
            maps: c.maps.clone(),
            raw: c.raw.clone(),
        }
    }
}

/// The kernel's answer (at `log_level`, 1 normally).
pub fn kernel_answer(s: &Subject, log_level: u32) -> Result<Answer, String> {
    let mut maps: Vec<Map> = Vec::new();
    for m in &s.maps {
        maps.push(m.create().map_err(|e| format!("creating map `{}`: {e}", m.name))?);
    }
    let r = if s.unpriv {
        prog_load_unpriv(s.prog_type, &s.raw, log_level, &maps)?
    } else {
        prog_load(s.prog_type, &s.raw, log_level, &maps)
    };
    let mut message = if r.accepted { None } else { error_block(&r.log).into_iter().next() };
    if !r.accepted && log_level == 1 {
        if let Some(m) = glued_message(&r.log, &s.raw) {
            message = Some(m);
        } else if message.as_deref().is_some_and(|m| {
            m.starts_with("cur state:")
                || m.starts_with("old state:")
                || m.starts_with(|c: char| c.is_ascii_digit())
        }) {
            // Not what a message looks like: ask again with the full log.
            drop(r);
            drop(maps);
            return kernel_answer(s, 2);
        }
    }
    Ok(Answer { accepted: r.accepted, errno: r.errno, message, processed: processed_insns(&r.log) })
}

/// At log level 1 the kernel prints an instruction without its line end when a message
/// follows before the instruction's state would have been printed (`12: (55) if r8 != 0x9
/// goto pc-3 infinite loop detected at insn 10`): the message glued to the last instruction
/// line of the log, found by disassembling that instruction.
fn glued_message(log: &str, raw: &[RawInsn]) -> Option<String> {
    let line = log.lines().rev().find(|l| {
        let d = l.bytes().take_while(|b| b.is_ascii_digit()).count();
        d > 0 && l[d..].starts_with(": (")
    })?;
    let (idx, rest) = line.split_once(": ")?;
    let idx: usize = idx.parse().ok()?;
    let prog = bpfplay_core::decode(raw).ok()?;
    let text =
        bpfplay_core::disasm::insn_text(prog.insns.get(idx)?, bpfplay_core::Style::kernel(), &())?;
    let glued = rest.strip_prefix(text.as_str())?.strip_prefix(' ')?;
    // The statistics may be glued on as well (`... too large. Processed 1000001 insn`).
    let glued = glued.split("processed ").next().unwrap_or(glued).trim();
    (!glued.is_empty() && !glued.starts_with(';')).then(|| glued.to_string())
}

pub fn map_def(m: &MapSpec) -> MapDef {
    MapDef {
        name: m.name.clone(),
        kind: CoreMapKind::parse(m.kind.name()).expect("map kinds are bpfplay's"),
        key_size: m.key_size,
        value_size: m.value_size,
        max_entries: m.max_entries,
        flags: m.flags,
        inner: None,
        record: Default::default(),
        map_extra: m.map_extra,
    }
}

/// bpfplay's answer, and how long it took. A panic becomes a rejection with the message
/// `bpfplay panicked: ...` (errno 0), so that it shows up as a disagreement.
/// bpfplay's verifier log (in this process).
pub fn bpfplay_log(s: &Subject, log_level: u32) -> String {
    let maps: Vec<MapDef> = s.maps.iter().map(map_def).collect();
    let ty = CoreProgType::parse(s.prog_type.name()).expect("program type");
    let opts = Options { prog_type: ty, unpriv: s.unpriv, log_level, trace: false };
    verify(&s.raw, &maps, &opts).log
}

pub fn bpfplay_answer(s: &Subject, log_level: u32) -> (Answer, Duration) {
    let maps: Vec<MapDef> = s.maps.iter().map(map_def).collect();
    let ty = CoreProgType::parse(s.prog_type.name()).expect("program type");
    let opts = Options { prog_type: ty, unpriv: s.unpriv, log_level, trace: false };
    let t0 = Instant::now();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| verify(&s.raw, &maps, &opts)));
    let dt = t0.elapsed();
    let a = match r {
        Ok(v) => Answer {
            accepted: v.accepted,
            errno: v.error.as_ref().map_or(0, |e| e.errno),
            message: v.error.map(|e| e.message),
            processed: Some(v.processed),
        },
        Err(p) => {
            let what = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Answer {
                accepted: false,
                errno: 0,
                message: Some(format!("bpfplay panicked: {what}")),
                processed: None,
            }
        }
    };
    (a, dt)
}

/// Where bpfplay's verifier runs: in this process, or in a child process (`verifier_diff
/// --worker`) that is killed and restarted when a verification takes longer than the timeout,
/// so that a hang in bpfplay is a finding rather than the end of a campaign.
pub struct Ours {
    exe: Option<PathBuf>,
    timeout: Duration,
    worker: Option<Worker>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<String>,
}

impl Ours {
    pub fn in_process() -> Ours {
        Ours { exe: None, timeout: Duration::MAX, worker: None }
    }

    /// Runs verifications in `exe --worker`, giving up on one after `timeout`.
    pub fn worker(exe: PathBuf, timeout: Duration) -> Ours {
        Ours { exe: Some(exe), timeout, worker: None }
    }

    pub fn answer(&mut self, s: &Subject, log_level: u32) -> (Answer, Duration) {
        let Some(exe) = self.exe.clone() else {
            return bpfplay_answer(s, log_level);
        };
        if self.worker.is_none() {
            match spawn_worker(&exe) {
                Ok(w) => self.worker = Some(w),
                Err(e) => {
                    return (
                        Answer {
                            accepted: false,
                            errno: 0,
                            message: Some(format!("bpfplay worker: {e}")),
                            processed: None,
                        },
                        Duration::ZERO,
                    )
                }
            }
        }
        let w = self.worker.as_mut().unwrap();
        let t0 = Instant::now();
        let sent =
            writeln!(w.stdin, "{}", encode_request(s, log_level)).and_then(|_| w.stdin.flush());
        let reply = match sent {
            Ok(()) => w.rx.recv_timeout(self.timeout).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match reply.and_then(|l| decode_reply(&l)) {
            Ok(a) => a,
            Err(why) => {
                let mut w = self.worker.take().unwrap();
                let _ = w.child.kill();
                let _ = w.child.wait();
                let dt = t0.elapsed();
                let msg = if dt >= self.timeout {
                    format!("bpfplay timed out (> {} s)", self.timeout.as_secs())
                } else {
                    format!("bpfplay worker died: {why}")
                };
                (Answer { accepted: false, errno: 0, message: Some(msg), processed: None }, dt)
            }
        }
    }
}

impl Drop for Ours {
    fn drop(&mut self) {
        if let Some(mut w) = self.worker.take() {
            let _ = w.child.kill();
            let _ = w.child.wait();
        }
    }
}

fn spawn_worker(exe: &Path) -> Result<Worker, String> {
    let mut child = Command::new(exe)
        .arg("--worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Ok(Worker { child, stdin, rx })
}

/// One request line: `TYPE UNPRIV LEVEL MAPS INSNS`, maps as `name:kind:k:v:max:flags` joined
/// by `,` (`-` for none), instructions as 16 hex digits each, joined by `,`.
fn encode_request(s: &Subject, log_level: u32) -> String {
    let maps: Vec<String> = s
        .maps
        .iter()
        .map(|m| {
            format!(
                "{}:{}:{}:{}:{}:{}",
                m.name,
                m.kind.name(),
                m.key_size,
                m.value_size,
                m.max_entries,
                m.flags
            )
        })
        .collect();
    let insns: Vec<String> = s.raw.iter().map(|r| format!("{:016x}", r.to_u64())).collect();
    format!(
        "{} {} {} {} {}",
        s.prog_type.name(),
        s.unpriv as u8,
        log_level,
        if maps.is_empty() { "-".into() } else { maps.join(",") },
        insns.join(",")
    )
}

fn decode_request(line: &str) -> Option<(Subject, u32)> {
    let f: Vec<&str> = line.split(' ').collect();
    if f.len() != 5 {
        return None;
    }
    let prog_type = ProgType::from_name(f[0])?;
    let unpriv = f[1] == "1";
    let level = f[2].parse().ok()?;
    let mut maps = Vec::new();
    if f[3] != "-" {
        for m in f[3].split(',') {
            let p: Vec<&str> = m.split(':').collect();
            if p.len() != 6 {
                return None;
            }
            maps.push(MapSpec {
                name: p[0].into(),
                kind: crate::kernel::MapKind::from_name(p[1])?,
                key_size: p[2].parse().ok()?,
                value_size: p[3].parse().ok()?,
                max_entries: p[4].parse().ok()?,
                flags: p[5].parse().ok()?,
                map_extra: 0,
            });
        }
    }
    let mut raw = Vec::new();
    for h in f[4].split(',').filter(|h| !h.is_empty()) {
        raw.push(RawInsn::from_bytes(u64::from_str_radix(h, 16).ok()?.to_le_bytes()));
    }
    Some((Subject { prog_type, unpriv, maps, raw }, level))
}

/// Reply line: `ACCEPTED ERRNO PROCESSED NANOS MESSAGE` (`-` for no count / no message).
fn encode_reply(a: &Answer, dt: Duration) -> String {
    let msg = a.message.as_deref().unwrap_or("-").replace('\n', " ");
    format!(
        "{} {} {} {} {}",
        a.accepted as u8,
        a.errno,
        a.processed.map_or("-".into(), |p| p.to_string()),
        dt.as_nanos(),
        msg
    )
}

fn decode_reply(line: &str) -> Result<(Answer, Duration), String> {
    let mut f = line.splitn(5, ' ');
    let bad = || format!("bad worker reply `{line}`");
    let accepted = f.next().ok_or_else(bad)? == "1";
    let errno = f.next().and_then(|x| x.parse().ok()).ok_or_else(bad)?;
    let processed = match f.next().ok_or_else(bad)? {
        "-" => None,
        x => Some(x.parse().map_err(|_| bad())?),
    };
    let nanos: u64 = f.next().and_then(|x| x.parse().ok()).ok_or_else(bad)?;
    let message = match f.next().unwrap_or("-") {
        "-" if accepted => None,
        m => Some(m.to_string()),
    };
    Ok((Answer { accepted, errno, message, processed }, Duration::from_nanos(nanos)))
}

/// The worker side: reads requests on stdin, answers on stdout, until end of input.
pub fn worker_main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let reply = match decode_request(&line) {
            Some((s, level)) => {
                let (a, dt) = bpfplay_answer(&s, level);
                encode_reply(&a, dt)
            }
            None => encode_reply(
                &Answer {
                    accepted: false,
                    errno: 0,
                    message: Some("bad request".into()),
                    processed: None,
                },
                Duration::ZERO,
            ),
        };
        if writeln!(out, "{reply}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}

/// How two answers compare.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Agreement {
    pub verdict: bool,
    /// Accepted by both, or rejected by both with the same first line (or the kernel refused
    /// without a log, as the corpus test counts it).
    pub message: bool,
    /// `None` where the kernel printed no count.
    pub processed: Option<bool>,
}

pub fn agreement(k: &Answer, o: &Answer) -> Agreement {
    let verdict = k.accepted == o.accepted;
    let message =
        verdict && (k.accepted || k.message == o.message || (k.message.is_none() && !o.accepted));
    let processed = k.processed.map(|p| o.processed == Some(p));
    Agreement { verdict, message, processed }
}

/// Digits (and hex constants) replaced by `N`, so that messages differing only in numbers
/// count as one kind.
pub fn normalise(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let b = msg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            // `0x...` or decimal
            if b[i] == b'0' && i + 1 < b.len() && b[i + 1] == b'x' {
                i += 2;
                while i < b.len() && b[i].is_ascii_hexdigit() {
                    i += 1;
                }
            } else {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            out.push('N');
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// The kind of a disagreement, `None` if the answers agree (in verdict, message and count).
pub fn disagreement_kind(k: &Answer, o: &Answer) -> Option<String> {
    let a = agreement(k, o);
    let msg = |m: &Option<String>| normalise(m.as_deref().unwrap_or(""));
    if !a.verdict {
        return Some(if k.accepted {
            format!("verdict: kernel accepts, bpfplay rejects `{}`", msg(&o.message))
        } else {
            format!("verdict: kernel rejects `{}`, bpfplay accepts", msg(&k.message))
        });
    }
    if !a.message {
        let (km, om) = (msg(&k.message), msg(&o.message));
        if km == om {
            return Some(format!("message (numbers differ): kernel `{km}`"));
        }
        return Some(format!("message: kernel `{km}`, bpfplay `{om}`"));
    }
    if a.processed == Some(false) {
        let (kp, op) = (k.processed.unwrap_or(0), o.processed.unwrap_or(0));
        let dir = if op > kp { "more" } else { "fewer" };
        let what = if k.accepted {
            "accepted".to_string()
        } else {
            format!("rejected `{}`", msg(&k.message))
        };
        return Some(format!("processed: {what}, bpfplay counts {dir}"));
    }
    None
}

/// One compared program.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub kernel: Answer,
    pub ours: Answer,
    pub agreement: Agreement,
    pub kind: Option<String>,
    pub ours_time: Duration,
}

pub fn compare(s: &Subject, ours_v: &mut Ours) -> Result<Outcome, String> {
    let kernel = kernel_answer(s, 1)?;
    let (ours, ours_time) = ours_v.answer(s, 1);
    let agreement = agreement(&kernel, &ours);
    let kind = disagreement_kind(&kernel, &ours);
    Ok(Outcome { kernel, ours, agreement, kind, ours_time })
}

/// Assembles a generated program (or a variant of its lines) into a [`Subject`].
pub fn subject_of(
    prog_type: ProgType,
    unpriv: bool,
    maps: &[MapSpec],
    body: &[String],
) -> Result<(Subject, String), String> {
    let used: Vec<MapSpec> = maps
        .iter()
        .filter(|m| body.iter().any(|l| l.contains(&format!("[{}]", m.name))))
        .cloned()
        .collect();
    let src = source_text(prog_type, unpriv, &used, body, "");
    let case = Case::parse("fuzz", Path::new("fuzz.s"), &src)?;
    Ok((Subject::from_case(&case), src))
}

/// Drops lines of `g` while the disagreement `kind` persists; at most `max_tests` trial
/// compilations. Returns the remaining lines.
pub fn minimise(
    g: &Generated,
    kind: &str,
    max_tests: usize,
    ours: &mut Ours,
    deadline: Duration,
) -> Vec<String> {
    let t0 = Instant::now();
    let mut tests = 0usize;
    let mut still = |cand: &[String], tests: &mut usize| -> bool {
        if t0.elapsed() > deadline {
            *tests = usize::MAX / 2;
            return false;
        }
        let Ok((s, _)) = subject_of(g.prog_type, g.unpriv, &g.maps, cand) else {
            return false;
        };
        match compare(&s, ours) {
            Ok(o) => o.kind.as_deref() == Some(kind),
            Err(_) => false,
        }
    };
    let mut body = crate::shrink::drop_lines(g.body.clone(), max_tests, &mut tests, &mut still);
    // Simplify what is left: constants to 0 or 1, where that keeps the disagreement.
    let mut i = 0;
    while i < body.len() && tests < max_tests {
        for repl in ["0"] {
            if let Some(c) = simpler_constant(&body[i], repl) {
                let mut cand = body.clone();
                cand[i] = c;
                tests += 1;
                if still(&cand, &mut tests) {
                    body = cand;
                    break;
                }
            }
        }
        i += 1;
    }
    body
}

/// `rX = 12345` -> `rX = REPL` (only plain register moves of a decimal constant).
fn simpler_constant(line: &str, repl: &str) -> Option<String> {
    let (lhs, rhs) = line.split_once(" = ")?;
    if !(lhs.starts_with('r') || lhs.starts_with('w')) || lhs.len() > 3 || lhs.contains('*') {
        return None;
    }
    let v = rhs.trim();
    if v == repl || v.parse::<i64>().is_err() {
        return None;
    }
    Some(format!("{lhs} = {repl}"))
}

/// A file-name-friendly slug of a disagreement kind.
pub fn slug(kind: &str) -> String {
    let mut s = String::new();
    let head = if kind.starts_with("verdict: kernel accepts") {
        "kacc"
    } else if kind.starts_with("verdict") {
        "krej"
    } else if kind.starts_with("message (numbers") {
        "num"
    } else if kind.starts_with("message") {
        "msg"
    } else {
        "count"
    };
    s.push_str(head);
    // The kernel's message words (or bpfplay's where the kernel accepted).
    let body = kind.split('`').nth(1).unwrap_or("");
    let words: Vec<String> = body
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "N")
        .take(5)
        .map(|w| w.to_ascii_lowercase())
        .collect();
    for w in words {
        s.push('_');
        s.push_str(&w);
    }
    if kind.starts_with("processed") {
        s.push_str(if kind.contains("accepted") { "_acc" } else { "_rej" });
        s.push_str(if kind.ends_with("more") { "_more" } else { "_fewer" });
    }
    s
}

/// Writes a minimised disagreement as a corpus case (`NAME.s`, `.expected`, `.kernel.log`)
/// in `dir`, asking the kernel again at log level 2. Never overwrites: returns the existing
/// path if a case of that name is there. The name ends in `_ok` exactly when the kernel
/// accepts.
pub fn write_repro(
    dir: &Path,
    g: &Generated,
    body: &[String],
    kind: &str,
    ours: &mut Ours,
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (_, plain) = subject_of(g.prog_type, g.unpriv, &g.maps, body)?;
    let used: Vec<MapSpec> = g
        .maps
        .iter()
        .filter(|m| body.iter().any(|l| l.contains(&format!("[{}]", m.name))))
        .cloned()
        .collect();
    let mode = if g.unpriv { "unpriv" } else { "priv" };
    // Level 2 as the corpus does, unless that log is too large to keep; then 1, then 0.
    let mut probe = Case::parse("fuzz", Path::new("fuzz.s"), &plain)?;
    let mut answer = ask_kernel(&probe);
    for level in [1, 0] {
        match &answer {
            Err(e) if e.contains("verifier log is") => {
                let src =
                    plain.replacen("// run: no\n", &format!("// run: no\n// log: {level}\n"), 1);
                probe = Case::parse("fuzz", Path::new("fuzz.s"), &src)?;
                answer = ask_kernel(&probe);
            }
            _ => break,
        }
    }
    let (exp, log) = answer?;
    let ours = ours.answer(&Subject::from_case(&probe), probe.log_level).0;
    let what = format!(
        "verifier_diff seed {} ({mode}): {} | bpfplay: {}",
        g.seed,
        kind.replace('\n', " "),
        ours.summary()
    );
    let mut src = source_text(g.prog_type, g.unpriv, &used, body, &what);
    if probe.log_level < 2 {
        src =
            src.replacen("// run: no\n", &format!("// run: no\n// log: {}\n", probe.log_level), 1);
    }
    let name = format!(
        "fuzz_{}_{}{}_{}{}",
        g.prog_type.name(),
        if g.unpriv { "u_" } else { "" },
        slug(kind),
        g.seed,
        if exp.accepted { "_ok" } else { "" }
    );
    let path = dir.join(format!("{name}.s"));
    if path.exists() {
        return Ok(path);
    }
    let case = Case::parse(&name, &path, &src)?;
    std::fs::write(&path, &src).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(case.expected_path(), exp.to_text()).map_err(|e| e.to_string())?;
    std::fs::write(case.log_path(), log).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Agreement counts of one group of programs.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub total: usize,
    pub kernel_accepted: usize,
    pub verdict: usize,
    pub message: usize,
    pub processed: usize,
    pub processed_total: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Outcome) {
        self.total += 1;
        self.kernel_accepted += o.kernel.accepted as usize;
        self.verdict += o.agreement.verdict as usize;
        self.message += o.agreement.message as usize;
        if let Some(p) = o.agreement.processed {
            self.processed_total += 1;
            self.processed += p as usize;
        }
    }
    pub fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }
    pub fn verdict_pct(&self) -> f64 {
        Self::pct(self.verdict, self.total)
    }
    pub fn message_pct(&self) -> f64 {
        Self::pct(self.message, self.total)
    }
    pub fn processed_pct(&self) -> f64 {
        Self::pct(self.processed, self.processed_total)
    }
    pub fn line(&self) -> String {
        format!(
            "{:5} programs, kernel accepts {:5.1}%; verdict {:5.1}%, first message {:5.1}%, processed {:5.1}%",
            self.total,
            Self::pct(self.kernel_accepted, self.total),
            self.verdict_pct(),
            self.message_pct(),
            self.processed_pct()
        )
    }
}

/// A disagreement kind seen in a batch.
#[derive(Clone, Debug, Default)]
pub struct KindStats {
    pub count: usize,
    pub seeds: Vec<u64>,
    pub example: String,
    pub repro: Option<PathBuf>,
}

/// The result of a batch.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub all: Counts,
    pub by_type: BTreeMap<String, Counts>,
    pub by_tag: BTreeMap<String, Counts>,
    pub kinds: BTreeMap<String, KindStats>,
    pub errors: Vec<String>,
    pub slowest: (Duration, u64),
    /// Every program that disagreed in some way, by seed.
    pub disagreeing: Vec<(u64, Outcome)>,
}

impl Batch {
    /// Kinds by decreasing frequency.
    pub fn kinds_by_count(&self) -> Vec<(&String, &KindStats)> {
        let mut v: Vec<_> = self.kinds.iter().collect();
        v.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        v
    }

    pub fn report(&self, title: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "== {title}");
        let _ = writeln!(s, "all        {}", self.all.line());
        for (t, c) in &self.by_type {
            let _ = writeln!(s, "{:10} {}", t, c.line());
        }
        let _ = writeln!(s, "-- by feature (programs using it)");
        for (t, c) in &self.by_tag {
            let _ = writeln!(s, "{:14} {}", t, c.line());
        }
        let _ = writeln!(
            s,
            "-- {} disagreement kinds (count, first seeds, reproducer)",
            self.kinds.len()
        );
        for (k, st) in self.kinds_by_count() {
            let seeds: Vec<String> = st.seeds.iter().take(5).map(|x| x.to_string()).collect();
            let _ = writeln!(
                s,
                "{:5}  {k}\n       seeds {}{}",
                st.count,
                seeds.join(" "),
                st.repro.as_ref().map(|p| format!("\n       {}", p.display())).unwrap_or_default()
            );
            let _ = writeln!(s, "       e.g. {}", st.example);
        }
        if !self.errors.is_empty() {
            let _ = writeln!(
                s,
                "-- {} programs could not be compared, e.g. {}",
                self.errors.len(),
                self.errors[0]
            );
        }
        let _ = writeln!(
            s,
            "slowest bpfplay verification: {:?} (seed {})",
            self.slowest.0, self.slowest.1
        );
        s
    }
}

/// Options of a batch.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    pub seed: u64,
    pub count: u64,
    pub cfg: GenConfig,
    /// Where to write reproducers (`None`: do not minimise or write).
    pub out: Option<PathBuf>,
    /// Reproducers written per kind.
    pub repros_per_kind: usize,
    /// Trial loads allowed per minimisation.
    pub max_tests: usize,
    /// Print each disagreement as it is found.
    pub verbose: bool,
    /// Print progress to stderr every 100 programs.
    pub progress: bool,
    /// `Some(exe)`: verify in `exe --worker` child processes with `timeout`.
    pub worker: Option<PathBuf>,
    pub timeout: Duration,
    /// Wall-clock limit of one minimisation.
    pub minimise_for: Duration,
}

/// Generates and compares `count` programs from seeds `seed..seed+count`.
pub fn run_batch(o: &BatchOptions) -> Batch {
    let mut b = Batch::default();
    let mut ours = match &o.worker {
        Some(exe) => Ours::worker(exe.clone(), o.timeout),
        None => Ours::in_process(),
    };
    for seed in o.seed..o.seed + o.count {
        let g = generate(seed, &o.cfg);
        let (s, _) = match subject_of(g.prog_type, g.unpriv, &g.maps, &g.body) {
            Ok(x) => x,
            Err(e) => {
                b.errors.push(format!("seed {seed}: {e}"));
                continue;
            }
        };
        let out = match compare(&s, &mut ours) {
            Ok(x) => x,
            Err(e) => {
                b.errors.push(format!("seed {seed}: {e}"));
                continue;
            }
        };
        if o.progress && (seed - o.seed + 1).is_multiple_of(100) {
            eprintln!(
                "[{} programs, verdict {:.1}%, {} kinds]",
                seed - o.seed + 1,
                b.all.verdict_pct(),
                b.kinds.len()
            );
        }
        if out.ours_time > Duration::from_secs(2) {
            eprintln!("seed {seed}: bpfplay took {:?}", out.ours_time);
        }
        if out.ours_time > b.slowest.0 {
            b.slowest = (out.ours_time, seed);
        }
        b.all.add(&out);
        b.by_type.entry(g.prog_type.name().to_string()).or_default().add(&out);
        for t in &g.tags {
            b.by_tag.entry(t.to_string()).or_default().add(&out);
        }
        let Some(kind) = out.kind.clone() else {
            continue;
        };
        b.disagreeing.push((seed, out.clone()));
        if o.verbose {
            println!(
                "seed {seed}: {kind}\n  kernel {}\n  ours   {}",
                out.kernel.summary(),
                out.ours.summary()
            );
        }
        let st = b.kinds.entry(kind.clone()).or_default();
        st.count += 1;
        st.seeds.push(seed);
        if st.example.is_empty() {
            st.example =
                format!("kernel {} / bpfplay {}", out.kernel.summary(), out.ours.summary());
        }
        let want = st.seeds.len() <= o.repros_per_kind;
        if let (Some(dir), true) = (&o.out, want) {
            let body = minimise(&g, &kind, o.max_tests, &mut ours, o.minimise_for);
            match write_repro(dir, &g, &body, &kind, &mut ours) {
                Ok(p) => {
                    if o.verbose {
                        println!("  -> {} ({} lines)", p.display(), body.len());
                    }
                    let st = b.kinds.get_mut(&kind).unwrap();
                    st.repro.get_or_insert(p);
                }
                Err(e) => b.errors.push(format!("seed {seed}: writing reproducer: {e}")),
            }
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_slugs() {
        assert_eq!(
            normalise("invalid access to map value, value_size=8 off=12 size=4"),
            "invalid access to map value, value_size=N off=N size=N"
        );
        assert_eq!(normalise("R1 type=0x10 expected"), "RN type=N expected");
        let k = Answer {
            accepted: false,
            errno: 13,
            message: Some("R0 !read_ok".into()),
            processed: Some(3),
        };
        let o = Answer { accepted: true, errno: 0, message: None, processed: Some(3) };
        let kind = disagreement_kind(&k, &o).unwrap();
        assert_eq!(kind, "verdict: kernel rejects `RN !read_ok`, bpfplay accepts");
        assert_eq!(slug(&kind), "krej_rn_read_ok");
        assert_eq!(disagreement_kind(&k, &k), None);
        let o2 = Answer { processed: Some(4), ..k.clone() };
        assert_eq!(slug(&disagreement_kind(&k, &o2).unwrap()), "count_rn_read_ok_rej_more");
        assert_eq!(simpler_constant("r3 = 12345", "0").as_deref(), Some("r3 = 0"));
        assert_eq!(simpler_constant("*(u32 *)(r10 -4) = 5", "0"), None);
    }
}
