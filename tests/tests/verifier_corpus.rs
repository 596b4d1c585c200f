//! bpfplay's verifier against the kernel's answers recorded in tests/verifier-corpus
//! (verdict, first error line, processed-instruction count). Runs anywhere: the kernel's
//! answers are files. Prints the agreement and every disagreement; fails on any disagreement
//! not listed, with its reason, in `KNOWN.txt` (the corpus) or `fuzz/KNOWN-DISAGREEMENTS`
//! (the reproducers), and on any listed one that agrees now (`bpfplay_tests::known`).

use bpfplay_core::maps::{MapDef, MapKind};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::verifier::{verify, Options};
use bpfplay_tests::corpus::{case_paths, corpus_dir, Case};
use bpfplay_tests::known::{Known, Observed};

fn map_def(m: &bpfplay_tests::corpus::MapSpec) -> MapDef {
    MapDef {
        name: m.name.clone(),
        kind: MapKind::parse(m.kind.name()).expect("corpus map kinds are bpfplay's"),
        key_size: m.key_size,
        value_size: m.value_size,
        max_entries: m.max_entries,
        flags: m.flags,
        inner: None,
        record: Default::default(),
        map_extra: m.map_extra,
    }
}

pub struct Tally {
    pub total: usize,
    pub verdict: usize,
    pub message: usize,
    pub processed: usize,
    pub processed_total: usize,
    pub failures: Vec<String>,
    pub observed: Vec<Observed>,
}

pub fn run_corpus(paths: &[std::path::PathBuf]) -> Tally {
    let mut t = Tally {
        total: 0,
        verdict: 0,
        message: 0,
        processed: 0,
        processed_total: 0,
        failures: Vec::new(),
        observed: Vec::new(),
    };
    for path in paths {
        let case = Case::load(path).expect("corpus file parses");
        let exp = case.expected().expect("expected file");
        let maps: Vec<MapDef> = case.maps.iter().map(map_def).collect();
        let ty = ProgType::parse(case.prog_type.name()).expect("program type");
        let opts =
            Options { prog_type: ty, unpriv: case.unpriv, log_level: case.log_level, trace: false };
        let v = verify(&case.raw, &maps, &opts);
        t.total += 1;
        let mut notes = Vec::new();
        if v.accepted == exp.accepted {
            t.verdict += 1;
        } else {
            notes.push(format!("verdict: ours {} kernel {}", v.accepted, exp.accepted));
            t.observed.push(Observed::new(&case.name, "verdict", notes.last().unwrap().clone()));
        }
        let ours_msg = v.error.as_ref().map(|e| e.message.clone());
        // Without a kernel message (refused before verifying, or recorded without a log),
        // any rejection matches.
        let no_kernel_msg = !exp.accepted && exp.first_error.is_none() && ours_msg.is_some();
        if exp.accepted || ours_msg == exp.first_error || no_kernel_msg {
            t.message += 1;
        } else {
            notes.push(format!("message: ours {:?} kernel {:?}", ours_msg, exp.first_error));
            t.observed.push(Observed::new(&case.name, "message", notes.last().unwrap().clone()));
        }
        if let Some(p) = exp.processed_insns {
            t.processed_total += 1;
            if p == v.processed {
                t.processed += 1;
            } else {
                notes.push(format!("processed: ours {} kernel {}", v.processed, p));
                t.observed.push(Observed::new(
                    &case.name,
                    "processed",
                    notes.last().unwrap().clone(),
                ));
            }
        }
        if !notes.is_empty() {
            t.failures.push(format!("{}: {}", case.name, notes.join("; ")));
        }
    }
    t
}

#[test]
fn verifier_agrees_with_the_kernel_corpus() {
    let t = run_corpus(&case_paths());
    for f in &t.failures {
        println!("  {f}");
    }
    let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    println!(
        "verifier corpus: {} programs; verdict {}/{} ({:.1}%), first message {}/{} ({:.1}%), processed count {}/{} ({:.1}%)",
        t.total,
        t.verdict,
        t.total,
        pct(t.verdict, t.total),
        t.message,
        t.total,
        pct(t.message, t.total),
        t.processed,
        t.processed_total,
        pct(t.processed, t.processed_total)
    );
    assert!(t.total >= 200, "the corpus went missing");
    Known::load(&corpus_dir().join("KNOWN.txt"))
        .check(&["verdict", "message", "processed"], &t.observed);
}

/// The minimised disagreements found by random campaigns (tests/verifier-corpus/fuzz/, with the
/// kernel's recorded answers). Every one must agree on verdict, first message and processed
/// count except those listed in `fuzz/KNOWN-DISAGREEMENTS` (the open work).
#[test]
fn fuzz_reproducers_agree_except_the_known_ones() {
    let dir = corpus_dir().join("fuzz");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz reproducers")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    paths.sort();
    let known = Known::load(&dir.join("KNOWN-DISAGREEMENTS"));
    let t = run_corpus(&paths);
    println!(
        "fuzz reproducers: {} programs; verdict {}, first message {}, processed {}/{}; known disagreements {}",
        t.total,
        t.verdict,
        t.message,
        t.processed,
        t.processed_total,
        known.entries.len()
    );
    assert!(t.total >= 100, "the reproducers went missing");
    known.check(&["verdict", "message", "processed"], &t.observed);
}
