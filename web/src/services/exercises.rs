//! Classroom exercises on verifier rules, bundled from `static/exercises/*.s`.
//!
//! An exercise is a (broken) program whose leading comment lines say what to do:
//!
//! ```text
//! // title: Check the lookup            shown in the list
//! // type: socket_filter                socket_filter, xdp, kprobe or tracepoint
//! // mode: unpriv                       optional (default priv)
//! // goal: Make the verifier accept ... shown above the editor
//! // check: accepted                    the verifier must accept the program
//! // check: returns 2                   a run on the exercise's input must give r0 = 2
//! // check: contains bpf_map_lookup     the source must still contain this text
//! // packet: 02 00 00 ...               the run's input frame (socket_filter, xdp)
//! // input: in.reg.di=0x10              any run-panel field, `name=value`
//! // hint: ...                          hints, revealed one at a time
//! ```
//!
//! An exercise is solved when every check passes; progress is kept in the browser's
//! localStorage. The file name (without `.s`) is the exercise's id, and the list is in file
//! name order.

use super::examples::{headers, EXERCISE_FILES};
use super::run;
use super::verify::{Checked, Settings};
use bpfplay_core::ProgType;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    Accepted,
    Returns(u64),
    Contains(String),
}

impl Check {
    pub fn describe(&self) -> String {
        match self {
            Check::Accepted => "the verifier accepts the program".into(),
            Check::Returns(n) => format!("a run on the exercise's input returns {n}"),
            Check::Contains(t) => format!("the program still uses `{t}`"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exercise {
    pub id: &'static str,
    pub title: String,
    pub settings: Settings,
    pub goal: String,
    pub checks: Vec<Check>,
    pub hints: Vec<String>,
    pub inputs: BTreeMap<String, String>,
    pub source: String,
}

pub fn parse(id: &'static str, source: &'static str) -> Result<Exercise, String> {
    let mut ex = Exercise {
        id,
        title: id.to_string(),
        settings: Settings::default(),
        goal: String::new(),
        checks: Vec::new(),
        hints: Vec::new(),
        inputs: BTreeMap::new(),
        source: body(source),
    };
    for (k, v) in headers(source) {
        match k {
            "title" => ex.title = v.into(),
            "type" => {
                ex.settings.prog_type = ProgType::parse(v).ok_or(format!("unknown type `{v}`"))?
            }
            "mode" => ex.settings.unpriv = v == "unpriv",
            "goal" => {
                if !ex.goal.is_empty() {
                    ex.goal.push(' ');
                }
                ex.goal.push_str(v);
            }
            "check" => ex.checks.push(match v.split_once(' ') {
                _ if v == "accepted" => Check::Accepted,
                Some(("returns", n)) => {
                    Check::Returns(n.trim().parse().map_err(|_| format!("bad check `{v}`"))?)
                }
                Some(("contains", t)) => Check::Contains(t.trim().into()),
                _ => return Err(format!("unknown check `{v}`")),
            }),
            "hint" => ex.hints.push(v.into()),
            "packet" => {
                ex.inputs.insert("in.packet".into(), v.into());
            }
            "input" => {
                let (name, value) = v.split_once('=').ok_or(format!("bad input `{v}`"))?;
                ex.inputs.insert(name.trim().into(), value.trim().into());
            }
            _ => {}
        }
    }
    if ex.checks.is_empty() {
        return Err("no `check:` line".into());
    }
    Ok(ex)
}

/// The program without its header lines (which hold the hints and the checks).
pub fn body(src: &str) -> String {
    let n = headers(src).len();
    let mut seen = 0;
    let mut out = Vec::new();
    for line in src.lines() {
        if seen < n {
            let t = line.trim();
            if t.starts_with("//") && t.contains(':') {
                seen += 1;
            }
            continue;
        }
        if out.is_empty() && line.trim().is_empty() {
            continue;
        }
        out.push(line);
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// Every exercise that parses, in file-name order.
/// Longest stored progress read (localStorage is the user's, and other scripts' on the same
/// origin, to change: untrusted).
pub const MAX_PROGRESS: usize = 16 * 1024;

/// The solved exercise ids in the stored progress (`id,id,...`): only ids of exercises that
/// exist, each once, in the stored order; anything else in the text is ignored.
pub fn parse_solved(stored: &str) -> Vec<String> {
    let mut cut = stored.len().min(MAX_PROGRESS);
    while !stored.is_char_boundary(cut) {
        cut -= 1;
    }
    let known: Vec<&str> = EXERCISE_FILES.iter().map(|(id, _)| *id).collect();
    let mut out: Vec<String> = Vec::new();
    for id in stored[..cut].split(',') {
        let id = id.trim();
        if known.contains(&id) && !out.iter().any(|s| s == id) {
            out.push(id.to_string());
        }
    }
    out
}

pub fn all() -> Vec<Exercise> {
    EXERCISE_FILES.iter().filter_map(|&(id, s)| parse(id, s).ok()).collect()
}

pub fn find(id: &str) -> Option<Exercise> {
    EXERCISE_FILES.iter().find(|(i, _)| *i == id).and_then(|&(i, s)| parse(i, s).ok())
}

/// The result of each check for `source` verified as `checked`.
pub fn results(ex: &Exercise, source: &str, checked: &Checked) -> Vec<bool> {
    ex.checks
        .iter()
        .map(|c| match c {
            Check::Accepted => checked.verdict.accepted,
            Check::Returns(n) => {
                checked.verdict.accepted && {
                    let st = run::run(
                        source,
                        ex.settings,
                        &ex.inputs,
                        Some(checked),
                        &run::RunState::default(),
                    );
                    st.last.as_ref().is_some_and(|o| o.last.error.is_none() && o.last.r0 == *n)
                }
            }
            Check::Contains(t) => source.contains(t.as_str()),
        })
        .collect()
}

/// Solved: every check passed (`results`), with the exercise's own program type and mode.
pub fn all_passed(ex: &Exercise, checked: &Checked, results: &[bool]) -> bool {
    same_load(checked.settings, ex.settings) && results.iter().all(|&b| b)
}

#[cfg(test)]
fn solved(ex: &Exercise, source: &str, checked: &Checked) -> bool {
    all_passed(ex, checked, &results(ex, source, checked))
}

/// The exercise's program type and mode (the log level does not matter).
fn same_load(a: Settings, b: Settings) -> bool {
    a.prog_type == b.prog_type && a.unpriv == b.unpriv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::verify::{check, prepare};

    fn verify(src: &str, s: Settings) -> Checked {
        check(&prepare(src).unwrap(), s)
    }

    #[test]
    fn every_exercise_parses_starts_unsolved_and_has_a_solution() {
        assert!(EXERCISE_FILES.len() >= 8, "{} exercises", EXERCISE_FILES.len());
        for &(id, src) in EXERCISE_FILES {
            let ex = parse(id, src).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(!ex.goal.is_empty() && !ex.hints.is_empty(), "{id}");
            assert!(
                !ex.source.contains("hint:") && !ex.source.starts_with('\n'),
                "{id}: {}",
                ex.source
            );
            let c = verify(&ex.source, ex.settings);
            assert!(!solved(&ex, &ex.source, &c), "{id} is solved as given");
            // Each file has a solution beside it for this test: `static/exercises/solutions/ID.s`.
            let path =
                format!("{}/../static/exercises/solutions/{id}.s", env!("CARGO_MANIFEST_DIR"));
            let sol =
                std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no solution {path}"));
            let c = verify(&sol, ex.settings);
            assert!(
                solved(&ex, &sol, &c),
                "{id}: the solution does not solve it: {:?}\n{}",
                results(&ex, &sol, &c),
                c.verdict.log
            );
        }
    }
}
