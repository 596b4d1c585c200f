use crate::dom;
use crate::services::verify::{self, Settings, SourceProblem};
use crate::state::{Model, Msg};
use crate::worker::{self, VerifyWorker};
use bpfplay_core::Loaded;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A verification in the worker: its id, the program, how it is loaded, and its source.
type Job = (u32, Rc<Loaded>, Settings, Rc<str>);

/// Verifies in a Web Worker each time the model asks (`verify_gen`), so a long walk never
/// freezes the page; the worker reports progress and sends back the verdict with its trace.
/// Without a worker (it could not start) the page verifies on its own thread. Returns the
/// cancel action: it stops the worker and tells the model.
#[hook]
pub fn use_verifier(model: &UseReducerHandle<Model>) -> Callback<()> {
    let inflight: Rc<RefCell<Option<Job>>> = use_mut_ref(|| None);
    let next_id = use_mut_ref(|| 0u32);
    let worker = {
        let dispatch = model.dispatcher();
        let inflight = inflight.clone();
        let progress_dispatch = model.dispatcher();
        use_memo((), move |_| {
            VerifyWorker::new(
                move |id, result| {
                    let job = inflight.borrow_mut().take_if(|j| j.0 == id);
                    let Some((_, p, settings, src)) = job else {
                        return;
                    };
                    dispatch.dispatch(match worker::reply_from(result) {
                        Ok(worker::Reply::Verdict(v)) => {
                            Msg::Verified(Rc::new(verify::finish(&p, settings, *v)), src)
                        }
                        Ok(worker::Reply::Problem(e)) => Msg::Problem(e),
                        Err(e) => Msg::Problem(SourceProblem {
                            line: 1,
                            message: format!("the worker's answer could not be read: {e}"),
                        }),
                    })
                },
                move |id, n| progress_dispatch.dispatch(Msg::Progress(id, n)),
            )
        })
    };
    {
        let dispatch = model.dispatcher();
        let (src, settings) = (model.source.clone(), model.settings);
        let (worker, inflight) = (worker.clone(), inflight.clone());
        use_effect_with(model.verify_gen, move |&gen| {
            if gen == 0 {
                return;
            }
            let p = match verify::prepare(&src) {
                Err(e) => return dispatch.dispatch(Msg::Problem(e)),
                Ok(p) => p,
            };
            let posted = (*worker).as_ref().is_some_and(|w| {
                // A verification still running would hold up this one: stop it.
                if inflight.borrow_mut().take().is_some() {
                    w.cancel();
                }
                let id = {
                    let mut n = next_id.borrow_mut();
                    *n += 1;
                    *n
                };
                *inflight.borrow_mut() = Some((id, p.clone(), settings, src.clone()));
                let ok = w.post(id, &src, settings);
                if ok {
                    dispatch.dispatch(Msg::Busy(id, dom::now()));
                }
                ok
            });
            if !posted {
                let c = verify::check(&p, settings);
                dispatch.dispatch(Msg::Verified(Rc::new(c), src));
            }
        });
    }
    let dispatch = model.dispatcher();
    Callback::from(move |()| {
        inflight.borrow_mut().take();
        if let Some(w) = (*worker).as_ref() {
            w.cancel();
        }
        dispatch.dispatch(Msg::Cancel)
    })
}
