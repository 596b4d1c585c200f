//! The page: all state lives in one [`Model`] changed by [`Msg`]s; the components only show
//! it and send messages.

use crate::components::c_source::CSourcePanel;
use crate::components::editor::{reveal, Editor, Marks};
use crate::components::gallery::Gallery;
use crate::components::header::Header;
use crate::components::help::Help;
use crate::components::output::OutputPanel;
use crate::components::run::RunPanel;
use crate::components::toolbar::Toolbar;
use crate::components::verifier::VerifierPanel;
use crate::dom;
use crate::hooks::use_assembly;
use crate::services::assembler::Outcome;
use crate::services::cobject::{self, LoadedRef, OpenObject};
use crate::services::examples::{self, Example, STARTER};
use crate::services::permalink::{self, State};
use crate::services::run::{self, RunState};
use crate::services::verify::{self, Checked, Settings, SourceProblem};
use crate::services::{exercises, trace};
use crate::worker::{self, VerifyWorker};
use bpfplay_core::program::Loaded;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Verifier,
    Bytecode,
    Run,
}

impl Tab {
    pub fn key(self) -> &'static str {
        match self {
            Tab::Verifier => "verifier",
            Tab::Bytecode => "bytecode",
            Tab::Run => "run",
        }
    }
    fn parse(s: &str) -> Tab {
        match s {
            "bytecode" => Tab::Bytecode,
            "run" => Tab::Run,
            _ => Tab::Verifier,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    Gallery,
    Exercises,
    Help,
}

/// Where the page was opened: the full playground or an embed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mode {
    pub embed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub source: Rc<str>,
    pub settings: Settings,
    /// The last verification, with the source and settings it was for.
    pub checked: Option<(Rc<Checked>, Rc<str>)>,
    /// The program could not be verified: its source or maps are wrong.
    pub problem: Option<SourceProblem>,
    pub step: usize,
    pub tab: Tab,
    pub overlay: Overlay,
    /// A permalink that could not be opened.
    pub link_error: Option<String>,
    pub inputs: BTreeMap<String, String>,
    pub run: RunState,
    /// The example or exercise loaded last.
    pub exercise: Option<String>,
    pub hints_shown: usize,
    /// Set while a verification runs in the worker: its id and when it started (ms).
    pub busy: Option<(u32, f64)>,
    /// Instructions the running verification has processed so far (from the worker).
    pub progress: u64,
    /// Counts the verifications asked for; the page starts one when it changes.
    pub verify_gen: u32,
    /// The step to show once the verification asked for is done (a permalink's).
    pub pending_step: Option<usize>,
    /// Run once the verification asked for is done.
    pub run_after: bool,
    /// The last verification was cancelled.
    pub cancelled: bool,
    /// The clang object the program came from (a C example or an opened `.o`).
    pub object: Option<LoadedRef>,
    /// An object that could not be opened.
    pub load_error: Option<String>,
}

impl Model {
    fn new(source: &str, settings: Settings) -> Model {
        Model {
            source: source.into(),
            settings,
            checked: None,
            problem: None,
            step: 0,
            tab: Tab::Verifier,
            overlay: Overlay::None,
            link_error: None,
            inputs: BTreeMap::new(),
            run: RunState::default(),
            exercise: None,
            hints_shown: 0,
            busy: None,
            progress: 0,
            verify_gen: 0,
            pending_step: None,
            run_after: false,
            cancelled: false,
            object: None,
            load_error: None,
        }
    }

    /// The verification, if it is still for the source and settings in the editor.
    pub fn current(&self) -> Option<&Rc<Checked>> {
        self.checked
            .as_ref()
            .filter(|(c, s)| *s == self.source && c.settings == self.settings)
            .map(|(c, _)| c)
    }

    pub fn stale(&self) -> bool {
        self.checked.is_some() && self.current().is_none()
    }

    pub fn steps(&self) -> usize {
        self.current().map_or(0, |c| c.verdict.trace.steps.len())
    }

