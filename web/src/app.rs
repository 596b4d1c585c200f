//! The page: the state from `state` (changed only by its reducer), the effects from `hooks`,
//! and the panels from `components`, each given the few values it shows and typed callbacks
//! that the page turns into messages.

use crate::components::c_source::CSourcePanel;
use crate::components::editor::{reveal, Editor, Marks};
use crate::components::exercises::{ExerciseBrief, ExerciseList};
use crate::components::gallery::Gallery;
use crate::components::header::Header;
use crate::components::help::Help;
use crate::components::output::OutputPanel;
use crate::components::run::RunPanel;
use crate::components::toolbar::Toolbar;
use crate::components::verifier::VerifierPanel;
use crate::dom;
use crate::hooks::{
    use_assembly, use_permalink_sync, use_runner, use_shortcuts, use_solved_mark, use_verifier,
};
use crate::services::assembler::Outcome;
use crate::services::permalink;
use crate::services::verify;
use crate::state::{self, Msg, Overlay, Tab};
use yew::prelude::*;

/// Where the page was opened: the full playground or an embed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mode {
    pub embed: bool,
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub mode: Mode,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let model = use_reducer(|| state::initial(&dom::fragment()));
    let embed = props.mode.embed;
    let send: Callback<Msg> = {
        let d = model.dispatcher();
        Callback::from(move |m| d.dispatch(m))
    };
    // A message for each event, for the components' typed callbacks.
    let on = |f: fn(()) -> Msg| send.reform(f);

    let on_cancel = use_verifier(&model);
    use_runner(&model);
    use_shortcuts(send.clone());
    use_permalink_sync(&model);
    // Marks the page interactive (for the load-time figure in BENCHMARKS.md).
    use_effect_with((), |_| dom::mark_ready());
    let outcome = use_assembly(model.source.clone());
    let declared_maps = use_memo(model.source.clone(), |src| {
        verify::prepare(src).map(|p| p.maps.clone()).unwrap_or_default()
    });
    let editor = use_node_ref();

    let cur = model.current().cloned();
    let step_insn =
        cur.as_ref().and_then(|c| c.verdict.trace.steps.get(model.step)).map(|s| s.insn);
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
        current_line: cur.as_ref().zip(step_insn).and_then(|(c, i)| c.line_of(i)),
    };
    // The C line of the stepper's instruction (from line info or the `; TEXT @ FILE:LINE`
    // comments the loader read).
    let c_view = model.object.as_ref().filter(|o| o.0.c.is_some());
    let c_current = c_view.and_then(|o| {
        let c = o.0.c.as_ref()?;
        let (file, line) = cur.as_ref()?.program.c_line_of(step_insn?)?;
        (file == c.file).then_some(line as usize)
    });
    let on_show_error = {
        let (editor, source, outcome) = (editor.clone(), model.source.clone(), outcome.clone());
        Callback::from(move |()| {
            if let Outcome::Error(e) = &*outcome {
                reveal(&editor, e.error.line, e.utf16_offset(&source));
            }
        })
    };
    let link = permalink::encode(&model.to_state());
    let on_copy_link = {
        let link = link.clone();
        Callback::from(move |()| dom::copy(&dom::url_with_fragment(&link)))
    };
    let open_in_playground = embed.then(|| format!("./#{link}"));

    let panel = match model.tab {
        Tab::Verifier => html! {
            <VerifierPanel
                busy={model.busy.map(|(_, started)| (started, model.progress))}
                cancelled={model.cancelled}
                problem={model.problem.clone()}
                checked={cur.clone()}
                stale={model.stale()}
                step={model.step}
                {on_cancel}
                on_nav={send.reform(Msg::Nav)}
                {on_copy_link}
            />
        },
        Tab::Bytecode => html! { <OutputPanel outcome={outcome.clone()} {on_show_error} /> },
        Tab::Run => html! {
            <RunPanel
                prog_type={model.settings.prog_type}
                inputs={model.inputs.clone()}
                run={model.run.clone()}
                maps={declared_maps.clone()}
                {embed}
                on_input={send.reform(|(k, v)| Msg::Input(k, v))}
                on_run={on(|()| Msg::Run)}
                on_reset_maps={on(|()| Msg::ResetMaps)}
                on_map_edit={send.reform(Msg::MapEdit)}
            />
        },
    };
    // Checking an exercise may run its program: once per verification, not per render.
    let checks = {
        let m = model.clone();
        use_memo((model.exercise.clone(), cur.clone(), model.source.clone()), move |_| {
            m.exercise_checks()
        })
    };
    use_solved_mark(checks.as_ref().as_ref().filter(|c| c.2).map(|c| c.0.id.to_string()));
    let exercise = (*checks).clone().map(|(ex, results, solved)| {
        html! {
            <ExerciseBrief exercise={ex} {results} {solved} hints_shown={model.hints_shown}
                on_hint={on(|()| Msg::ShowHint)} on_all={on(|()| Msg::Overlay(Overlay::Exercises))} />
        }
    });

    html! {
        <div class={classes!("app", embed.then_some("embed"))}>
            if !embed {
                <Header
                    on_examples={on(|()| Msg::Overlay(Overlay::Gallery))}
                    on_exercises={on(|()| Msg::Overlay(Overlay::Exercises))}
                    on_help={on(|()| Msg::Overlay(Overlay::Help))}
                    on_object={send.reform(|r: Result<(String, Vec<u8>), String>| match r {
                        Ok((name, bytes)) => Msg::OpenObject(name, bytes),
                        Err(e) => Msg::LoadFailed(e),
                    })}
                />
            }
            if let Some(msg) = model.link_error.as_ref().or(model.load_error.as_ref()) {
                <div class="link-error" role="alert" id="link-error">
                    <span>{ msg }</span>
                    <button type="button" class="link-button" onclick={send.reform(|_| Msg::DismissLinkError)}>{"Dismiss"}</button>
                </div>
            }
            { for exercise }
            <main class={classes!("workspace", c_view.is_some().then_some("with-c"))}>
                if let Some(o) = c_view {
                    <CSourcePanel loaded={o.clone()} current={c_current} on_pick={send.reform(Msg::PickProgram)} />
                }
                <section class="panel editor-panel" aria-label="Program">
                    <Toolbar settings={model.settings} {embed} busy={model.busy.is_some()} {open_in_playground}
                        on_settings={send.reform(Msg::Settings)}
                        on_verify={on(|()| Msg::Verify)}
                        on_run={on(|()| Msg::Run)} />
                    <Editor
                        node_ref={editor}
                        value={model.source.clone()}
                        {marks}
                        readonly={embed}
                        on_input={send.reform(Msg::Edit)}
                    />
                </section>
                <section class="panel side-panel" aria-label="Results">
                    <div class="tabs" role="tablist">
                        { for Tab::ALL.iter().map(|&t| {
                            let selected = model.tab == t;
                            html! {
                                <button type="button" role="tab" id={format!("tab-{}", t.key())}
                                    class={classes!("tab", selected.then_some("tab-selected"))}
                                    aria-selected={selected.to_string()}
                                    onclick={send.reform(move |_| Msg::Tab(t))}>{ t.title() }</button>
                            }
                        }) }
                    </div>
                    <div class="tab-body" role="tabpanel" aria-labelledby={format!("tab-{}", model.tab.key())}>
                        { panel }
                    </div>
                </section>
            </main>
            if model.overlay == Overlay::Gallery {
                <Gallery on_close={on(|()| Msg::Overlay(Overlay::None))}
                    on_example={send.reform(Msg::LoadExample)}
                    on_c_example={send.reform(Msg::LoadCExample)} />
            }
            if model.overlay == Overlay::Exercises {
                <ExerciseList on_close={on(|()| Msg::Overlay(Overlay::None))} on_pick={send.reform(Msg::LoadExercise)} />
            }
            if model.overlay == Overlay::Help {
                <Help on_close={on(|()| Msg::Overlay(Overlay::None))} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    /// No component reaches for the page's state or messages: each takes its values and
    /// typed callbacks as props (the shape of Yew's examples).
    #[test]
    fn components_import_neither_the_app_nor_its_state() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/components");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for bad in ["crate::app", "crate::state", "UseReducerHandle"] {
                assert!(!text.contains(bad), "{} uses {bad}", path.display());
            }
            n += 1;
        }
        assert!(n >= 10, "{n} component files");
    }
}
