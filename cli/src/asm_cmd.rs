//! `bpfplay asm` and `bpfplay disasm`.

use crate::Unusable;
use bpfplay_core::{assemble, decode_bytes, disasm::Style, disassemble};
use std::process::ExitCode;

fn read(path: &str) -> Result<Vec<u8>, Unusable> {
    std::fs::read(path).map_err(|e| Unusable(format!("{path}: {e}")))
}

/// `bpfplay asm FILE.s [-o FILE.bin]`
#[derive(clap::Args, Debug)]
pub struct AsmArgs {
    /// The assembly source (pseudo-C or uBPF syntax)
    #[arg(value_name = "FILE.s")]
    input: String,
    /// Write the raw bytes to this file (else print them as hex, one instruction a line)
    #[arg(short = 'o', value_name = "FILE.bin", allow_hyphen_values = true)]
    output: Option<String>,
}

/// `bpfplay disasm FILE.bin`
#[derive(clap::Args, Debug)]
pub struct DisasmArgs {
    /// Raw little-endian instructions
    #[arg(value_name = "FILE.bin")]
    input: String,
}

pub fn asm(args: AsmArgs) -> Result<ExitCode, Unusable> {
    let AsmArgs { input, output } = args;
    let bytes = read(&input)?;
    let text =
        String::from_utf8(bytes).map_err(|_| Unusable(format!("{input}: not UTF-8 text")))?;
    let a = assemble(&text)
        .map_err(|e| Unusable(format!("{input}:{}:{}: {}", e.line, e.col, e.message)))?;
    let out = a.program.to_bytes();
    match output {
        Some(o) => std::fs::write(&o, &out).map_err(|e| Unusable(format!("{o}: {e}")))?,
        None => {
            for chunk in out.chunks(8) {
                outln!("{}", bpfplay_core::hex::encode_spaced(chunk));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn disasm(args: DisasmArgs) -> Result<ExitCode, Unusable> {
    let input = &args.input;
    let bytes = read(input)?;
    let prog = decode_bytes(&bytes).map_err(|e| Unusable(format!("{input}: {e}")))?;
    for (i, t) in disassemble(&prog, Style::kernel(), &()) {
        outln!("{i}: {t}");
    }
    Ok(ExitCode::SUCCESS)
}