    /// The state a permalink keeps.
    pub fn to_state(&self) -> State {
        State {
            source: self.source.to_string(),
            settings: self.settings,
            verified: self.current().is_some(),
            step: self.current().filter(|c| !c.verdict.trace.steps.is_empty()).map(|_| self.step),
            tab: if self.tab == Tab::Verifier { String::new() } else { self.tab.key().into() },
            inputs: self.inputs.clone(),
        }
    }

    fn from_state(st: State) -> Model {
        let mut m = Model::new(&st.source, st.settings);
        m.tab = Tab::parse(&st.tab);
        m.inputs = st.inputs;
        // Map entries set in the inspector travel in the link as a list of edits.
        if let Some(log) = m.inputs.get(MAP_EDITS).cloned() {
            m.run.replay_edits(&m.source, &log);
        }
        // A C example's link shows its C source again.
        if let Some(id) = m.inputs.get(C_EXAMPLE).cloned() {
            if let Ok(l) = cobject::load_example(&id) {
                m.object = Some(LoadedRef(Rc::new(l)));
            }
        }
        if st.verified {
            m.verify_gen += 1;
            m.pending_step = st.step;
        }
        m
    }

    /// Shows a program of a clang object: its assembly in the editor, its C beside it.
    fn load_object(&mut self, l: OpenObject) {
        let overlay = self.overlay;
        *self =
            Model::new(&l.source, Settings { prog_type: l.prog_type, unpriv: false, log_level: 2 });
        self.overlay = overlay;
        if let Some(id) = &l.example {
            self.inputs.insert(C_EXAMPLE.into(), id.clone());
        }
        self.object = Some(LoadedRef(Rc::new(l)));
        self.want_verify();
    }

    /// Asks for a verification (the page runs it in the worker).
    fn want_verify(&mut self) {
        self.verify_gen += 1;
        self.cancelled = false;
    }

    fn load_example(&mut self, ex: &Example) {
        let keep = (self.overlay, self.inputs.clone());
        *self = Model::new(
            ex.source,
            Settings { prog_type: ex.prog_type, unpriv: ex.unpriv, log_level: 2 },
        );
        self.overlay = keep.0;
        if ex.runs > 1 {
            // Accounting examples: many events, packets of different lengths.
            self.inputs.insert("in.runs".into(), ex.runs.to_string());
            self.inputs.insert("in.vary".into(), "1".into());
        }
    }
}

pub enum Msg {
    Edit(String),
    Settings(Settings),
    Verify,
    /// The worker started verification `id` at a time (ms).
    Busy(u32, f64),
    /// The worker's processed-instruction count for verification `id`.
    Progress(u32, u64),
    /// The source cannot be verified.
    Problem(SourceProblem),
    /// A verification is done, for this source.
    Verified(Rc<Checked>, Rc<str>),
    Cancel,
    Goto(usize),
    StepBy(i64),
    NextEvent,
    ToError,
    Tab(Tab),
    Overlay(Overlay),
    LoadExample(String),
    /// A C example of the gallery, by id.
    LoadCExample(String),
    /// A `.o` file the user opened: its name and bytes.
    OpenObject(String, Vec<u8>),
    /// Another program of the loaded object.
    PickProgram(String),
    /// A file could not be read.
    LoadFailed(String),
    LoadExercise(String),
    ShowHint,
    DismissLinkError,
    Input(String, String),
    Run,
    ResetMaps,
    MapEdit(run::MapEdit),
}

