use crate::dom;
use yew::prelude::*;

/// Keeps the mark of a solved exercise (its id, once solved) in this browser's storage (the
/// exercise list ticks it).
#[hook]
pub fn use_solved_mark(solved: Option<String>) {
    use_effect_with(solved, |id| {
        if let Some(id) = id {
            dom::mark_solved(id);
        }
    });
}
