//! bpfplay's browser front end: a Yew app over `bpfplay-core`.
//!
//! - [`state`] holds the page state, its messages and the pure reducer;
//! - [`app`] wires the state, the hooks and the components together;
//! - [`components`] are function components;
//! - [`hooks`] are the effects: the verifier worker, runs, the URL, the keyboard;
//! - [`services`] are plain Rust (no DOM): assembling, verifying, the stepper's model,
//!   explanations, runs, permalinks, examples and exercises;
//! - [`dom`] is the little the app does with the browser directly.

mod app;
mod components;
mod dom;
mod hooks;
mod probes;
mod services;
mod state;
mod worker;

fn main() {
    console_error_panic_hook::set_once();
    // In the verifier worker (see `worker`) there is no page to render.
    if web_sys::window().is_none() {
        return;
    }
    dom::apply_theme();
    let mode = app::Mode { embed: dom::is_embed() };
    yew::Renderer::<app::App>::with_props(app::AppProps { mode }).render();
}