impl Reducible for Model {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut m = (*self).clone();
        match msg {
            Msg::Edit(s) => {
                m.source = s.into();
                m.link_error = None;
            }
            Msg::Settings(s) => m.settings = s,
            Msg::Verify => {
                m.want_verify();
                m.link_error = None;
                if m.tab == Tab::Bytecode {
                    m.tab = Tab::Verifier;
                }
            }
            Msg::Busy(id, t) => {
                m.busy = Some((id, t));
                m.progress = 0;
                m.problem = None;
            }
            Msg::Progress(id, n) => {
                if m.busy.is_some_and(|(b, _)| b == id) {
                    m.progress = n;
                }
            }
            Msg::Problem(p) => {
                m.problem = Some(p);
                m.checked = None;
                m.busy = None;
                m.run_after = false;
            }
            Msg::Verified(c, src) => {
                let n = c.verdict.trace.steps.len();
                m.step = match m.pending_step.take() {
                    Some(s) => s.min(n.saturating_sub(1)),
                    None => trace::error_step(&c).unwrap_or(0),
                };
                m.checked = Some((c, src));
                m.busy = None;
                m.problem = None;
                if std::mem::take(&mut m.run_after) {
                    m.tab = Tab::Run;
                    m.run = run::run(
                        &m.source,
                        m.settings,
                        &m.inputs,
                        m.current().map(|c| &**c),
                        &m.run,
                    );
                }
            }
            Msg::Cancel => {
                m.busy = None;
                m.run_after = false;
                m.pending_step = None;
                m.cancelled = true;
            }
            Msg::Goto(i) => m.step = i.min(m.steps().saturating_sub(1)),
            Msg::StepBy(d) => {
                let n = m.steps() as i64;
                m.step = (m.step as i64 + d).clamp(0, (n - 1).max(0)) as usize;
            }
            Msg::NextEvent => {
                if let Some(c) = m.current() {
                    if let Some(j) = trace::next_event(&c.verdict.trace.steps, m.step) {
                        m.step = j;
                    }
                }
            }
            Msg::ToError => {
                if let Some(j) = m.current().and_then(|c| trace::error_step(c)) {
                    m.step = j;
                }
            }
            Msg::Tab(t) => m.tab = t,
            Msg::Overlay(o) => m.overlay = o,
            Msg::LoadExample(id) => {
                if let Some(ex) = examples::find(&id) {
                    m.load_example(&ex);
                    m.overlay = Overlay::None;
                    m.want_verify();
                }
            }
            Msg::LoadCExample(id) => match cobject::load_example(&id) {
                Ok(l) => {
                    m.load_object(l);
                    m.overlay = Overlay::None;
                }
                Err(e) => m.load_error = Some(e),
            },
            Msg::OpenObject(name, bytes) => match cobject::open(&name, &bytes, None, None) {
                Ok(l) => {
                    m.load_object(l);
                    m.overlay = Overlay::None;
                }
                Err(e) => m.load_error = Some(e),
            },
            Msg::LoadFailed(e) => m.load_error = Some(e),
            Msg::PickProgram(p) => {
                if let Some(cur) = m.object.clone() {
                    match cobject::with_program(&cur.0, &p) {
                        Ok(l) => m.load_object(l),
                        Err(e) => m.load_error = Some(e),
                    }
                }
            }
            Msg::LoadExercise(id) => {
                if let Some(ex) = exercises::find(&id) {
                    let mut n = Model::new(&ex.source, ex.settings);
                    n.inputs = ex.inputs.clone();
                    n.exercise = Some(ex.id.to_string());
                    m = n;
                }
            }
            Msg::ShowHint => m.hints_shown += 1,
            Msg::DismissLinkError => {
                m.link_error = None;
                m.load_error = None;
            }
            Msg::Input(k, v) => {
                if v.is_empty() {
                    m.inputs.remove(&k);
                } else {
                    m.inputs.insert(k, v);
                }
            }
            Msg::Run => {
                m.tab = Tab::Run;
                if m.current().is_none() {
                    m.run_after = true;
                    m.want_verify();
                } else {
                    m.run = run::run(
                        &m.source,
                        m.settings,
                        &m.inputs,
                        m.current().map(|c| &**c),
                        &m.run,
                    );
                }
            }
            Msg::ResetMaps => {
                m.run = RunState::default();
                m.inputs.remove(MAP_EDITS);
            }
            Msg::MapEdit(e) => {
                m.run.edit(&m.source, e.clone());
                if m.run.edit_error.is_none() {
                    let clean = |t: &str| t.replace(['\t', '\n'], " ");
                    let line = format!(
                        "{}\t{}\t{}\t{}\n",
                        e.map,
                        clean(&e.key),
                        clean(e.value.as_deref().unwrap_or("")),
                        if e.value.is_some() { "s" } else { "d" }
                    );
                    m.inputs.entry(MAP_EDITS.into()).or_default().push_str(&line);
                }
            }
        }
        if let Some(id) = &m.exercise {
            if let (Some(ex), Some(c)) = (exercises::find(id), m.current()) {
                if exercises::solved(&ex, &m.source, c, m.run.last.as_ref()) {
                    dom::mark_solved(id);
                }
            }
        }
        Rc::new(m)
    }
}

