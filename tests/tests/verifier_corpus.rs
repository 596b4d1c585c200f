//! bpfplay's verifier against the kernel's answers recorded in tests/verifier-corpus
//! (verdict, first error line, processed-instruction count). Runs anywhere: the kernel's
//! answers are files. Prints the agreement and every disagreement.

use bpfplay_core::maps::{MapDef, MapKind};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::verifier::{verify, Options};
use bpfplay_tests::corpus::{case_paths, Case};

fn map_def(m: &bpfplay_tests::corpus::MapSpec) -> MapDef {
    MapDef {
        name: m.name.clone(),
        kind: MapKind::parse(m.kind.name()).expect("corpus map kinds are bpfplay's"),
        key_size: m.key_size,
        value_size: m.value_size,
        max_entries: m.max_entries,
        flags: m.flags,
    }
}

pub struct Tally {
    pub total: usize,
    pub verdict: usize,
    pub message: usize,
    pub processed: usize,
    pub processed_total: usize,
    pub failures: Vec<String>,
}

pub fn run_corpus(paths: &[std::path::PathBuf]) -> Tally {
    let mut t = Tally {
        total: 0,
        verdict: 0,
        message: 0,
        processed: 0,
        processed_total: 0,
        failures: Vec::new(),
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
        }
        let ours_msg = v.error.as_ref().map(|e| e.message.clone());
        // Without a kernel message (refused before verifying, or recorded without a log),
        // any rejection matches.
        let no_kernel_msg = !exp.accepted && exp.first_error.is_none() && ours_msg.is_some();
        if exp.accepted || ours_msg == exp.first_error || no_kernel_msg {
            t.message += 1;
        } else {
            notes.push(format!("message: ours {:?} kernel {:?}", ours_msg, exp.first_error));
        }
        if let Some(p) = exp.processed_insns {
            t.processed_total += 1;
            if p == v.processed {
                t.processed += 1;
            } else {
                notes.push(format!("processed: ours {} kernel {}", v.processed, p));
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
    // Floors at the level measured when this test was written; raise them as the verifier improves.
    assert!(pct(t.verdict, t.total) >= 99.0, "verdict agreement fell");
    assert!(pct(t.message, t.total) >= 97.0, "first-message agreement fell");
    assert!(pct(t.processed, t.processed_total) >= 95.0, "processed-count agreement fell");
}

/// The minimised disagreements found by random campaigns (tests/verifier-corpus/fuzz/, with the
/// kernel's recorded answers). Every one must agree on verdict and first message except those
/// listed in `fuzz/KNOWN-DISAGREEMENTS` (name and reason), which are the open work.
#[test]
fn fuzz_reproducers_agree_except_the_known_ones() {
    let dir = bpfplay_tests::corpus::corpus_dir().join("fuzz");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz reproducers")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    paths.sort();
    let known_text = std::fs::read_to_string(dir.join("KNOWN-DISAGREEMENTS")).unwrap_or_default();
    let known: Vec<&str> = known_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let t = run_corpus(&paths);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let failing: Vec<&str> = t
        .failures
        .iter()
        .filter(|f| f.contains("verdict:") || f.contains("message:"))
        .map(|f| f.split(':').next().unwrap())
        .collect();
    for f in &t.failures {
        let name = f.split(':').next().unwrap();
        if (f.contains("verdict:") || f.contains("message:")) && !known.contains(&name) {
            unexpected.push(f.clone());
        }
    }
    for k in &known {
        if !failing.contains(k) {
            fixed.push(*k);
        }
    }
    println!(
        "fuzz reproducers: {} programs; verdict {}, first message {}, processed {}/{}; known disagreements {}",
        t.total, t.verdict, t.message, t.processed, t.processed_total, known.len()
    );
    for k in &fixed {
        println!("  now agrees (take it off KNOWN-DISAGREEMENTS): {k}");
    }
    assert!(t.total >= 100, "the reproducers went missing");
    assert!(
        unexpected.is_empty(),
        "reproducers that agreed now disagree:\n{}",
        unexpected.join("\n")
    );
}
