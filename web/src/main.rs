//! bpfplay's browser front end: a Yew app over `bpfplay-core`.
//!
//! - [`app`] holds the page state (the source text) and wires the components together;
//! - [`components`] are small presentational function components;
//! - [`hooks`] derive the assembled output from the source;
//! - [`services`] are plain Rust (no DOM): the assembler call and its display model.

mod app;
mod components;
mod hooks;
mod services;

fn main() {
    console_error_panic_hook::set_once();
    yew::Renderer::<app::App>::new().render();
}