/// The model a page opens with: from the fragment if it holds a permalink or names an
/// example, else the starter.
fn initial() -> Model {
    let hash = dom::fragment();
    if let Some(id) = hash.strip_prefix("example=") {
        if let Some(ex) = examples::find(id) {
            let mut m = Model::new("", Settings::default());
            m.load_example(&ex);
            m.want_verify();
            return m;
        }
    }
    if let Some(id) = hash.strip_prefix("c=") {
        if let Ok(l) = cobject::load_example(id) {
            let mut m = Model::new("", Settings::default());
            m.load_object(l);
            return m;
        }
    }
    if let Some(id) = hash.strip_prefix("exercise=") {
        if let Some(ex) = exercises::find(id) {
            let mut m = Model::new(&ex.source, ex.settings);
            m.inputs = ex.inputs.clone();
            m.exercise = Some(ex.id.to_string());
            return m;
        }
    }
    match permalink::decode(&hash) {
        Ok(Some(st)) => Model::from_state(st),
        Ok(None) => {
            let mut m = Model::new(STARTER, Settings::default());
            if !hash.is_empty() && hash != "exercises" && hash != "examples" {
                m.link_error = Some(format!(
                    "The link's fragment `#{}` means nothing to bpfplay.",
                    clip(&hash)
                ));
            }
            if hash == "examples" {
                m.overlay = Overlay::Gallery;
            }
            if hash == "exercises" {
                m.overlay = Overlay::Exercises;
            }
            m
        }
        Err(e) => {
            let mut m = Model::new(STARTER, Settings::default());
            m.link_error = Some(format!(
                "This link could not be opened: {}. The editor has the starter program instead.",
                e.0
            ));
            m
        }
    }
}

fn clip(s: &str) -> String {
    let mut c: String = s.chars().take(60).collect();
    if c.len() < s.len() {
        c.push('…');
    }
    c
}

/// The input that lists the map entries set in the inspector (for permalinks).
const MAP_EDITS: &str = "in.maps";
/// The input that names the C example shown (for permalinks).
const C_EXAMPLE: &str = "c.example";

