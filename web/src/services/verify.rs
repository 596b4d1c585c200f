//! Source text to a verifier verdict: load it with the core's loader, verify as Linux 6.18
//! would, and keep what the stepper needs.

use bpfplay_core::maps::MapDef;
use bpfplay_core::program::{self, LoadError, Loaded};
use bpfplay_core::verifier::{self, Options, Verdict};
use bpfplay_core::ProgType;
use std::rc::Rc;

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

impl Settings {
    /// The verifier's options, with the trace the stepper needs.
    pub fn options(self) -> Options {
        Options {
            prog_type: self.prog_type,
            unpriv: self.unpriv,
            log_level: self.log_level,
            trace: true,
        }
    }
}

/// Why a program could not be handed to the verifier: the source does not assemble, or its
/// maps are not right. `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceProblem {
    pub line: usize,
    pub message: String,
}

impl From<LoadError> for SourceProblem {
    fn from(e: LoadError) -> Self {
        let message = match e.col() {
            Some(c) => format!("column {c}: {}", e.message()),
            None => e.message(),
        };
        SourceProblem { line: e.line().unwrap_or(1), message }
    }
}

/// Loads `src` (assembly with `map` declarations) as the core does for every front end.
pub fn prepare(src: &str) -> Result<Rc<Loaded>, SourceProblem> {
    program::from_source(src, &[]).map(Rc::new).map_err(SourceProblem::from)
}

/// What the verifier said, with the program it was about.
#[derive(Debug)]
pub struct Checked {
    pub settings: Settings,
    pub verdict: Verdict,
    /// The program verified: its maps, source lines and C lines.
    pub program: Rc<Loaded>,
    /// Was every step recorded (see [`verifier::TRACE_LIMIT`])?
    pub traced: bool,
    /// For every step, the index of its instruction's line in the log, where the log holds it.
    pub step_log_line: Vec<Option<usize>>,
    /// The maps the trace's registers name: the program's, then the inner maps of its maps
    /// of maps ([`verifier::state_maps`]).
    pub state_maps: Vec<MapDef>,
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
        self.program.line_of(insn)
    }
    /// The instruction the error concerns, if any.
    pub fn error_insn(&self) -> Option<usize> {
        self.verdict.error.as_ref().and_then(|e| e.insn)
    }
    pub fn error_line(&self) -> Option<usize> {
        self.error_insn().and_then(|i| self.line_of(i))
    }
    /// The maps the trace's registers name (`RegState::map` indexes them).
    pub fn maps(&self) -> &[MapDef] {
        &self.state_maps
    }
}

/// Verifies a loaded program on this thread, with its trace.
pub fn check(p: &Rc<Loaded>, settings: Settings) -> Checked {
    finish(p, settings, p.verify(&settings.options()))
}

/// The verdict as the worker computes it: traced, but without the steps when the walk was
/// too long to record whole (the stepper only steps through complete traces).
pub fn verdict(p: &Loaded, settings: Settings, progress: &mut dyn FnMut(u64)) -> Verdict {
    let mut v = p.verify_with_progress(&settings.options(), progress);
    if !v.trace.complete {
        v.trace.steps = Vec::new();
    }
    v
}

/// Wraps a verdict (from [`check`] or the worker) for the page.
pub fn finish(p: &Rc<Loaded>, settings: Settings, verdict: Verdict) -> Checked {
    Checked {
        settings,
        program: p.clone(),
        traced: verdict.trace.complete,
        step_log_line: log_lines_of_steps(&verdict),
        state_maps: verifier::state_maps(&p.maps),
        verdict,
    }
}

/// The log line each step's span starts on.
fn log_lines_of_steps(v: &Verdict) -> Vec<Option<usize>> {
    let newlines: Vec<usize> =
        v.log.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
    v.trace
        .steps
        .iter()
        .map(|s| s.log.map(|sp| newlines.partition_point(|&n| n < sp.start)))
        .collect()
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
        assert_eq!(c.verdict.trace.steps.last().unwrap().insn, 6);
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
        assert!(c.verdict.trace.steps.iter().any(|s| s.pushed.is_some()));
        assert!(c.step_log_line.iter().all(Option::is_some), "{}", c.verdict.log);
    }
}
