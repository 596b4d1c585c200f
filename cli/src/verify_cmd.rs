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
use bpfplay_core::maps::MapDef;
use bpfplay_core::verifier::reg::RegType;
use bpfplay_core::verifier::state::SlotType;
use bpfplay_core::verifier::{log::reg_state, verify, Options, Step};
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
    let v = verify(&p.raw, &p.maps, &Options { prog_type: ty, unpriv, log_level: level, trace });
    if !json_out {
        out!("{}", v.log);
    }
    if trace {
        let steps: Vec<StepJson> = v.steps.iter().map(|s| StepJson::new(s, &p.maps)).collect();
        outln!("{}", json_line(&TraceJson { trace: steps }));
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

/// `--trace`: `{"trace": [step...]}`, printed before the verdict.
#[derive(Serialize)]
struct TraceJson {
    trace: Vec<StepJson>,
}

/// One processed instruction: its frame's live registers and stack slots, the branch pushed
/// or popped, whether the state was pruned.
#[derive(Serialize)]
struct StepJson {
    frame: usize,
    insn: usize,
    popped: Option<(usize, usize)>,
    pruned: bool,
    pushed: Option<(usize, usize)>,
    regs: Vec<RegJson>,
    stack: Vec<SlotJson>,
}

#[derive(Serialize)]
struct RegJson {
    id: u32,
    off: i32,
    reg: usize,
    smax: i64,
    smin: i64,
    /// The kernel log's text for the register (`scalar(umin=1)`, `map_value(...)`).
    state: String,
    #[serde(rename = "type")]
    typ: &'static str,
    umax: u64,
    umin: u64,
    var_off: TnumJson,
}

#[derive(Serialize)]
struct TnumJson {
    mask: u64,
    value: u64,
}

/// A stack slot: its offset from r10 and its 8 byte types (the kernel log's characters).
#[derive(Serialize)]
struct SlotJson {
    off: i64,
    types: String,
}

impl StepJson {
    fn new(s: &Step, maps: &[MapDef]) -> StepJson {
        let regs = (s.frame.regs.iter().enumerate())
            .filter(|(_, r)| r.typ != RegType::NotInit)
            .map(|(i, r)| {
                let mut state = String::new();
                reg_state(&mut state, r, s.frame.frameno, maps);
                RegJson {
                    id: r.id,
                    off: r.off,
                    reg: i,
                    smax: r.smax,
                    smin: r.smin,
                    state,
                    typ: r.type_name(),
                    umax: r.umax,
                    umin: r.umin,
                    var_off: TnumJson { mask: r.var_off.mask, value: r.var_off.value },
                }
            })
            .collect();
        let stack = (s.frame.stack.iter().enumerate())
            .filter(|(_, sl)| sl.types.iter().any(|t| *t != SlotType::Invalid))
            .map(|(spi, sl)| SlotJson {
                off: -((spi as i64 + 1) * 8),
                types: sl.types.iter().map(|t| t.ch()).collect(),
            })
            .collect();
        StepJson {
            frame: s.frameno,
            insn: s.insn,
            popped: s.popped,
            pruned: s.pruned,
            pushed: s.pushed,
            regs,
            stack,
        }
    }
}
