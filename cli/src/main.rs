//! `bpfplay`: the command line over bpfplay-core, for scripts, graders and differential tests.
//! Exit codes: 0 success (or accepted), 1 rejected, 2 unusable input.

/// `println!` that ignores a closed stdout (`bpfplay verify ... | head -1`): no panic, and the
/// exit status still gives the verdict.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// `print!` that ignores a closed stdout (see `outln!`).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

mod asm_cmd;
mod conformance;
mod program_args;
mod run_cmd;
mod verify_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// bpfplay on the command line: assemble, disassemble, verify as Linux 6.18 would, run.
///
/// Exit status: 0 success (or accepted), 1 rejected, 2 unusable input or a usage error.
#[derive(Parser, Debug)]
#[command(name = "bpfplay", version, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Assemble (pseudo-C or uBPF syntax) to raw bytes
    Asm(asm_cmd::AsmArgs),
    /// Disassemble raw little-endian instructions
    Disasm(asm_cmd::DisasmArgs),
    /// Verify as Linux 6.18 would: the log, then a JSON verdict on the last line
    Verify(verify_cmd::VerifyArgs),
    /// Verify as Linux 6.18 would, then run once on an input with fresh maps
    Run(run_cmd::Args),
    /// Run the eBPF conformance suite's .data files
    Conformance(conformance::RunArgs),
    /// The bpf_conformance plugin: program hex on stdin, memory hex as argument, prints r0
    ConformancePlugin(conformance::PluginArgs),
}

/// An error that makes the input unusable: printed on stderr, exit code 2.
pub struct Unusable(pub String);

impl<E: std::fmt::Display> From<E> for Unusable {
    fn from(e: E) -> Self {
        Unusable(e.to_string())
    }
}

fn main() -> ExitCode {
    // Usage errors exit 2 (clap's code), `--help` prints on stdout and exits 0.
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    let result = match cli.cmd {
        Cmd::Asm(a) => asm_cmd::asm(a),
        Cmd::Disasm(a) => asm_cmd::disasm(a),
        Cmd::Run(a) => run_cmd::run(a),
        Cmd::Verify(a) => verify_cmd::verify_cmd(a),
        Cmd::Conformance(a) => conformance::run(a),
        Cmd::ConformancePlugin(a) => conformance::plugin(a),
    };
    match result {
        Ok(code) => code,
        Err(Unusable(msg)) => {
            eprintln!("bpfplay: {msg}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
