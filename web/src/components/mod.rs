//! Function components: they render their props and report events upwards.

pub mod c_source;
pub mod editor;
pub mod exercises;
pub mod gallery;
pub mod header;
pub mod help;
pub mod output;
pub mod run;
pub mod toolbar;
pub mod verifier;
