//! Hooks: what the page does beyond its state. Each watches the model and answers with
//! messages, so the reducer in `state` stays pure.

mod use_assembly;
mod use_permalink_sync;
mod use_runner;
mod use_shortcuts;
mod use_solved_mark;
mod use_verifier;

pub use use_assembly::use_assembly;
pub use use_permalink_sync::use_permalink_sync;
pub use use_runner::use_runner;
pub use use_shortcuts::use_shortcuts;
pub use use_solved_mark::use_solved_mark;
pub use use_verifier::use_verifier;
