//! Shared helpers for the cross-crate tests.

pub mod corpus;
pub mod kernel;
pub mod gen;
pub mod diff;
pub mod shrink;
pub mod sound;
