//! `bpfplay verify [--type TYPE] [--prog NAME] [--unpriv] [--log-level N] [--json] [--trace] [--map SPEC]... FILE`
//!
//! FILE is `.bin`, `.s` or a clang-compiled `.o` (whose section names give the type; `--prog`
//! picks one of several programs).`
//!
//! Prints the verifier log, then one JSON object on the last line:
//! `{"accepted", "error": null | {"insn", "message"}, "processed_insns", "log"}`.
//! Exit 0 accepted, 1 rejected, 2 unusable input.

use crate::program_args::{load, parse_map_spec, parse_type, Want};
use crate::Unusable;
use bpfplay_core::verifier::{log::reg_state, verify, Options};
use serde_json::{json, Value};
use std::process::ExitCode;

const USAGE: &str = "usage: bpfplay verify --type TYPE [--unpriv] [--log-level N] [--json] [--trace] [--map SPEC]... FILE.s|FILE.bin\n       bpfplay verify [--type TYPE] [--prog NAME] [--unpriv] [--log-level N] [--json] [--trace] FILE.o";

pub fn verify_cmd(args: &[String]) -> Result<ExitCode, Unusable> {
    let (mut ty, mut unpriv, mut level, mut json_out, mut trace, mut maps, mut file) =
        (None, false, 1u32, false, false, Vec::new(), None);
    let mut prog: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| {
            it.next().cloned().ok_or_else(|| Unusable(format!("{name} needs a value\n{USAGE}")))
        };
        match a.as_str() {
            "--type" => ty = Some(parse_type(&val("--type")?)?),
            "--prog" => prog = Some(val("--prog")?),
            "--unpriv" => unpriv = true,
            "--log-level" => {
                level = val("--log-level")?
                    .parse()
                    .ok()
                    .filter(|l| *l <= 2)
                    .ok_or_else(|| Unusable("--log-level is 0, 1 or 2".into()))?
            }
            "--json" => json_out = true,
            "--trace" => trace = true,
            "--map" => maps.push(parse_map_spec(&val("--map")?)?),
            s if s.starts_with('-') => {
                return Err(Unusable(format!("verify: unknown option `{s}`\n{USAGE}")))
            }
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(Unusable(format!("verify: unexpected argument `{s}`\n{USAGE}"))),
        }
    }
    let file = file.ok_or_else(|| Unusable(format!("verify: which file?\n{USAGE}")))?;
    let p = load(&file, &Want { prog_type: ty, prog: prog.as_deref(), maps: &maps })?;
    let ty = p.prog_type;
    let v = verify(&p.raw, &p.maps, &Options { prog_type: ty, unpriv, log_level: level, trace });
    if !json_out {
        out!("{}", v.log);
    }
    if trace {
        let steps: Vec<Value> = v
            .trace
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
