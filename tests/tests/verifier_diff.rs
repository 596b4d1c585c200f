//! bpfplay's verifier against the running kernel's on a fixed batch of generated programs
//! (tests/src/gen.rs): prints the agreement and the kinds of disagreement, and, on Linux 6.18,
//! fails on any program that disagrees (verdict, first message or processed count) unless
//! `tests/verifier-corpus/KNOWN-RANDOM.txt` lists it (`priv-SEED` / `unpriv-SEED`, with the
//! reason), and on a listed one that agrees now. The programs are fixed by their seeds; the
//! kernel's answers depend on the kernel, so on another kernel the differences are printed
//! only. Skips, saying why, where bpf() is not usable (fails under CI: `kernel::require`). Campaigns: `cargo run --release -p
//! bpfplay-tests --bin verifier_diff -- --help`.

use bpfplay_tests::corpus::corpus_dir;
use bpfplay_tests::diff::{run_batch, Batch, BatchOptions};
use bpfplay_tests::gen::GenConfig;
use bpfplay_tests::kernel;
use bpfplay_tests::known::{Known, Observed};
use std::path::PathBuf;
use std::time::Duration;

fn batch(seed: u64, count: u64, unpriv: bool) -> Batch {
    let mut cfg = GenConfig::new(unpriv);
    if unpriv {
        // Loops make the kernel run to its 1M-instruction limit here (seconds each): the
        // campaigns cover them.
        cfg.loop_weight = 0;
    }
    let opts = BatchOptions {
        seed,
        count,
        cfg,
        out: None,
        repros_per_kind: 0,
        max_tests: 0,
        verbose: false,
        progress: false,
        // bpfplay verifies in a child process, so that a hang costs the timeout, not the run.
        worker: Some(PathBuf::from(env!("CARGO_BIN_EXE_verifier_diff"))),
        timeout: Duration::from_secs(2),
        minimise_for: Duration::ZERO,
    };
    run_batch(&opts)
}

fn check(b: &Batch, title: &str, prefix: &str) {
    print!("{}", b.report(title));
    assert!(b.errors.is_empty(), "programs that could not be compared: {:?}", b.errors);
    assert!(b.all.total >= 100, "only {} programs compared", b.all.total);
    let mut observed = Vec::new();
    for (seed, o) in &b.disagreeing {
        let name = format!("{prefix}-{seed}");
        let detail = format!("kernel {} / bpfplay {}", o.kernel.summary(), o.ours.summary());
        if !o.agreement.verdict {
            observed.push(Observed::new(&name, "verdict", detail.clone()));
        }
        if !o.agreement.message {
            observed.push(Observed::new(&name, "message", detail.clone()));
        }
        if o.agreement.processed == Some(false) {
            observed.push(Observed::new(&name, "processed", detail.clone()));
        }
    }
    let mut known = Known::load(&corpus_dir().join("KNOWN-RANDOM.txt"));
    // The file holds both batches; this one's entries are `PREFIX-SEED`.
    known.entries.retain(|e| e.name.starts_with(&format!("{prefix}-")));
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    match known.compare(&["verdict", "message", "processed"], &observed) {
        Ok(()) => {}
        Err(msg) if release.starts_with("6.18") => {
            panic!("{msg}(campaigns and reproducers: verifier_diff --help)")
        }
        Err(msg) => println!("not failing, as the list was written on Linux 6.18: {msg}"),
    }
}

#[test]
fn random_programs_privileged() {
    if !kernel::require("random_programs_privileged") {
        return;
    }
    let b = batch(1_000_000, 300, false);
    check(&b, "random programs, privileged (seeds 1000000..1000300)", "priv");
}

#[test]
fn random_programs_unprivileged() {
    if !kernel::require_unpriv("random_programs_unprivileged") {
        return;
    }
    let b = batch(2_000_000, 300, true);
    check(&b, "random programs, unprivileged-like (seeds 2000000..2000300)", "unpriv");
}
