//! Verification off the page's thread: a module Web Worker (`static/verify-worker.js`) loads
//! this same wasm module and runs the verifier there, so a program that walks a million
//! instructions leaves the page responsive and can be cancelled (the worker is terminated).
//!
//! The worker sends the whole verification, trace included, as the core's serde data
//! ([`Reply`], postcard bytes): one Verify runs the verifier once.

use crate::services::verify::{self, Settings, SourceProblem};
use bpfplay_core::verifier::Verdict;
use bpfplay_core::ProgType;
use js_sys::{Object, Reflect};
use serde::{Deserialize, Serialize};
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

/// What the worker answers.
#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The source could not be loaded.
    Problem(SourceProblem),
    Verdict(Box<Verdict>),
}

/// Runs in the worker: loads and verifies `src`.
#[wasm_bindgen]
pub fn verify_in_worker(
    src: &str,
    prog_type: &str,
    unpriv: bool,
    log_level: u32,
    progress: Option<js_sys::Function>,
) -> JsValue {
    let settings = Settings {
        prog_type: ProgType::parse(prog_type).unwrap_or(ProgType::SocketFilter),
        unpriv,
        log_level,
    };
    let reply = match verify::prepare(src) {
        Err(e) => Reply::Problem(e),
        Ok(p) => Reply::Verdict(Box::new(verify::verdict(&p, settings, &mut |n| {
            if let Some(f) = &progress {
                let _ = f.call1(&JsValue::NULL, &(n as f64).into());
            }
        }))),
    };
    // The reply crosses as postcard bytes (a Uint8Array): building a JS object per register
    // of every step (serde-wasm-bindgen) took 1.7 s for a 1,000-step trace in Chromium.
    match postcard::to_allocvec(&reply) {
        Ok(bytes) => js_sys::Uint8Array::from(&bytes[..]).into(),
        Err(e) => JsValue::from_str(&e.to_string()),
    }
}

/// The worker's answer, read back on the page.
pub fn reply_from(v: JsValue) -> Result<Reply, String> {
    if let Some(s) = v.as_string() {
        return Err(s);
    }
    let bytes = v.dyn_into::<js_sys::Uint8Array>().map_err(|_| "not bytes".to_string())?.to_vec();
    postcard::from_bytes(&bytes).map_err(|e| e.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The worker's reply reads back as it was sent: verdict, log and the whole trace.
    #[test]
    fn a_traced_verdict_crosses_as_bytes() {
        let src =
            "r2 = *(u32 *)(r1 +0)\nif r2 > 3 goto a\nr0 = 1\nexit\na:\nr0 = *(u64 *)(r2 +0)\nexit";
        let p = verify::prepare(src).unwrap();
        let v = verify::verdict(&p, Settings::default(), &mut |_| {});
        assert!(!v.trace.steps.is_empty() && v.trace.initial.is_some());
        let bytes = postcard::to_allocvec(&Reply::Verdict(Box::new(v.clone()))).unwrap();
        match postcard::from_bytes::<Reply>(&bytes).unwrap() {
            Reply::Verdict(back) => assert_eq!(*back, v),
            Reply::Problem(p) => panic!("{p:?}"),
        }
    }
}
