//! Shared helpers for the cross-crate tests.

pub mod corpus;
pub mod diff;
pub mod gen;
pub mod kernel;
pub mod known;
pub mod logs;
pub mod shrink;
pub mod sound;
