use crate::dom;
use crate::services::explain;
use crate::services::trace::{self, Nav, PathEvent};
use crate::services::verify::{Checked, SourceProblem};
use bpfplay_core::verifier::TRACE_LIMIT;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VerifierProps {
    /// While the worker verifies: when it started (ms) and the instructions processed.
    pub busy: Option<(f64, u64)>,
    pub cancelled: bool,
    pub problem: Option<SourceProblem>,
    /// The verification of the program in the editor, if it is current.
    pub checked: Option<Rc<Checked>>,
    /// There is a verification, but of an older program or other settings.
    pub stale: bool,
    pub step: usize,
    pub on_cancel: Callback<()>,
    pub on_nav: Callback<Nav>,
    /// Copy a link to this step.
    pub on_copy_link: Callback<()>,
}

/// The verdict, the stepper with its register, stack and path panels, and the log.
#[function_component]
pub fn VerifierPanel(p: &VerifierProps) -> Html {
    if let Some((started, progress)) = p.busy {
        return html! {
            <div class="verdict verdict-busy" id="verdict" role="status">
                <span class="spinner" aria-hidden="true"></span>
                <span class="busy-text">{"Verifying in the background… "}<Elapsed since={started} />
                    {" The kernel gives up after 1,000,000 processed instructions."}</span>
                <progress id="verify-progress" max="1000000" value={progress.min(1_000_000).to_string()}
                    aria-label="Instructions processed, of the 1,000,000 limit">
                </progress>
                <span id="verify-processed">{ format!("{} processed", group_thousands(progress)) }</span>
                <button type="button" class="action" id="cancel-verify" onclick={p.on_cancel.reform(|_| ())}>{"Cancel"}</button>
            </div>
        };
    }
    if p.cancelled && p.checked.is_none() {
        return html! {
            <div class="verdict verdict-none" id="verdict" role="status">
                <p>{"Verification cancelled. Press "}<strong>{"Verify"}</strong>{" to start again."}</p>
            </div>
        };
    }
    if let Some(pr) = &p.problem {
        return html! {
            <div class="verdict verdict-error" id="verdict" role="alert">
                <p class="verdict-title">{ format!("Cannot verify: line {}", pr.line) }</p>
                <p class="verdict-message">{ &pr.message }</p>
            </div>
        };
    }
    let Some(c) = p.checked.clone() else {
        return html! {
            <div class="verdict verdict-none" id="verdict">
                if p.stale {
                    <p>{"The program changed since it was verified. Press "}<strong>{"Verify"}</strong>{" (Ctrl+Enter) again."}</p>
                } else {
                    <p>{"Press "}<strong>{"Verify"}</strong>{" (Ctrl+Enter or ⌘+Enter) to check the program as the Linux 6.18 verifier would."}</p>
                }
            </div>
        };
    };
    html! {
        <div class="verifier">
            <Banner checked={c.clone()} />
            if c.traced && !c.verdict.trace.steps.is_empty() {
                <Stepper checked={c.clone()} step={p.step} on_nav={p.on_nav.clone()} on_copy_link={p.on_copy_link.clone()} />
            } else if !c.traced {
                <p class="note">{ format!("The walk processed {} instructions: too many to record step by step (the stepper records up to {}).", c.verdict.processed, TRACE_LIMIT) }</p>
            }
            <LogView checked={c.clone()} step={p.step} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CheckedProps {
    checked: Rc<Checked>,
}

#[function_component]
fn Banner(CheckedProps { checked: c }: &CheckedProps) -> Html {
    let v = &c.verdict;
    match &v.error {
        None => html! {
            <div class="verdict verdict-ok" id="verdict" role="status">
                <p class="verdict-title">{"Accepted"}</p>
                <p class="verdict-detail">{ format!("The verifier accepts the program: {} instructions processed.", v.processed) }</p>
            </div>
        },
        Some(e) => {
            let ex = explain::explain(&e.message);
            let line = c.error_line();
            // The kernel's error block: the first line, then what follows it in the log.
            html! {
                <div class="verdict verdict-error" id="verdict" role="alert">
                    <p class="verdict-title">
                        {"Rejected"}
                        if let Some(l) = line { <span class="verdict-where">{ format!(" · line {l}") }</span> }
                        <span class="verdict-where">{ format!(" · errno {}", errno_name(e.errno)) }</span>
                    </p>
                    <p class="verdict-message"><code id="verdict-message">{ &e.message }</code></p>
                    if let Some((what, hint)) = ex {
                        <div class="explain">
                            <p id="explanation"><strong>{"What it means: "}</strong>{ with_code(&what) }</p>
                            <p id="hint"><strong>{"How to fix it: "}</strong>{ with_code(&hint) }</p>
                        </div>
                    }
                </div>
            }
        }
    }
}

/// Text with `code` spans between backticks.
fn with_code(text: &str) -> Html {
    html! { for text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 { html! { <code>{ part }</code> } } else { html! { { part } } }
    }) }
}

