use crate::dom;
use crate::services::exercises::{self, Exercise};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub on_close: Callback<()>,
    /// An exercise, by id.
    pub on_pick: Callback<String>,
}

/// Every exercise, with the ones solved in this browser ticked.
#[function_component]
pub fn ExerciseList(p: &ListProps) -> Html {
    let close = p.on_close.reform(|_| ());
    let solved = use_state(dom::solved);
    let all = exercises::all();
    let done = all.iter().filter(|e| solved.iter().any(|s| s == e.id)).count();
    let reset = {
        let solved = solved.clone();
        Callback::from(move |_| {
            dom::reset_solved();
            solved.set(Vec::new());
        })
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="exercises-title">
            <div class="dialog wide">
                <div class="dialog-head">
                    <h2 id="exercises-title">{"Exercises"}</h2>
                    <span class="muted" id="progress">{ format!("{done} of {} solved", all.len()) }</span>
                    <button type="button" class="action" onclick={close} aria-label="Close">{"✕"}</button>
                </div>
                <p class="muted">{"Each exercise is a program the verifier rejects. Make it pass and meet the goal. Progress is kept in this browser."}</p>
                <ol class="cards" id="exercise-list">
                    { for all.iter().map(|ex| {
                        let id = ex.id.to_string();
                        let ok = solved.iter().any(|s| s == ex.id);
                        html! {
                            <li class="card">
                                <button type="button" class="card-button" data-exercise={id.clone()}
                                    onclick={p.on_pick.reform(move |_| id.clone())}>
                                    <span class="card-title">
                                        if ok { <span class="tick" aria-label="solved">{"✓ "}</span> }
                                        { &ex.title }
                                    </span>
                                    <span class="card-about">{ &ex.goal }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ol>
                <button type="button" class="link-button" onclick={reset}>{"Forget my progress"}</button>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct BriefProps {
    pub exercise: Exercise,
    /// Each check's result on the current verification (none before one).
    pub results: Option<Vec<bool>>,
    pub solved: bool,
    pub hints_shown: usize,
    pub on_hint: Callback<()>,
    pub on_all: Callback<()>,
}

/// Above the editor while an exercise is open: its goal, its checks, and hints on demand.
#[function_component]
pub fn ExerciseBrief(p: &BriefProps) -> Html {
    let ex = &p.exercise;
    let (results, solved) = (&p.results, p.solved);
    let shown = p.hints_shown.min(ex.hints.len());
    html! {
        <section class={classes!("exercise", solved.then_some("exercise-solved"))} aria-labelledby="exercise-title" id="exercise">
            <div class="exercise-head">
                <h2 id="exercise-title">{ format!("Exercise: {}", ex.title) }</h2>
                <button type="button" class="link-button" onclick={p.on_all.reform(|_| ())}>{"All exercises"}</button>
            </div>
            <p class="goal">{ &ex.goal }</p>
            <ul class="checks" id="checks">
                { for ex.checks.iter().enumerate().map(|(i, c)| {
                    let state = results.as_ref().map(|r| r[i]);
                    html! {
                        <li class={classes!(match state { Some(true) => "check-ok", Some(false) => "check-bad", None => "check-unknown" })}>
                            { match state { Some(true) => "✓ ", Some(false) => "✗ ", None => "• " } }{ c.describe() }
                        </li>
                    }
                }) }
            </ul>
            if solved {
                <p class="solved" id="solved" role="status">{"Solved! Well done."}</p>
            } else if results.is_none() {
                <p class="muted">{"Verify (Ctrl+Enter) to check your program."}</p>
            }
            <ol class="hints">
                { for ex.hints.iter().take(shown).map(|h| html! { <li>{ h }</li> }) }
            </ol>
            if shown < ex.hints.len() {
                <button type="button" class="link-button" id="hint-button" onclick={p.on_hint.reform(|_| ())}>
                    { format!("Show a hint ({} of {})", shown + 1, ex.hints.len()) }
                </button>
            }
        </section>
    }
}
