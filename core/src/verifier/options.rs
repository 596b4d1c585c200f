//! What `verify` is asked to do: the program type, the capabilities and the log.

use crate::progtype::ProgType;

/// How to verify a program: as which program type, with which capabilities, how verbose a
/// log, and whether to keep a trace.
#[derive(Clone, Debug)]
pub struct Options {
    pub prog_type: ProgType,
    /// Without CAP_SYS_ADMIN and CAP_PERFMON: pointer leaks, uninitialised stack, back-edges...
    pub unpriv: bool,
    /// 0, 1 or 2, as the kernel's `log_level`.
    pub log_level: u32,
    /// Keep a structured trace step per processed instruction.
    pub trace: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { prog_type: ProgType::SocketFilter, unpriv: false, log_level: 1, trace: false }
    }
}
