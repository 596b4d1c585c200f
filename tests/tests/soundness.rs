//! Soundness (tests/src/sound.rs): programs bpfplay's verifier accepts run in its interpreter
//! without a run-time fault, budget overrun or panic. A short fixed-seed campaign over
//! generated programs and their mutants, the counterexample corpus (tests/soundness-corpus/)
//! as regression tests, and a check that the oracle does see faults. Long campaigns: the
//! `soundness` binary.

use bpfplay_tests::corpus::Case;
use bpfplay_tests::diff::Subject;
use bpfplay_tests::gen::{generate, GenConfig, Rng};
use bpfplay_tests::sound::{
    check, check_generated, corpus_paths, load_repro, mutate, rejected_faults, Tally,
};
use std::path::Path;

fn campaign(seed: u64, count: u64, unpriv: bool) -> (Tally, Tally) {
    let mut cfg = GenConfig::new(unpriv);
    // Constant-bounded loops can take bpfplay's verifier seconds each; the campaigns cover them.
    cfg.loop_weight = 0;
    let (mut t, mut mt) = (Tally::default(), Tally::default());
    for s in seed..seed + count {
        let g = generate(s, &cfg);
        let c = check_generated(&g, 4);
        let accepted = c.as_ref().is_some_and(|c| c.accepted);
        t.add(&g, c);
        if accepted {
            let mut rng = Rng::new(s);
            for _ in 0..2 {
                let mut mg = g.clone();
                mg.body = mutate(&g.body, &mut rng);
                let mc = check_generated(&mg, 2);
                mt.add(&mg, mc);
            }
        }
    }
    (t, mt)
}

fn assert_clean(t: &Tally, what: &str) {
    println!("{what}: {}", t.line());
    assert!(
        t.accepted >= t.programs / 5,
        "{what}: only {} of {} accepted: the campaign tests little",
        t.accepted,
        t.programs
    );
    let list: Vec<String> = t
        .findings
        .iter()
        .map(|(g, f)| format!("seed {}: {}: {}", g.seed, f.class, f.detail))
        .collect();
    assert!(list.is_empty(), "{what}: accepted programs that fault at run time (reproduce with the soundness binary):\n{}", list.join("\n"));
}

#[test]
fn random_programs_run_cleanly_privileged() {
    let (t, mt) = campaign(7_000_000, 400, false);
    assert_clean(&t, "privileged, seeds 7000000..7000400");
    assert_clean(&mt, "privileged mutants");
}

#[test]
fn random_programs_run_cleanly_unprivileged() {
    let (t, mt) = campaign(8_000_000, 300, true);
    assert_clean(&t, "unprivileged-like, seeds 8000000..8000300");
    assert_clean(&mt, "unprivileged-like mutants");
}

/// Every counterexample marked fixed stays fixed; open ones are listed.
#[test]
fn counterexample_corpus() {
    let mut failed = Vec::new();
    for p in corpus_paths() {
        let r = load_repro(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let c = check(&Subject::from_case(&r.case), &[r.input_seed]);
        match (&c.finding, r.fixed) {
            (Some(f), true) => failed.push(format!("{}: {}: {}", p.display(), f.class, f.detail)),
            (Some(f), false) => println!("open: {}: {}", p.display(), f.class),
            (None, false) => println!(
                "open case no longer reproduces (mark it `// status: fixed`): {}",
                p.display()
            ),
            (None, true) => {}
        }
    }
    assert!(failed.is_empty(), "fixed counterexamples reproduce again:\n{}", failed.join("\n"));
}

/// The oracle sees faults: a program the verifier rejects for a wild access faults when run
/// anyway, and `check` flags nothing for it (it is rejected).
#[test]
fn oracle_sees_faults() {
    let src = "// type: socket_filter\nr0 = *(u64 *)(r1 + 4000)\nexit\n";
    let case = Case::parse("wild", Path::new("wild.s"), src).unwrap();
    let s = Subject::from_case(&case);
    assert_eq!(rejected_faults(&s, 1).as_deref(), Some("memory"));
    let c = check(&s, &[1]);
    assert!(!c.accepted && c.finding.is_none());
    // An accepted program runs cleanly on every input kind, the 14-byte frame included.
    let src = "// type: xdp\nr2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 14\nif r4 > r3 goto out\nr0 = *(u8 *)(r2 + 13)\nout:\nr0 = 2\nexit\n";
    let case = Case::parse("ok", Path::new("ok.s"), src).unwrap();
    let c = check(&Subject::from_case(&case), &(0..32).collect::<Vec<_>>());
    assert!(c.accepted && c.finding.is_none() && c.runs == 32, "{c:?}");
}
