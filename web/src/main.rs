//! bpfplay's browser front end: a Yew app over `bpfplay-core`.
//!
//! - [`app`] holds the page state and wires the components together;
//! - [`components`] are function components;
//! - [`hooks`] derive the assembled output from the source;
//! - [`services`] are plain Rust (no DOM): assembling, verifying, the stepper's model,
//!   explanations, runs, permalinks, examples and exercises;
//! - [`dom`] is the little the app does with the browser directly.

mod app;
mod components;
mod dom;
mod hooks;
mod services;
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
