//! Plain Rust behind the page: no DOM, so it is easy to reason about and to test.

pub mod assembler;
pub mod cobject;
pub mod examples;
pub mod exercises;
pub mod explain;
pub mod highlight;
pub mod permalink;
pub mod run;
pub mod trace;
pub mod verify;

#[cfg(test)]
mod hostile_tests;
