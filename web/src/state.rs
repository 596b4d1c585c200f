//! The page's state, the messages that change it, and the reducer.
//!
//! The reducer is pure: it computes the next [`Model`] from the last one and a [`Msg`] and
//! nothing else. What reaches outside the model — the verifier worker, running programs, the
//! URL fragment, the keyboard, the solved-exercise marks in local storage — lives in
//! `hooks/`, which watch the model and answer with messages. That keeps every transition
//! testable without a browser (see the tests below).

use crate::services::cobject::{self, LoadedRef, OpenObject};
use crate::services::examples::{self, Example, STARTER};
use crate::services::exercises::{self, Exercise};
use crate::services::permalink::{self, State};
use crate::services::run::{MapEdit, RunState};
use crate::services::trace::{self, Nav};
use crate::services::verify::{Checked, Settings, SourceProblem};
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
    pub const ALL: [Tab; 3] = [Tab::Verifier, Tab::Bytecode, Tab::Run];

    pub fn key(self) -> &'static str {
        match self {
            Tab::Verifier => "verifier",
            Tab::Bytecode => "bytecode",
            Tab::Run => "run",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Verifier => "Verifier",
            Tab::Bytecode => "Bytecode",
            Tab::Run => "Run",
        }
    }

    fn parse(s: &str) -> Tab {
        Tab::ALL.into_iter().find(|t| t.key() == s).unwrap_or(Tab::Verifier)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    None,
    Gallery,
    Exercises,
    Help,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub source: Rc<str>,
    pub settings: Settings,
    /// The last verification, with the source it was for.
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
    /// Counts the verifications asked for; the verifier hook starts one when it changes.
    pub verify_gen: u32,
    /// Counts the runs asked for; the runner hook runs the program when it changes.
    pub run_gen: u32,
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
    pub fn new(source: &str, settings: Settings) -> Model {
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
            run_gen: 0,
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

    /// The open exercise, each of its checks on the current verification (a `Returns` check
    /// runs the program), and whether all pass with the exercise's own program type and mode.
    pub fn exercise_checks(&self) -> Option<(Exercise, Option<Vec<bool>>, bool)> {
        let ex = exercises::find(self.exercise.as_deref()?)?;
        let c = self.current();
        let results = c.map(|c| exercises::results(&ex, &self.source, c));
        let solved = c.zip(results.as_ref()).is_some_and(|(c, r)| exercises::all_passed(&ex, c, r));
        Some((ex, results, solved))
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

    /// Asks for a verification (the verifier hook runs it in the worker).
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

    fn load_exercise(id: &str) -> Option<Model> {
        let ex = exercises::find(id)?;
        let mut m = Model::new(&ex.source, ex.settings);
        m.inputs = ex.inputs.clone();
        m.exercise = Some(ex.id.to_string());
        Some(m)
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
    /// Move the stepper.
    Nav(Nav),
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
    /// The runner hook ran the program: the maps and the outcome after it.
    Ran(Box<RunState>),
    ResetMaps,
    MapEdit(MapEdit),
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
                    m.run_gen += 1;
                }
            }
            Msg::Cancel => {
                m.busy = None;
                m.run_after = false;
                m.pending_step = None;
                m.cancelled = true;
            }
            Msg::Nav(nav) => {
                if let Some(c) = m.current() {
                    m.step = trace::navigate(c, m.step, nav);
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
                if let Some(n) = Model::load_exercise(&id) {
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
                    m.run_gen += 1;
                }
            }
            Msg::Ran(st) => m.run = *st,
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
        Rc::new(m)
    }
}

/// The model a page opens with, from its URL fragment: a permalink, an example, a C
/// example or an exercise by name, else the starter (with a note if the fragment meant
/// nothing).
pub fn initial(hash: &str) -> Model {
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
    if let Some(m) = hash.strip_prefix("exercise=").and_then(Model::load_exercise) {
        return m;
    }
    match permalink::decode(hash) {
        Ok(Some(st)) => Model::from_state(st),
        Ok(None) => {
            let mut m = Model::new(STARTER, Settings::default());
            match hash {
                "" => {}
                "examples" => m.overlay = Overlay::Gallery,
                "exercises" => m.overlay = Overlay::Exercises,
                _ => {
                    m.link_error = Some(format!(
                        "The link's fragment `#{}` means nothing to bpfplay.",
                        clip(hash)
                    ))
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::verify::{check, prepare};

    fn reduce(m: Model, msgs: impl IntoIterator<Item = Msg>) -> Model {
        let mut m = Rc::new(m);
        for msg in msgs {
            m = m.reduce(msg);
        }
        Rc::try_unwrap(m).unwrap_or_else(|m| (*m).clone())
    }

    /// What the verifier hook would answer for the model's source.
    fn verified(m: &Model) -> Msg {
        let c = check(&prepare(&m.source).unwrap(), m.settings);
        Msg::Verified(Rc::new(c), m.source.clone())
    }

    #[test]
    fn map_entries_travel_in_the_permalink() {
        let src = "map m: hash key=4 value=8 max=4\nr1 = map[m] ll\nr0 = 0\nexit\n";
        let edit = |key: &str, value: Option<&str>| {
            Msg::MapEdit(MapEdit { map: 0, key: key.into(), value: value.map(Into::into) })
        };
        let m = reduce(
            Model::new(src, Settings::default()),
            [edit("7", Some("42")), edit("8", Some("1")), edit("8", None)],
        );
        let link = permalink::encode(&m.to_state());
        let back = Model::from_state(permalink::decode(&link).unwrap().unwrap());
        assert_eq!(
            back.run.snapshot()[0].entries,
            vec![(vec![7, 0, 0, 0], vec![42, 0, 0, 0, 0, 0, 0, 0])]
        );
        assert_eq!(back.source, m.source);
    }

    #[test]
    fn run_before_verify_asks_for_both_and_runs_after_the_verdict() {
        let m = reduce(Model::new("r0 = 2\nexit\n", Settings::default()), [Msg::Run]);
        assert_eq!((m.verify_gen, m.run_gen, m.run_after, m.tab), (1, 0, true, Tab::Run));
        let v = verified(&m);
        let m = reduce(m, [v]);
        // The verdict arrived: the runner hook is asked to run, once.
        assert_eq!((m.run_gen, m.run_after), (1, false));
        assert!(m.current().is_some());
        // With a current verdict, Run only asks the runner again.
        let m = reduce(m, [Msg::Run]);
        assert_eq!((m.verify_gen, m.run_gen), (1, 2));
    }

    #[test]
    fn a_rejection_opens_on_its_error_step_and_the_stepper_stays_in_the_trace() {
        let src = "r1 = 1\nr2 = 2\nr0 = *(u64 *)(r3 +0)\nexit\n";
        let m = Model::new(src, Settings::default());
        let v = verified(&m);
        let m = reduce(m, [Msg::Verify, v]);
        let c = m.current().unwrap().clone();
        let last = c.verdict.trace.steps.len() - 1;
        assert!(!c.verdict.accepted);
        assert_eq!(m.step, last);
        let m = reduce(m, [Msg::Nav(Nav::To(0)), Msg::Nav(Nav::By(-5))]);
        assert_eq!(m.step, 0);
        let m = reduce(m, [Msg::Nav(Nav::By(100))]);
        assert_eq!(m.step, last);
        let m = reduce(m, [Msg::Nav(Nav::To(0)), Msg::Nav(Nav::Error)]);
        assert_eq!(m.step, last);
        // An edit makes the verdict stale: the stepper no longer moves.
        let m = reduce(m, [Msg::Edit("r0 = 0\nexit\n".into()), Msg::Nav(Nav::To(0))]);
        assert!(m.stale());
        assert_eq!(m.step, last);
    }

    #[test]
    fn a_fragment_that_means_nothing_says_so_and_keeps_the_starter() {
        let m = initial("nonsense");
        assert_eq!(&*m.source, STARTER);
        assert!(m.link_error.as_deref().unwrap().contains("#nonsense"), "{:?}", m.link_error);
        assert_eq!(initial("examples").overlay, Overlay::Gallery);
        assert_eq!(initial("exercises").overlay, Overlay::Exercises);
        assert!(initial("").link_error.is_none());
    }

    #[test]
    fn a_permalink_opens_verified_at_its_step() {
        let mut m = Model::new("r0 = 0\nr1 = 1\nexit\n", Settings::default());
        let v = verified(&m);
        m = reduce(m, [Msg::Verify, v, Msg::Nav(Nav::To(1)), Msg::Tab(Tab::Run)]);
        let link = permalink::encode(&m.to_state());
        let back = initial(&link);
        assert_eq!((back.verify_gen, back.pending_step, back.tab), (1, Some(1), Tab::Run));
        let v = verified(&back);
        assert_eq!(reduce(back, [v]).step, 1);
    }
}
