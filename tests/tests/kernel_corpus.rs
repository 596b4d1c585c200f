//! The verifier corpus (tests/verifier-corpus): every program is well formed, has the kernel's
//! answer beside it, and — where bpf() works and the kernel is the 6.18 that wrote the
//! answers — the running kernel still gives that answer.

use bpfplay_tests::corpus::{ask_kernel, case_paths, corpus_dir, Case, Expected};
use bpfplay_tests::kernel;

#[test]
fn corpus_is_well_formed() {
    let paths = case_paths();
    assert!(
        paths.len() >= 80,
        "only {} corpus programs in {}",
        paths.len(),
        corpus_dir().display()
    );
    let mut problems = Vec::new();
    for p in &paths {
        let case = match Case::load(p) {
            Ok(c) => c,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let exp = match case.expected() {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{e} (run kernel_oracle, see the corpus README)"));
                continue;
            }
        };
        if !case.log_path().exists() {
            problems.push(format!("{}: no {}", case.name, case.log_path().display()));
        }
        // Naming convention: `_ok` exactly for the programs the kernel accepts.
        if case.name.ends_with("_ok") != exp.accepted {
            problems.push(format!(
                "{}: named {} `_ok` but {}",
                case.name,
                if exp.accepted { "without" } else { "with" },
                if exp.accepted { "accepted" } else { "rejected" }
            ));
        }
        if exp.accepted != exp.errno.is_empty() || (exp.accepted && exp.first_error.is_some()) {
            problems.push(format!("{}: inconsistent answer {exp:?}", case.name));
        }
    }
    // No answers without a program.
    for e in std::fs::read_dir(corpus_dir()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(stem) =
            name.strip_suffix(".expected").or_else(|| name.strip_suffix(".kernel.log"))
        {
            if !corpus_dir().join(format!("{stem}.s")).exists() {
                problems.push(format!("{name} has no {stem}.s"));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

fn kernel_release() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim().to_string()
}

#[test]
fn kernel_still_agrees() {
    if !kernel::require("kernel_still_agrees") {
        return;
    }
    let release = kernel_release();
    let mut differ = Vec::new();
    for p in case_paths() {
        let case = Case::load(&p).unwrap();
        let Ok(want) = case.expected() else { continue };
        if case.unpriv && !kernel::require_that(&case.name, kernel::unpriv_available()) {
            continue;
        }
        let got: Expected = match ask_kernel(&case) {
            Ok((e, _log)) => e,
            Err(e) => {
                differ.push(format!("{}: {e}", case.name));
                continue;
            }
        };
        if got != want {
            differ.push(format!("{}:\n  expected {want:?}\n  kernel   {got:?}", case.name));
        }
    }
    if differ.is_empty() {
        return;
    }
    let report = format!(
        "{} corpus programs get another answer from kernel {release}:\n{}",
        differ.len(),
        differ.join("\n")
    );
    if release.starts_with("6.18") {
        panic!("{report}\n(if the kernel is right, regenerate with kernel_oracle: see tests/verifier-corpus/README.md)");
    }
    eprintln!("not failing, as the answers were written by Linux 6.18: {report}");
}
