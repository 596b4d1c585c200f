use crate::dom;
use crate::services::permalink;
use crate::state::Model;
use yew::prelude::*;

/// The URL fragment follows the state, so the address bar is always a permalink. A link
/// that could not be opened stays in the address bar until the user changes something
/// (so it can be copied and reported).
#[hook]
pub fn use_permalink_sync(model: &Model) {
    let state = model.to_state();
    let ok = model.link_error.is_none();
    use_effect_with(state, move |st| {
        if ok {
            dom::set_fragment(&permalink::encode(st));
        }
    });
}
