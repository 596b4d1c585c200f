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

use std::process::ExitCode;

const USAGE: &str = "usage:
  bpfplay asm FILE.s [-o FILE.bin]     assemble (pseudo-C or uBPF syntax) to raw bytes
  bpfplay disasm FILE.bin              disassemble raw little-endian instructions
  bpfplay verify --type TYPE [--unpriv] [--log-level N] [--json] [--trace] [--map SPEC]... FILE
  bpfplay run --type TYPE [--input HEX] [--json] [--map NAME:KIND:K:V:MAX]... FILE
                                       verify as Linux 6.18 would, then run once
                                       (FILE: .s, .bin, or a clang-compiled .o, whose
                                       sections give the type; --prog NAME picks a program)
  bpfplay conformance [DIR]            run the eBPF conformance suite's .data files
  bpfplay conformance-plugin [MEM_HEX] bpf_conformance plugin: program hex on stdin";

/// An error that makes the input unusable: printed on stderr, exit code 2.
pub struct Unusable(pub String);

impl<E: std::fmt::Display> From<E> for Unusable {
    fn from(e: E) -> Self {
        Unusable(e.to_string())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match cmd.as_str() {
        "asm" => asm_cmd::asm(rest),
        "disasm" => asm_cmd::disasm(rest),
        "run" => run_cmd::run(rest),
        "verify" => verify_cmd::verify_cmd(rest),
        "conformance" => conformance::run(rest),
        "conformance-plugin" => conformance::plugin(rest),
        "-h" | "--help" | "help" => {
            outln!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Unusable(format!("unknown command `{other}`\n{USAGE}"))),
    };
    match result {
        Ok(code) => code,
        Err(Unusable(msg)) => {
            eprintln!("bpfplay: {msg}");
            ExitCode::from(2)
        }
    }
}
