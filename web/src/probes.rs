//! Exports that the page does not use: the browser tests call them on the page's own wasm
//! module to time the verifier and the interpreter as the page runs them (same module, same
//! build profile; BENCHMARKS.md has the figures).

use crate::services::verify::{self, Settings};
use bpfplay_core::run::default_world;
use bpfplay_core::run::{run_many, Input, RunPlan};
use bpfplay_core::ProgType;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn settings(prog_type: &str, unpriv: bool, log_level: u32) -> Settings {
    Settings {
        prog_type: ProgType::parse(prog_type).unwrap_or(ProgType::SocketFilter),
        unpriv,
        log_level,
    }
}

/// The verdict alone, without log or trace: `{accepted, processed, message}`.
#[wasm_bindgen]
pub fn verify_summary(src: &str, prog_type: &str, unpriv: bool, log_level: u32) -> JsValue {
    #[derive(Serialize)]
    struct Summary {
        accepted: bool,
        processed: u64,
        message: Option<String>,
    }
    let settings = settings(prog_type, unpriv, log_level);
    let summary = match verify::prepare(src) {
        Err(e) => Summary { accepted: false, processed: 0, message: Some(e.message) },
        Ok(p) => {
            let opts = bpfplay_core::verifier::Options { trace: false, ..settings.options() };
            let v = p.verify(&opts);
            Summary {
                accepted: v.accepted,
                processed: v.processed,
                message: v.error.map(|e| e.message),
            }
        }
    };
    serde_wasm_bindgen::to_value(&summary).unwrap_or(JsValue::NULL)
}

/// Runs `src` once in the interpreter through the core's run session, as the Run panel does
/// (the type's default input, fresh maps), with an instruction budget: `{r0, insns, error}`.
#[wasm_bindgen]
pub fn run_summary(src: &str, prog_type: &str, budget: f64) -> JsValue {
    #[derive(Serialize)]
    struct Summary {
        /// In decimal: a JS number cannot hold every u64.
        r0: String,
        insns: u64,
        error: Option<String>,
    }
    let t = settings(prog_type, false, 0).prog_type;
    let outcome = verify::prepare(src).map_err(|e| e.message).and_then(|p| {
        let mut store = p.map_store(1).map_err(|e| e.to_string())?;
        let plan = RunPlan { runs: 1, vary_length: false, budget: budget as u64 };
        run_many(&p.programs(), &mut store, t, &Input::default_for(t), &default_world(), &plan)
    });
    let summary = match outcome {
        Ok(o) => Summary {
            r0: o.last.r0.to_string(),
            insns: o.last.insns_executed,
            error: o.last.error.map(|e| e.to_string()),
        },
        Err(e) => Summary { r0: String::new(), insns: 0, error: Some(e) },
    };
    serde_wasm_bindgen::to_value(&summary).unwrap_or(JsValue::NULL)
}
