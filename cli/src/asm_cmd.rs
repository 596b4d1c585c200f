//! `bpfplay asm` and `bpfplay disasm`.

use crate::Unusable;
use bpfplay_core::{assemble, decode_bytes, disasm::Style, disassemble};
use std::process::ExitCode;

fn read(path: &str) -> Result<Vec<u8>, Unusable> {
    std::fs::read(path).map_err(|e| Unusable(format!("{path}: {e}")))
}

pub fn asm(args: &[String]) -> Result<ExitCode, Unusable> {
    let mut input = None;
    let mut output = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" => {
                output =
                    Some(it.next().ok_or_else(|| Unusable("-o needs a file name".into()))?.clone())
            }
            s if s.starts_with('-') => return Err(Unusable(format!("asm: unknown option `{s}`"))),
            s if input.is_none() => input = Some(s.to_string()),
            s => return Err(Unusable(format!("asm: unexpected argument `{s}`"))),
        }
    }
    let input = input.ok_or_else(|| {
        Unusable("asm: which file? usage: bpfplay asm FILE.s [-o FILE.bin]".into())
    })?;
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
                let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
                outln!("{}", hex.join(" "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn disasm(args: &[String]) -> Result<ExitCode, Unusable> {
    let [input] = args else {
        return Err(Unusable("disasm: usage: bpfplay disasm FILE.bin".into()));
    };
    let bytes = read(input)?;
    let prog = decode_bytes(&bytes).map_err(|e| Unusable(format!("{input}: {e}")))?;
    for (i, t) in disassemble(&prog, Style::kernel(), &()) {
        outln!("{i}: {t}");
    }
    Ok(ExitCode::SUCCESS)
}
