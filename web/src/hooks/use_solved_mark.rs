use crate::dom;
use crate::state::Model;
use yew::prelude::*;

/// Keeps the mark of a solved exercise in this browser's storage (the exercise list ticks
/// it).
#[hook]
pub fn use_solved_mark(model: &Model) {
    let solved = model.solved_exercise().map(String::from);
    use_effect_with(solved, |id| {
        if let Some(id) = id {
            dom::mark_solved(id);
        }
    });
}
