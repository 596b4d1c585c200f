//! `bpfplay verify [--type TYPE] [--prog NAME] [--unpriv] [--log-level N] [--json] [--trace] [--map SPEC]... FILE`
//!
//! FILE is `.bin`, `.s` or a clang-compiled `.o` (whose section names give the type; `--prog`
//! picks one of several programs).`
//!
//! Prints the verifier log, then one JSON object on the last line:
//! `{"accepted", "error": null | {"insn", "message"}, "processed_insns", "log"}`.
//! Exit 0 accepted, 1 rejected, 2 unusable input.

use crate::program_args::{load, ProgramArgs};
use crate::Unusable;
use bpfplay_core::verifier::{log::reg_state, verify, Options};
use serde_json::{json, Value};
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
        let steps: Vec<Value> = v
            .steps
            .iter()
            .map(|s| {
                let regs: Vec<Value> = s
                    .frame
                    .regs
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.typ != bpfplay_core::verifier::reg::RegType::NotInit)
                    .map(|(i, r)| {
                        let mut t = String::new();
                        reg_state(&mut t, r, s.frame.frameno, &p.maps);
                        json!({"reg": i, "type": r.type_name(), "state": t, "umin": r.umin, "umax": r.umax, "smin": r.smin, "smax": r.smax,
                               "var_off": {"value": r.var_off.value, "mask": r.var_off.mask}, "off": r.off, "id": r.id})
                    })
                    .collect();
                let stack: Vec<Value> = s
                    .frame
                    .stack
                    .iter()
                    .enumerate()
                    .filter(|(_, sl)| sl.types.iter().any(|t| *t != bpfplay_core::verifier::state::SlotType::Invalid))
                    .map(|(spi, sl)| json!({"off": -((spi as i64 + 1) * 8), "types": sl.types.iter().map(|t| t.ch()).collect::<String>()}))
                    .collect();
                json!({"insn": s.insn, "frame": s.frameno, "regs": regs, "stack": stack,
                       "pushed": s.pushed.map(|(a, b)| json!([a, b])), "popped": s.popped.map(|(a, b)| json!([a, b])), "pruned": s.pruned})
            })
            .collect();
        outln!("{}", json!({ "trace": steps }));
    }
    let error = v.error.as_ref().map(|e| json!({"insn": e.insn, "message": e.message}));
    outln!(
        "{}",
        json!({"accepted": v.accepted, "error": error, "processed_insns": v.processed, "log": v.log})
    );
    Ok(if v.accepted { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