/// A verification in the worker: its id, the program, how it is loaded, and its source.
type Job = (u32, Loaded, Settings, Rc<str>);

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub mode: Mode,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let model = use_reducer(initial);
    let embed = props.mode.embed;

    // Verification runs in a Web Worker, which sends back the verdict with its trace.
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
                    match worker::reply_from(result) {
                        Ok(worker::Reply::Verdict(v)) => dispatch.dispatch(Msg::Verified(
                            Rc::new(verify::finish(&p, settings, *v)),
                            src,
                        )),
                        Ok(worker::Reply::Problem(e)) => dispatch.dispatch(Msg::Problem(e)),
                        Err(e) => dispatch.dispatch(Msg::Problem(SourceProblem {
                            line: 1,
                            message: format!("the worker's answer could not be read: {e}"),
                        })),
                    }
                },
                move |id, n| progress_dispatch.dispatch(Msg::Progress(id, n)),
            )
        })
    };
    {
        let dispatch = model.dispatcher();
        let (src, settings) = (model.source.clone(), model.settings);
        let (worker, inflight, next_id) = (worker.clone(), inflight.clone(), next_id.clone());
        use_effect_with(model.verify_gen, move |&gen| {
            if gen > 0 {
                match verify::prepare(&src) {
                    Err(e) => dispatch.dispatch(Msg::Problem(e)),
                    Ok(p) => {
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
                    }
                }
            }
        });
    }
    let outcome = use_assembly(model.source.clone());
    let editor = use_node_ref();

    // Keyboard: Ctrl/Cmd+Enter verifies anywhere; arrows step when not typing; ? for help.
    {
        let dispatch = model.dispatcher();
        use_effect_with((), move |_| {
            let guard = dom::on_keydown(move |k| match k {
                dom::Key::Verify => dispatch.dispatch(Msg::Verify),
                dom::Key::Left => dispatch.dispatch(Msg::StepBy(-1)),
                dom::Key::Right => dispatch.dispatch(Msg::StepBy(1)),
                dom::Key::Home => dispatch.dispatch(Msg::Goto(0)),
                dom::Key::End => dispatch.dispatch(Msg::ToError),
                dom::Key::Help => dispatch.dispatch(Msg::Overlay(Overlay::Help)),
                dom::Key::Escape => dispatch.dispatch(Msg::Overlay(Overlay::None)),
            });
            move || drop(guard)
        });
    }
    // Marks the page interactive (for the load-time figure in BENCHMARKS.md).
    use_effect_with((), |_| dom::mark_ready());
    // The URL fragment follows the state, so the address bar is always a permalink.
    {
        let state = model.to_state();
        let ok = model.link_error.is_none();
        use_effect_with(state, move |st| {
            if ok {
                dom::set_fragment(&permalink::encode(st));
            }
        });
    }

    let cur = model.current().cloned();
    let marks = Marks {
        error_line: outcome
            .error_line()
            .or(model.problem.as_ref().map(|p| p.line))
            .or_else(|| cur.as_ref().and_then(|c| c.error_line())),
        error_message: match (&*outcome, &model.problem, &cur) {
            (Outcome::Error(e), _, _) => Some(e.error.message.clone()),
            (_, Some(p), _) => Some(p.message.clone()),
            (_, _, Some(c)) => c.verdict.error.as_ref().map(|e| e.message.clone()),
            _ => None,
        },
        current_line: cur
            .as_ref()
            .and_then(|c| c.verdict.trace.steps.get(model.step).and_then(|s| c.line_of(s.insn))),
    };
    // The C line of the stepper's instruction (the loader read the `; TEXT @ FILE:LINE`
    // comments).
    let c_current = model.object.as_ref().and_then(|o| {
        let c = o.0.c.as_ref()?;
        let cur = cur.as_ref()?;
        let (file, line) = cur.c_line_of(cur.verdict.trace.steps.get(model.step)?.insn)?;
        (file == c.file).then_some(line as usize)
    });
    let on_input = {
        let d = model.dispatcher();
        Callback::from(move |s: String| d.dispatch(Msg::Edit(s)))
    };
    let send = {
        let d = model.dispatcher();
        let (worker, inflight) = (worker.clone(), inflight.clone());
        Callback::from(move |m: Msg| {
            if matches!(m, Msg::Cancel) {
                inflight.borrow_mut().take();
                if let Some(w) = (*worker).as_ref() {
                    w.cancel();
                }
            }
            d.dispatch(m)
        })
    };
    let on_show_error = {
        let (editor, source, outcome) = (editor.clone(), model.source.clone(), outcome.clone());
        Callback::from(move |()| {
            if let Outcome::Error(e) = &*outcome {
                reveal(&editor, e.error.line, e.utf16_offset(&source));
            }
        })
    };
    let open_in_playground = embed.then(|| format!("./#{}", permalink::encode(&model.to_state())));

    let tabs = [(Tab::Verifier, "Verifier"), (Tab::Bytecode, "Bytecode"), (Tab::Run, "Run")];
    let panel = match model.tab {
        Tab::Verifier => {
            html! { <VerifierPanel model={model.clone()} send={send.clone()} {embed} /> }
        }
        Tab::Bytecode => html! { <OutputPanel outcome={outcome.clone()} {on_show_error} /> },
        Tab::Run => html! { <RunPanel model={model.clone()} send={send.clone()} {embed} /> },
    };

    html! {
        <div class={classes!("app", embed.then_some("embed"))}>
            if !embed {
                <Header send={send.clone()} />
            }
            if let Some(msg) = model.link_error.as_ref().or(model.load_error.as_ref()) {
                <div class="link-error" role="alert" id="link-error">
                    <span>{ msg }</span>
                    <button type="button" class="link-button" onclick={send.reform(|_| Msg::DismissLinkError)}>{"Dismiss"}</button>
                </div>
            }
            if let Some(id) = &model.exercise {
                if let Some(ex) = exercises::find(id) {
                    <crate::components::exercises::ExerciseBrief exercise={ex} model={model.clone()} send={send.clone()} />
                }
            }
            <main class={classes!("workspace", model.object.as_ref().is_some_and(|o| o.0.c.is_some()).then_some("with-c"))}>
                if let Some(o) = &model.object {
                    if o.0.c.is_some() {
                        <CSourcePanel loaded={o.clone()} current={c_current} send={send.clone()} />
                    }
                }
                <section class="panel editor-panel" aria-label="Program">
                    <Toolbar settings={model.settings} send={send.clone()} {embed} busy={model.busy.is_some()} {open_in_playground} />
                    <Editor
                        node_ref={editor}
                        value={model.source.clone()}
                        {marks}
                        readonly={embed}
                        {on_input}
                    />
                </section>
                <section class="panel side-panel" aria-label="Results">
                    <div class="tabs" role="tablist">
                        { for tabs.iter().map(|&(t, name)| {
                            let selected = model.tab == t;
                            html! {
                                <button type="button" role="tab" id={format!("tab-{}", t.key())}
                                    class={classes!("tab", selected.then_some("tab-selected"))}
                                    aria-selected={selected.to_string()}
                                    onclick={send.reform(move |_| Msg::Tab(t))}>{ name }</button>
                            }
                        }) }
                    </div>
                    <div class="tab-body" role="tabpanel" aria-labelledby={format!("tab-{}", model.tab.key())}>
                        { panel }
                    </div>
                </section>
            </main>
            if model.overlay == Overlay::Gallery {
                <Gallery send={send.clone()} />
            }
            if model.overlay == Overlay::Exercises {
                <crate::components::exercises::ExerciseList send={send.clone()} />
            }
            if model.overlay == Overlay::Help {
                <Help send={send.clone()} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_entries_travel_in_the_permalink() {
        let src = "map m: hash key=4 value=8 max=4\nr1 = map[m] ll\nr0 = 0\nexit\n";
        let m = Rc::new(Model::new(src, Settings::default()));
        let m = m.reduce(Msg::MapEdit(run::MapEdit {
            map: 0,
            key: "7".into(),
            value: Some("42".into()),
        }));
        let m = m.reduce(Msg::MapEdit(run::MapEdit {
            map: 0,
            key: "8".into(),
            value: Some("1".into()),
        }));
        let m = m.reduce(Msg::MapEdit(run::MapEdit { map: 0, key: "8".into(), value: None }));
        let link = permalink::encode(&m.to_state());
        let back = Model::from_state(permalink::decode(&link).unwrap().unwrap());
        assert_eq!(
            back.run.snapshot()[0].entries,
            vec![(vec![7, 0, 0, 0], vec![42, 0, 0, 0, 0, 0, 0, 0])]
        );
        assert_eq!(back.source, m.source);
    }
}
