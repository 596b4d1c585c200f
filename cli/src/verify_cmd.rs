//! `bpfplay verify [--type TYPE] [--prog NAME] [--unpriv] [--log-level N] [--json] [--trace] [--map SPEC]... FILE`
//!
//! FILE is `.bin`, `.s` or a clang-compiled `.o` (whose section names give the type; `--prog`
//! picks one of several programs).`
//!
//! Prints the verifier log, then one JSON object on the last line:
//! `{"accepted", "error": null | {"insn", "message"}, "log", "processed_insns"}`.
//! Exit 0 accepted, 1 rejected, 2 unusable input.

use crate::program_args::{load, ProgramArgs};
use crate::Unusable;
use bpfplay_core::verifier::Options;
use serde::Serialize;
use std::process::ExitCode;

/// `bpfplay verify [--type TYPE] [--prog NAME] [--unpriv] [--log-level N] [--json] [--trace]
/// [--map SPEC]... FILE`
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// Verify as for a loader without CAP_SYS_ADMIN and CAP_PERFMON (pointer leaks,
    /// uninitialised stack, back-edges refused)
    #[arg(long)]
    unpriv: bool,
    /// The verifier log's level, as the kernel's log_level: 0, 1 or 2 (every instruction's state)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=2), allow_hyphen_values = true)]
    log_level: u32,
    /// Print only the JSON verdict, not the log before it
    #[arg(long)]
    json: bool,
    /// Also print the structured walk (registers, stack slots, branches) as JSON
    #[arg(long)]
    trace: bool,
}

pub fn verify_cmd(args: VerifyArgs) -> Result<ExitCode, Unusable> {
    let VerifyArgs { program, unpriv, log_level: level, json: json_out, trace } = args;
    let p = load(&program.file, &program.want())?;
    let ty = p.prog_type;
    let v = p.loaded.verify(&Options { prog_type: ty, unpriv, log_level: level, trace });
    if !json_out {
        out!("{}", v.log);
    }
    if trace {
        // The core's own trace structure (initial state, steps with their log spans and
        // path events), as the page's stepper reads it.
        outln!("{}", json_line(&TraceJson { trace: &v.trace }));
    }
    let error = v.error.as_ref().map(|e| ErrorJson { insn: e.insn, message: &e.message });
    let verdict =
        VerdictJson { accepted: v.accepted, error, log: &v.log, processed_insns: v.processed };
    outln!("{}", json_line(&verdict));
    Ok(if v.accepted { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// One line of JSON. Serializing these structs cannot fail (string keys, no maps).
pub fn json_line(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("JSON of plain structs")
}

// The JSON objects `verify` prints. Fields are in alphabetical order, as `serde_json::json!`
// printed them (its map is sorted), so that the output is unchanged.

/// The last line: `{"accepted", "error", "log", "processed_insns"}`.
#[derive(Serialize)]
struct VerdictJson<'a> {
    accepted: bool,
    error: Option<ErrorJson<'a>>,
    log: &'a str,
    processed_insns: u64,
}

/// Where the verifier (or `run`'s interpreter) stopped: `{"insn", "message"}`.
#[derive(Serialize)]
pub struct ErrorJson<'a> {
    pub insn: Option<usize>,
    pub message: &'a str,
}

/// `--trace`: `{"trace": TRACE}`, printed before the verdict: the core's
/// [`bpfplay_core::verifier::Trace`] (initial state, steps with frame, log span and path
/// events, complete flag).
#[derive(Serialize)]
struct TraceJson<'a> {
    trace: &'a bpfplay_core::verifier::Trace,
}
