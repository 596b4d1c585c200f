//! Source text to a verifier verdict: assemble, build the maps from the `map NAME: ...` header
//! lines, verify as Linux 6.18 would, and keep what the stepper needs.

use bpfplay_core::maps::MapDef;
use bpfplay_core::progtype::ProgType;
use bpfplay_core::verifier::{self, Options, Verdict};
use bpfplay_core::{assemble, AsmError, Assembled, RawInsn};

/// Walks longer than this many processed instructions are not recorded step by step: each
/// step keeps a copy of the frame (about a kilobyte), and a walk may go on for a million.
pub const TRACE_LIMIT: u64 = 20_000;

/// How to load the program: the choices above the editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub prog_type: ProgType,
    /// Without CAP_SYS_ADMIN and CAP_PERFMON (CAP_BPF kept).
    pub unpriv: bool,
    /// The log's level, 1 or 2.
    pub log_level: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { prog_type: ProgType::SocketFilter, unpriv: false, log_level: 2 }
    }
}

pub const PROG_TYPES: [(ProgType, &str); 4] = [
    (ProgType::SocketFilter, "Socket filter"),
    (ProgType::Xdp, "XDP"),
    (ProgType::Kprobe, "kprobe"),
    (ProgType::Tracepoint, "Tracepoint"),
];

/// Why a program could not be handed to the verifier: the source does not assemble, or its
/// maps are not right. `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceProblem {
    pub line: usize,
    pub message: String,
}

/// A program ready for the verifier (and the interpreter).
#[derive(Clone, Debug)]
pub struct Prepared {
    pub asm: Assembled,
    pub raw: Vec<RawInsn>,
    /// The maps in index order (the `imm` of the program's map references).
    pub maps: Vec<MapDef>,
    /// Each map's initial element 0 (`init=`, global data of C programs).
    pub init: Vec<Option<Vec<u8>>>,
}

/// Assembles `src` and builds its maps from the declarations.
pub fn prepare(src: &str) -> Result<Prepared, SourceProblem> {
    let asm = assemble(src).map_err(|e: AsmError| SourceProblem {
        line: e.line,
        message: format!("column {}: {}", e.col, e.message),
    })?;
    let mut maps = Vec::with_capacity(asm.maps.len());
    let mut init = Vec::with_capacity(asm.maps.len());
    for name in &asm.maps {
        let Some(decl) = asm.map_decls.iter().find(|d| &d.name == name) else {
            let line = first_mention(src, name);
            return Err(SourceProblem {
                line,
                message: format!(
                    "map `{name}` is not declared: add a line such as `map {name}: hash key=4 value=8 max=64`"
                ),
            });
        };
        let (def, value) = MapDef::parse_spec_init(&decl.name, &decl.spec).map_err(|e| {
            SourceProblem { line: decl.line, message: format!("map `{}`: {e}", decl.name) }
        })?;
        maps.push(def);
        init.push(value);
    }
    let raw = asm.program.to_raw();
    Ok(Prepared { asm, raw, maps, init })
}

fn first_mention(src: &str, name: &str) -> usize {
    let pat = format!("[{name}]");
    src.lines().position(|l| l.contains(&pat)).map(|i| i + 1).unwrap_or(1)
}

/// What the verifier said, with what the page needs around it.
#[derive(Debug)]
pub struct Checked {
    pub settings: Settings,
    pub verdict: Verdict,
    /// The source line of every instruction slot.
    pub lines: Vec<usize>,
    pub maps: Vec<MapDef>,
    /// The instruction the error concerns, if any (from the verdict, or named in the message
    /// of a check that runs before the walk, such as `unreachable insn 2`).
    pub error_insn: Option<usize>,
    /// Was every step recorded (see [`TRACE_LIMIT`])?
    pub traced: bool,
    /// For every step, the index of its instruction's line in the log (level 2 logs only).
    pub step_log_line: Vec<Option<usize>>,
}

