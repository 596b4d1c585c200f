//! Presentational function components: they render their props and report events upwards.

pub mod editor;
pub mod header;
pub mod output;
