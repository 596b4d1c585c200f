use crate::dom;
use crate::services::trace::Nav;
use crate::state::{Msg, Overlay};
use yew::prelude::*;

/// Keyboard: Ctrl/Cmd+Enter verifies anywhere; arrows, Home and End step when not typing;
/// `?` opens the help and Escape closes what is open.
#[hook]
pub fn use_shortcuts(send: Callback<Msg>) {
    use_effect_with((), move |_| {
        let guard = dom::on_keydown(move |k| {
            send.emit(match k {
                dom::Key::Verify => Msg::Verify,
                dom::Key::Left => Msg::Nav(Nav::By(-1)),
                dom::Key::Right => Msg::Nav(Nav::By(1)),
                dom::Key::Home => Msg::Nav(Nav::To(0)),
                dom::Key::End => Msg::Nav(Nav::Error),
                dom::Key::Help => Msg::Overlay(Overlay::Help),
                dom::Key::Escape => Msg::Overlay(Overlay::None),
            })
        });
        move || drop(guard)
    });
}
