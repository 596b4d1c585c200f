//! Verification off the page's thread: a module Web Worker (`static/verify-worker.js`) loads
//! this same wasm module and runs the verifier there, so a program that walks a million
//! instructions leaves the page responsive and can be cancelled (the worker is terminated).
//!
//! The worker answers with the verdict without its trace ([`verify_summary`]); the page then
//! records the steps itself when the walk is short ([`crate::services::verify::TRACE_LIMIT`]),
//! which bounds the work done on the page's thread.

use crate::services::verify::{self, Settings};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::verifier::{Verdict, VerifyError};
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

fn set(o: &Object, k: &str, v: JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), &v);
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

/// Runs in the worker: verifies `src` and returns the verdict as a plain object (or
/// `{problem}` when the source does not assemble).
#[wasm_bindgen]
pub fn verify_summary(
    src: &str,
    prog_type: &str,
    unpriv: bool,
    log_level: u32,
    progress: Option<js_sys::Function>,
) -> JsValue {
    let o = Object::new();
    let settings = Settings {
        prog_type: ProgType::parse(prog_type).unwrap_or(ProgType::SocketFilter),
        unpriv,
        log_level,
    };
    let p = match verify::prepare(src) {
        Ok(p) => p,
        Err(e) => {
            set(&o, "problem", JsValue::from_str(&e.message));
            return o.into();
        }
    };
    let v = verify::summary(&p, settings, &mut |n| {
        if let Some(f) = &progress {
            let _ = f.call1(&JsValue::NULL, &(n as f64).into());
        }
    });
    set(&o, "accepted", v.accepted.into());
    set(&o, "processed", (v.processed as f64).into());
    set(&o, "log", JsValue::from_str(&v.log));
    set(&o, "maxStates", v.max_states_per_insn.into());
    set(&o, "totalStates", v.total_states.into());
    set(&o, "peakStates", v.peak_states.into());
    if let Some(e) = &v.error {
        set(&o, "message", JsValue::from_str(&e.message));
        set(&o, "errno", e.errno.into());
        set(&o, "insn", e.insn.map_or(JsValue::NULL, |i| (i as f64).into()));
    }
    o.into()
}

/// The verdict sent back by the worker.
pub fn verdict_from(v: &JsValue) -> Option<Verdict> {
    if !get(v, "problem").is_undefined() {
        return None;
    }
    let num = |k: &str| get(v, k).as_f64().unwrap_or(0.0);
    let error = get(v, "message").as_string().map(|message| VerifyError {
        insn: get(v, "insn").as_f64().map(|i| i as usize),
        message,
        errno: num("errno") as i32,
    });
    Some(Verdict {
        accepted: get(v, "accepted").as_bool().unwrap_or(false),
        error,
        processed: num("processed") as u64,
        max_states_per_insn: num("maxStates") as u32,
        total_states: num("totalStates") as u32,
        peak_states: num("peakStates") as u32,
        log: get(v, "log").as_string().unwrap_or_default(),
        steps: Vec::new(),
    })
}

/// The page's side: one worker, restarted on cancel.
pub struct VerifyWorker {
    worker: RefCell<Option<Worker>>,
    on_reply: Rc<dyn Fn(u32, JsValue)>,
    on_progress: Rc<dyn Fn(u32, u64)>,
    closure: RefCell<Option<OnMessage>>,
}

type OnMessage = Closure<dyn FnMut(MessageEvent)>;

/// Where boot.js found the app's module and its glue.
fn module_urls() -> Option<(String, String)> {
    let doc = web_sys::window()?.document()?;
    let tag = doc.query_selector("script[data-bindings][data-wasm]").ok()??;
    Some((tag.get_attribute("data-bindings")?, tag.get_attribute("data-wasm")?))
}

impl VerifyWorker {
    /// Starts the worker; `None` where workers are unavailable (the page then verifies on
    /// its own thread).
    pub fn new(
        on_reply: impl Fn(u32, JsValue) + 'static,
        on_progress: impl Fn(u32, u64) + 'static,
    ) -> Option<Rc<VerifyWorker>> {
        let w = Rc::new(VerifyWorker {
            worker: RefCell::new(None),
            on_reply: Rc::new(on_reply),
            on_progress: Rc::new(on_progress),
            closure: RefCell::new(None),
        });
        w.spawn().then_some(w)
    }

    fn spawn(&self) -> bool {
        let Some((bindings, wasm)) = module_urls() else {
            return false;
        };
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let Ok(worker) = Worker::new_with_options("verify-worker.js", &opts) else {
            return false;
        };
        let on_reply = self.on_reply.clone();
        let on_progress = self.on_progress.clone();
        let closure = OnMessage::new(move |e: MessageEvent| {
            let data = e.data();
            let Some(id) = get(&data, "id").as_f64() else {
                return;
            };
            match get(&data, "progress").as_f64() {
                Some(n) => on_progress(id as u32, n as u64),
                None => on_reply(id as u32, get(&data, "result")),
            }
        });
        worker.set_onmessage(Some(closure.as_ref().unchecked_ref()));
        let init = Object::new();
        set(&init, "init", true.into());
        set(&init, "bindings", JsValue::from_str(&bindings));
        set(&init, "wasm", JsValue::from_str(&wasm));
        if worker.post_message(&init).is_err() {
            return false;
        }
        *self.worker.borrow_mut() = Some(worker);
        *self.closure.borrow_mut() = Some(closure);
        true
    }

    pub fn post(&self, id: u32, src: &str, s: Settings) -> bool {
        let msg = Object::new();
        set(&msg, "id", id.into());
        set(&msg, "src", JsValue::from_str(src));
        set(&msg, "type", JsValue::from_str(s.prog_type.name()));
        set(&msg, "unpriv", s.unpriv.into());
        set(&msg, "log", s.log_level.into());
        self.worker.borrow().as_ref().is_some_and(|w| w.post_message(&msg).is_ok())
    }

    /// Stops the verification in progress (the worker is thrown away and a new one started).
    pub fn cancel(&self) {
        if let Some(w) = self.worker.borrow_mut().take() {
            w.terminate();
        }
        self.spawn();
    }
}
