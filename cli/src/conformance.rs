//! `bpfplay conformance [DIR|FILE.data]`: runs the eBPF conformance suite's `.data` files
//! through the assembler/decoder and the interpreter.
//!
//! `bpfplay conformance-plugin [MEMORY_HEX]`: the plugin protocol of the upstream
//! bpf_conformance runner: the program's bytes as hex on stdin, the input memory as hex in
//! the first argument; prints `r0` in hex (`0x2`) and exits 0, or exits 1 with the reason on
//! stderr when the program is refused or fails.

use crate::Unusable;
use bpfplay_core::conformance::{self, Verdict};
use bpfplay_core::decode_bytes;
use bpfplay_core::hex::{self, DecodeError};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `bpfplay conformance [-v] [DIR | FILE.data]`
#[derive(clap::Args, Debug)]
#[command(
    after_help = "DIR defaults to $BPF_CONFORMANCE_DIR/tests, else ../shared/conformance/tests"
)]
pub struct RunArgs {
    /// Also list the tests that pass
    #[arg(short, long)]
    verbose: bool,
    /// The suite's tests directory (or the suite's root, or one .data file)
    #[arg(value_name = "DIR | FILE.data")]
    target: Option<PathBuf>,
}

/// Where the suite's `tests/` probably is when no directory is given.
fn default_dir() -> Result<PathBuf, Unusable> {
    let mut tried = Vec::new();
    if let Some(d) = std::env::var_os("BPF_CONFORMANCE_DIR") {
        let p = PathBuf::from(d).join("tests");
        if p.is_dir() {
            return Ok(p);
        }
        tried.push(p);
    }
    let rel = Path::new("../shared/conformance/tests");
    if rel.is_dir() {
        return Ok(rel.to_path_buf());
    }
    tried.push(rel.to_path_buf());
    // Beside the workspace the executable was built in (target/<profile>/bpfplay).
    if let Ok(exe) = std::env::current_exe() {
        for anc in exe.ancestors().skip(1).take(5) {
            let p = anc.join("../shared/conformance/tests");
            if p.is_dir() {
                return Ok(p);
            }
        }
        tried.push(PathBuf::from(format!("{}/../…/../shared/conformance/tests", exe.display())));
    }
    let tried: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
    Err(Unusable(format!(
        "conformance: cannot find the suite (tried {}); give its tests directory or set BPF_CONFORMANCE_DIR",
        tried.join(", ")
    )))
}

/// The `.data` files to run for `target` (a directory, a suite root with `tests/`, or a file).
fn data_files(target: &Path) -> Result<Vec<PathBuf>, Unusable> {
    if target.is_file() {
        return Ok(vec![target.to_path_buf()]);
    }
    let list = |dir: &Path| -> Result<Vec<PathBuf>, Unusable> {
        let rd = std::fs::read_dir(dir).map_err(|e| Unusable(format!("{}: {e}", dir.display())))?;
        let mut v = Vec::new();
        for entry in rd {
            let p = entry.map_err(|e| Unusable(format!("{}: {e}", dir.display())))?.path();
            if p.extension().is_some_and(|x| x == "data") && p.is_file() {
                v.push(p);
            }
        }
        v.sort();
        Ok(v)
    };
    let files = list(target)?;
    if files.is_empty() && target.join("tests").is_dir() {
        return list(&target.join("tests"));
    }
    Ok(files)
}

pub fn run(args: RunArgs) -> Result<ExitCode, Unusable> {
    let RunArgs { verbose, target } = args;
    let target = match target {
        Some(t) => t,
        None => default_dir()?,
    };
    if !target.exists() {
        return Err(Unusable(format!("conformance: {} does not exist", target.display())));
    }
    let files = data_files(&target)?;
    if files.is_empty() {
        return Err(Unusable(format!("conformance: no .data files in {}", target.display())));
    }
    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    for f in &files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let verdict = match std::fs::read(f) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => conformance::check_text(&text),
                Err(_) => Verdict::Fail("not UTF-8 text".into()),
            },
            Err(e) => Verdict::Fail(format!("cannot read: {e}")),
        };
        match verdict {
            Verdict::Pass => {
                passed += 1;
                if verbose {
                    outln!("ok   {name}");
                }
            }
            Verdict::Fail(why) => {
                failed += 1;
                outln!("FAIL {name}: {why}");
            }
            Verdict::Skip(why) => {
                skipped += 1;
                outln!("skip {name}: {why}");
            }
        }
    }
    outln!("{passed} passed, {failed} failed, {skipped} skipped");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Bytes from hex text; whitespace anywhere (`b7 00`, `b700`, upstream's `b7  00  `), and the
/// other separators of `bpfplay_core::hex::decode`.
fn parse_hex(what: &str, text: &str) -> Result<Vec<u8>, Unusable> {
    hex::decode(text).map_err(|e| {
        Unusable(match e {
            DecodeError::OddDigits { .. } => {
                format!("conformance-plugin: {what}: odd number of hex digits")
            }
            DecodeError::NotHex { pair, .. } => {
                format!("conformance-plugin: {what}: `{pair}` is not a hex byte")
            }
        })
    })
}

/// `bpfplay conformance-plugin [--program HEX] [MEMORY_HEX]... [--debug]`
#[derive(clap::Args, Debug)]
pub struct PluginArgs {
    /// The program's bytes as hex (else read from stdin)
    #[arg(long, value_name = "HEX", allow_hyphen_values = true)]
    program: Option<String>,
    /// Say on stderr how many bytes of program and memory were read
    #[arg(long)]
    debug: bool,
    /// The input memory as hex (several arguments are joined; the upstream runner passes its
    /// often empty plugin options as one more argument, which is ignored when empty)
    #[arg(value_name = "MEMORY_HEX")]
    memory: Vec<String>,
}

pub fn plugin(args: PluginArgs) -> Result<ExitCode, Unusable> {
    let PluginArgs { program: program_hex, debug, memory } = args;
    let memory_hex = memory.join(" ");
    let program_hex = match program_hex {
        Some(p) => p,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Unusable(format!("conformance-plugin: stdin: {e}")))?;
            s
        }
    };
    let code = parse_hex("program", &program_hex)?;
    let memory = parse_hex("memory", &memory_hex)?;
    if debug {
        eprintln!("program: {} bytes, memory: {} bytes", code.len(), memory.len());
    }
    let program = match decode_bytes(&code) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("bpfplay: program refused: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    match conformance::run(program, &memory) {
        Ok(r0) => {
            outln!("{r0:#x}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("bpfplay: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