fn errno_name(n: i32) -> String {
    let name = match n {
        1 => "EPERM",
        7 => "E2BIG",
        9 => "EBADF",
        13 => "EACCES",
        14 => "EFAULT",
        22 => "EINVAL",
        524 => "ENOTSUPP",
        _ => "",
    };
    if name.is_empty() {
        n.to_string()
    } else {
        format!("{name} ({n})")
    }
}

#[derive(Properties, PartialEq)]
struct StepperProps {
    checked: Rc<Checked>,
    step: usize,
    on_nav: Callback<Nav>,
    on_copy_link: Callback<()>,
}

#[function_component]
fn Stepper(p: &StepperProps) -> Html {
    let c = &p.checked;
    let steps = &c.verdict.trace.steps;
    let n = steps.len();
    let i = p.step.min(n - 1);
    let s = &steps[i];
    let line = c.line_of(s.insn);
    let on_slider = p.on_nav.reform(|e: InputEvent| {
        let el: HtmlInputElement = e.target_unchecked_into();
        Nav::To(el.value().parse().unwrap_or(0))
    });
    let err = trace::error_step(c);
    let next = trace::next_event(steps, i);
    let copied = use_state(|| false);
    let link = {
        let (copy, copied) = (p.on_copy_link.clone(), copied.clone());
        Callback::from(move |_| {
            copy.emit(());
            copied.set(true);
        })
    };
    let regs = trace::registers(c, i);
    let stack = trace::stack(c, i);
    let path = trace::path(c, i);
    let desc = trace::describe(c, i);
    html! {
        <section class="stepper" aria-label="Step through the verifier">
            <div class="step-controls">
                <button type="button" class="action" id="step-start" onclick={p.on_nav.reform(|_| Nav::To(0))} disabled={i == 0} title="First step (Home)">{"Start"}</button>
                <button type="button" class="action" id="step-back" onclick={p.on_nav.reform(|_| Nav::By(-1))} disabled={i == 0} title="Step back (←)" aria-label="Step back">{"◀"}</button>
                <button type="button" class="action" id="step-forward" onclick={p.on_nav.reform(|_| Nav::By(1))} disabled={i + 1 >= n} title="Step forward (→)" aria-label="Step forward">{"▶"}</button>
                <button type="button" class="action" id="step-next-branch" onclick={p.on_nav.reform(|_| Nav::NextEvent)} disabled={next.is_none()} title="Next branch or prune">{"Next branch"}</button>
                if err.is_some() {
                    <button type="button" class="action" id="step-error" onclick={p.on_nav.reform(|_| Nav::Error)} disabled={err == Some(i)} title="The step with the error (End)">{"To error"}</button>
                }
                <button type="button" class="link-button" id="step-link" onclick={link}>{ if *copied { "Link copied" } else { "Link to this step" } }</button>
            </div>
            <div class="step-slider">
                <input type="range" id="step-slider" min="0" max={(n - 1).to_string()} value={i.to_string()}
                    oninput={on_slider} aria-label="Step" />
                <span id="step-position" class="step-position">{ format!("step {} of {}", i + 1, n) }</span>
            </div>
            <p class="step-now" id="step-now">
                <span class="step-insn">{ format!("insn {}", s.insn) }</span>
                if let Some(l) = line { <span class="step-line">{ format!(" · line {l}") }</span> }
                if !desc.is_empty() { <span class="step-desc">{ format!(" · {desc}") }</span> }
            </p>
            <div class="state-panels">
                <table class="regs" id="registers" aria-label="Registers">
                    <thead><tr><th scope="col">{"Reg"}</th><th scope="col">{"Type"}</th><th scope="col">{"Value"}</th><th scope="col">{"tnum"}</th></tr></thead>
                    <tbody>
                        { for regs.iter().map(|r| html! {
                            <tr class={classes!(r.changed.then_some("changed"), (!r.init).then_some("uninit"))}
                                data-reg={r.name.clone()} title={r.kernel.clone()}>
                                <th scope="row">{ &r.name }</th>
                                <td class="reg-type">{ &r.ty }</td>
                                <td class="reg-value">{ &r.value }</td>
                                <td class="reg-tnum">{ &r.tnum }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <div class="side-state">
                    <table class="stack" id="stack" aria-label="Stack slots">
                        <thead><tr><th scope="col">{"Slot"}</th><th scope="col">{"Bytes"}</th><th scope="col">{"Holds"}</th></tr></thead>
                        <tbody>
                            if stack.is_empty() {
                                <tr><td colspan="3" class="empty-cell">{"nothing written yet"}</td></tr>
                            }
                            { for stack.iter().map(|s| html! {
                                <tr class={classes!(s.changed.then_some("changed"))}>
                                    <th scope="row">{ &s.offset }</th>
                                    <td class="slot-kinds" title={s.kinds_text.clone()}>{ &s.kinds }</td>
                                    <td>{ s.spilled.clone().unwrap_or_else(|| s.kinds_text.clone()) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <div class="path" id="path">
                        <h3>{"Path so far"}</h3>
                        if path.events.is_empty() {
                            <p class="muted">{"One straight path so far: no branch was queued."}</p>
                        }
                        <ol class="path-events">
                            { for path.events.iter().rev().take(12).map(|e| {
                                let (step, text) = event_text(e);
                                html! {
                                    <li><button type="button" class="link-button" onclick={p.on_nav.reform(move |_| Nav::To(step))}>{ format!("step {}", step + 1) }</button>{ format!(" {text}") }</li>
                                }
                            }) }
                        </ol>
                        <p class="pending" id="pending">
                            if path.pending.is_empty() {
                                {"No branches waiting."}
                            } else {
                                { format!("Waiting to be explored: {}", path.pending.iter().rev().map(|(f, t)| format!("{f} → {t}")).collect::<Vec<_>>().join(", ")) }
                            }
                        </p>
                    </div>
                </div>
            </div>
            <p class="legend">{"Changed this step: highlighted. Stack bytes: m data, 0 zero, r spilled register, ? not written (lowest address first). Hover a register for the kernel's notation."}</p>
        </section>
    }
}

fn event_text(e: &PathEvent) -> (usize, String) {
    match *e {
        PathEvent::Queued { step, from, to } => (step, format!("branch at {from}: {to} queued")),
        PathEvent::Resumed { step, from, to } => (step, format!("resumed {from} → {to}")),
        PathEvent::Pruned { step, insn } => (step, format!("pruned at {insn}")),
        PathEvent::Exited { step, insn } => (step, format!("path ended at exit ({insn})")),
    }
}

/// Most log lines put on the page.
const LOG_SHOWN: usize = 4000;

#[derive(Properties, PartialEq)]
struct LogProps {
    checked: Rc<Checked>,
    step: usize,
}

#[function_component]
fn LogView(p: &LogProps) -> Html {
    let c = &p.checked;
    let log = &c.verdict.log;
    let copied = use_state(|| false);
    let copy = {
        let log = log.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            dom::copy(&log);
            copied.set(true);
        })
    };
    let current = c.verdict.trace.steps.get(p.step).map(|s| s.insn);
    let exact = c.step_log_line.get(p.step).copied().flatten();
    let prefix = current.map(|i| format!("{i}: ("));
    let cur_ref = use_node_ref();
    let pre_ref = use_node_ref();
    {
        // Scroll the log (only the log) so that the current line shows.
        let (cur_ref, pre_ref) = (cur_ref.clone(), pre_ref.clone());
        use_effect_with((p.step, exact), move |_| {
            if let (Some(el), Some(pre)) =
                (cur_ref.cast::<web_sys::HtmlElement>(), pre_ref.cast::<web_sys::HtmlElement>())
            {
                let (top, h) = (el.offset_top(), el.offset_height());
                let (st, ch) = (pre.scroll_top(), pre.client_height());
                if top < st || top + h > st + ch {
                    pre.set_scroll_top((top - ch / 3).max(0));
                }
            }
        });
    }
    let mut first_mark = true;
    // A walk to the complexity limit logs a million lines: the page shows the start and the
    // end (where the error is); Copy copies all of it.
    let total = log.lines().count();
    let (head, tail) =
        if total > LOG_SHOWN { (LOG_SHOWN / 4, LOG_SHOWN - LOG_SHOWN / 4) } else { (total, 0) };
    html! {
        <section class="log" aria-labelledby="log-title">
            <div class="log-head">
                <h3 id="log-title">{ format!("Verifier log (level {})", c.settings.log_level) }</h3>
                <button type="button" class="link-button" id="copy-log" onclick={copy}>{ if *copied { "Copied" } else { "Copy" } }</button>
            </div>
            <pre class="log-text" id="log" tabindex="0" ref={pre_ref}>
                { for log.lines().enumerate().filter(|(k, _)| *k < head || *k >= total - tail).map(|(k, l)| {
                    let gap = (tail > 0 && k == total - tail).then(|| format!("… {} lines not shown (Copy copies the whole log) …\n", total - head - tail));
                    let mark = match exact {
                        Some(e) => e == k,
                        None => prefix.as_ref().is_some_and(|pf| l.starts_with(pf.as_str())),
                    };
                    let node = if mark && first_mark { first_mark = false; cur_ref.clone() } else { NodeRef::default() };
                    html! { <>
                        if let Some(g) = gap { <span class="log-gap">{ g }</span> }
                        <span ref={node} class={classes!("log-line", mark.then_some("log-current"))}>{ l }{"\n"}</span>
                    </> }
                }) }
            </pre>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ElapsedProps {
    since: f64,
}

/// Seconds since `since`, updated five times a second.
#[function_component]
fn Elapsed(p: &ElapsedProps) -> Html {
    let now = use_state(dom::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick =
                wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || now.set(dom::now()));
            let id = dom::window()
                .set_interval_with_callback_and_timeout_and_arguments_0(
                    wasm_bindgen::JsCast::unchecked_ref(tick.as_ref()),
                    200,
                )
                .unwrap_or(0);
            move || {
                dom::window().clear_interval_with_handle(id);
                drop(tick);
            }
        });
    }
    html! { <span id="elapsed">{ format!("{:.1} s", ((*now - p.since) / 1000.0).max(0.0)) }</span> }
}

/// 1234567 -> "1,234,567".
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::group_thousands(0), "0");
        assert_eq!(super::group_thousands(999), "999");
        assert_eq!(super::group_thousands(65536), "65,536");
        assert_eq!(super::group_thousands(1000001), "1,000,001");
    }
}