/// Verifications are compared by identity: the page only needs to know that it has a new one.
impl PartialEq for Checked {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Checked {
    /// The 1-based source line of instruction `insn`.
    pub fn line_of(&self, insn: usize) -> Option<usize> {
        self.lines.get(insn).copied()
    }
    pub fn error_line(&self) -> Option<usize> {
        self.error_insn.and_then(|i| self.line_of(i))
    }
}

/// Verifies a prepared program; records the steps when the walk is short enough.
pub fn check(p: &Prepared, settings: Settings) -> Checked {
    let opts = |trace| Options {
        prog_type: settings.prog_type,
        unpriv: settings.unpriv,
        log_level: settings.log_level,
        trace,
    };
    // A first walk without the trace tells how long the walk is; short ones (nearly all) are
    // walked again with the trace, which costs little next to rendering.
    let quick = verifier::verify(&p.raw, &p.maps, &opts(false));
    let verdict = if quick.processed <= TRACE_LIMIT {
        verifier::verify(&p.raw, &p.maps, &opts(true))
    } else {
        quick
    };
    finish(p, settings, verdict)
}

/// The verdict without the trace (what the worker computes).
pub fn summary(p: &Prepared, settings: Settings, progress: &mut dyn FnMut(u64)) -> Verdict {
    let opts = Options {
        prog_type: settings.prog_type,
        unpriv: settings.unpriv,
        log_level: settings.log_level,
        trace: false,
    };
    verifier::verify_with_progress(&p.raw, &p.maps, &opts, progress)
}

/// The page's side after the worker's answer: the steps are recorded again here when the
/// walk is short enough, else the worker's verdict is used as it is.
pub fn complete(p: &Prepared, settings: Settings, worker_verdict: Verdict) -> Checked {
    if worker_verdict.processed <= TRACE_LIMIT {
        let opts = Options {
            prog_type: settings.prog_type,
            unpriv: settings.unpriv,
            log_level: settings.log_level,
            trace: true,
        };
        finish(p, settings, verifier::verify(&p.raw, &p.maps, &opts))
    } else {
        finish(p, settings, worker_verdict)
    }
}

/// Wraps a verdict (from [`check`] or a worker) for the page.
pub fn finish(p: &Prepared, settings: Settings, verdict: Verdict) -> Checked {
    let traced = !verdict.steps.is_empty() || verdict.processed == 0;
    let error_insn = verdict
        .error
        .as_ref()
        .and_then(|e| e.insn.or_else(|| insn_named_in(&e.message, p.raw.len())));
    let step_log_line = if settings.log_level >= 2 {
        log_lines_of_steps(&verdict)
    } else {
        vec![None; verdict.steps.len()]
    };
    Checked {
        settings,
        lines: p.asm.lines.clone(),
        maps: p.maps.clone(),
        error_insn,
        traced,
        step_log_line,
        verdict,
    }
}

/// `unreachable insn 2`, `jump out of range from insn 1 to 7`, `last insn is not an exit or
/// jmp`: the instruction a pre-walk check names.
fn insn_named_in(msg: &str, slots: usize) -> Option<usize> {
    if msg.starts_with("last insn") {
        return slots.checked_sub(1);
    }
    let rest = &msg[msg.find("insn ")? + 5..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok().filter(|&i: &usize| i < slots)
}

/// Matches the steps of a level-2 log with its lines: every processed instruction prints
/// `N: (op) ...` once, and a pruned path prints `N: safe` or `from A to N: safe`.
fn log_lines_of_steps(v: &Verdict) -> Vec<Option<usize>> {
    let lines: Vec<&str> = v.log.lines().collect();
    let mut out = Vec::with_capacity(v.steps.len());
    let mut at = 0;
    for step in &v.steps {
        let insn_prefix = format!("{}: (", step.insn);
        let safe_a = format!("{}: safe", step.insn);
        let safe_b = format!(" to {}: safe", step.insn);
        let found = lines[at..].iter().position(|l| {
            if step.pruned {
                *l == safe_a || (l.starts_with("from ") && l.ends_with(&safe_b))
            } else {
                l.starts_with(&insn_prefix)
            }
        });
        match found {
            Some(k) => {
                out.push(Some(at + k));
                at += k + 1;
            }
            None => out.push(None),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NULL_CHECK: &str = "\
map counts: hash key=4 value=8 max=64
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = map[counts] ll
call bpf_map_lookup_elem
r0 = *(u64 *)(r0 +0)
r0 = 0
exit
";

    #[test]
    fn rejection_has_message_line_and_steps() {
        let p = prepare(NULL_CHECK).unwrap();
        assert_eq!(p.maps[0].name, "counts");
        let c = check(&p, Settings::default());
        assert!(!c.verdict.accepted);
        let e = c.verdict.error.as_ref().unwrap();
        assert_eq!(e.message, "R0 invalid mem access 'map_value_or_null'");
        assert_eq!(c.error_line(), Some(7));
        assert!(c.traced);
        assert_eq!(c.verdict.steps.last().unwrap().insn, 6);
        // Every step is found in the level-2 log.
        assert!(c.step_log_line.iter().all(Option::is_some), "{}", c.verdict.log);
        let log: Vec<&str> = c.verdict.log.lines().collect();
        let last = c.step_log_line.last().unwrap().unwrap();
        assert!(log[last].starts_with("6: (79) r0 = *(u64 *)(r0 +0)"), "{}", log[last]);
    }

    #[test]
    fn undeclared_and_bad_maps_point_at_a_line() {
        let e = prepare("r0 = 0\nr1 = map[m] ll\nexit").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("not declared"), "{}", e.message);
        let e = prepare("map m: hash key=4 value=8\nr1 = map[m] ll\nr0 = 0\nexit").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("max"), "{}", e.message);
    }

    #[test]
    fn pre_walk_errors_name_their_instruction() {
        let p = prepare("r0 = 0\nexit\nr0 = 1\nexit").unwrap();
        let c = check(&p, Settings::default());
        assert_eq!(c.verdict.error.as_ref().unwrap().message, "unreachable insn 2");
        assert_eq!(c.error_line(), Some(3));
        let p = prepare("r0 = 0").unwrap();
        let c = check(&p, Settings::default());
        assert_eq!(c.error_line(), Some(1));
    }

    #[test]
    fn branches_and_prunes_are_in_the_log() {
        let src = "r2 = *(u32 *)(r1 +0)\nr2 &= 7\nr0 = 0\nr1 = 0\nloop:\nr0 += 1\nr1 += 1\nif r1 < r2 goto loop\nexit";
        let c = check(&prepare(src).unwrap(), Settings::default());
        assert!(c.verdict.accepted);
        assert!(c.verdict.steps.iter().any(|s| s.pushed.is_some()));
        assert!(c.step_log_line.iter().all(Option::is_some), "{}", c.verdict.log);
    }
}
