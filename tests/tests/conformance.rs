//! The public eBPF conformance suite (bpf_conformance's `.data` files) through the assembler,
//! the decoder and the interpreter. The files are read from `$BPF_CONFORMANCE_DIR` or
//! `../shared/conformance` beside the workspace; when absent the tests say so and pass.

use bpfplay_core::conformance::{self, ProgramError, Verdict};
use bpfplay_core::decode_bytes;
use std::path::{Path, PathBuf};

fn suite_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("BPF_CONFORMANCE_DIR").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance")),
    ];
    candidates.into_iter().flatten().find(|d| d.join("tests").is_dir())
}

/// The `.data` files of `sub` (sorted), or `None` with a printed reason.
fn data_files(sub: &str) -> Option<Vec<PathBuf>> {
    let Some(dir) = suite_dir() else {
        println!("skipped: no conformance suite (set BPF_CONFORMANCE_DIR or put it at ../shared/conformance)");
        return None;
    };
    let dir = dir.join(sub);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "data"))
        .collect();
    files.sort();
    Some(files)
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn every_test_gives_its_expected_result() {
    let Some(files) = data_files("tests") else { return };
    assert!(!files.is_empty(), "no .data files in the suite's tests/");
    let (mut passed, mut failed, mut skipped) = (0, Vec::new(), Vec::new());
    for f in &files {
        match conformance::check_text(&read(f)) {
            Verdict::Pass => passed += 1,
            Verdict::Fail(why) => failed.push(format!("{}: {why}", name(f))),
            Verdict::Skip(why) => skipped.push(format!("{}: {why}", name(f))),
        }
    }
    for s in &skipped {
        println!("skip {s}");
    }
    for f in &failed {
        println!("FAIL {f}");
    }
    println!("{passed} passed, {} failed, {} skipped", failed.len(), skipped.len());
    assert!(failed.is_empty(), "{} conformance tests failed:\n{}", failed.len(), failed.join("\n"));
}

#[test]
fn assembly_matches_raw_bytes() {
    let Some(files) = data_files("tests") else { return };
    let (mut compared, mut bad) = (0, Vec::new());
    for f in &files {
        let t = conformance::parse(&read(f)).unwrap_or_else(|e| panic!("{}: {e}", name(f)));
        let (Some(_), Some(raw)) = (&t.asm, &t.raw) else { continue };
        compared += 1;
        match t.assemble().unwrap() {
            Ok(p) if p.to_bytes() == *raw => {}
            Ok(p) => bad.push(format!(
                "{}: assembles to {:02x?}, raw is {:02x?}",
                name(f),
                p.to_bytes(),
                raw
            )),
            Err(e) => bad.push(format!("{}: {e}", name(f))),
        }
    }
    println!("{compared} files with both asm and raw, {} differ", bad.len());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every assembled program's bytes decode back to the same instructions.
#[test]
fn assembled_bytes_decode_back() {
    let Some(files) = data_files("tests") else { return };
    let mut bad = Vec::new();
    for f in &files {
        let t = conformance::parse(&read(f)).unwrap_or_else(|e| panic!("{}: {e}", name(f)));
        let Some(Ok(p)) = t.assemble() else { continue };
        match decode_bytes(&p.to_bytes()) {
            Ok(q) if q == p => {}
            Ok(q) => bad.push(format!("{}: decodes to {q:?}, assembled {p:?}", name(f))),
            Err(e) => bad.push(format!("{}: {e}", name(f))),
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn negative_programs_are_refused() {
    let Some(files) = data_files("negative") else { return };
    let (mut refused, mut accepted, mut other) = (0, Vec::new(), 0);
    for f in &files {
        let n = name(f);
        if !(n.starts_with("unused-") || n.starts_with("invalid_")) {
            other += 1;
            continue;
        }
        let t = conformance::parse(&read(f)).unwrap_or_else(|e| panic!("{n}: {e}"));
        let outcome = match (&t.asm, &t.raw) {
            (Some(_), _) => t.assemble().unwrap().map(|_| ()),
            (None, Some(raw)) => decode_bytes(raw).map(|_| ()).map_err(ProgramError::Decode),
            (None, None) => panic!("{n}: neither asm nor raw"),
        };
        match outcome {
            Err(e) => {
                println!("refused {n}: {e}");
                refused += 1;
            }
            Ok(()) => accepted.push(n),
        }
    }
    println!(
        "{refused} refused, {} accepted, {other} other files not checked here",
        accepted.len()
    );
    assert!(accepted.is_empty(), "accepted although invalid: {accepted:?}");
}

/// The suite's own runner-level negative files: each must not pass (`empty*` have no program,
/// `error.data` expects a refusal of a valid program, `incorrect_return_value_high_bits.data`
/// expects a wrong r0 that only a 32-bit comparison would accept).
#[test]
fn runner_negatives_do_not_pass() {
    let Some(files) = data_files("negative") else { return };
    let mut checked = 0;
    for f in &files {
        let n = name(f);
        if n.starts_with("unused-") || n.starts_with("invalid_") {
            continue;
        }
        checked += 1;
        let v = conformance::check_text(&read(f));
        assert_ne!(v, Verdict::Pass, "{n} passed");
    }
    println!("{checked} runner-level negative files, none passes");
}
