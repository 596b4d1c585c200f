//! Asks the running kernel about every program of the verifier corpus and writes its answers
//! beside them: `NAME.expected` (verdict, errno, first error line, processed insns, test-run
//! return value) and `NAME.kernel.log` (the level-2 verifier log).
//!
//! usage: kernel_oracle [--check] [FILE.s ...]
//!   (no files: every tests/verifier-corpus/*.s)
//!   --check  write nothing; report the files whose answer differs from NAME.expected and
//!            exit 1 if any does.
//!
//! Needs a Linux kernel where bpf() works (root). See tests/verifier-corpus/README.md.

use bpfplay_tests::corpus::{self, ask_kernel, mask_addresses, Case};
use bpfplay_tests::kernel;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut check = false;
    let mut files: Vec<PathBuf> = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                eprintln!("usage: kernel_oracle [--check] [FILE.s ...]");
                return ExitCode::SUCCESS;
            }
            _ => files.push(PathBuf::from(a)),
        }
    }
    if let Err(why) = kernel::available() {
        eprintln!("kernel_oracle: the kernel's bpf() is not usable here: {why}");
        return ExitCode::from(2);
    }
    if files.is_empty() {
        files = corpus::case_paths();
    }
    let (mut acc, mut rej, mut bad, mut differ) = (0, 0, 0, 0);
    for path in &files {
        let case = match Case::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{e}");
                bad += 1;
                continue;
            }
        };
        let (exp, log) = match ask_kernel(&case) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                bad += 1;
                continue;
            }
        };
        if exp.accepted {
            acc += 1;
        } else {
            rej += 1;
        }
        let summary = if exp.accepted {
            format!(
                "accepted ({} insns{})",
                exp.processed_insns.unwrap_or(0),
                exp.retval.map(|r| format!(", retval {r}")).unwrap_or_default()
            )
        } else {
            format!("rejected {} `{}`", exp.errno, exp.first_error.as_deref().unwrap_or(""))
        };
        if check {
            match case.expected() {
                Ok(old) if old == exp => println!("same    {}: {summary}", case.name),
                Ok(old) => {
                    differ += 1;
                    println!(
                        "DIFFERS {}: now {summary}\n  was:\n{}  now:\n{}",
                        case.name,
                        old.to_text(),
                        exp.to_text()
                    );
                }
                Err(e) => {
                    differ += 1;
                    println!("MISSING {}: {e}", case.name);
                }
            }
        } else {
            // Keep the old log where only kernel addresses changed, so that regenerating
            // does not rewrite every log that loads a map.
            let old_log = std::fs::read_to_string(case.log_path()).unwrap_or_default();
            let keep = mask_addresses(&old_log) == mask_addresses(&log);
            let w = std::fs::write(case.expected_path(), exp.to_text()).and_then(|_| {
                if keep {
                    Ok(())
                } else {
                    std::fs::write(case.log_path(), &log)
                }
            });
            if let Err(e) = w {
                eprintln!("{}: writing answers: {e}", path.display());
                bad += 1;
                continue;
            }
            println!("{:40} {summary}", case.name);
        }
    }
    println!(
        "{} programs: {acc} accepted, {rej} rejected, {bad} unusable{}",
        files.len(),
        if check { format!(", {differ} differ") } else { String::new() }
    );
    if bad > 0 || differ > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
