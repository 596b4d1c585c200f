//! `bpfplay conformance` and `bpfplay conformance-plugin` (not yet implemented).

use crate::Unusable;
use std::process::ExitCode;

pub fn run(_args: &[String]) -> Result<ExitCode, Unusable> {
    Err(Unusable("conformance: the interpreter does not exist yet".into()))
}

pub fn plugin(_args: &[String]) -> Result<ExitCode, Unusable> {
    Err(Unusable("conformance-plugin: the interpreter does not exist yet".into()))
}
