//! Hooks that derive what the page shows from the page state.

mod use_assembly;

pub use use_assembly::use_assembly;
