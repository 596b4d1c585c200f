//! Golden logs: bpfplay's verifier log against the kernel's, line for line.
//! - Level 1: every corpus program is loaded into the running kernel at log level 1 (skipped,
//!   with a printed reason, where bpf() is unavailable; a failure under CI) and both logs are compared.
//! - Level 2: against the recorded `NAME.kernel.log` files, leaving out what bpfplay does not
//!   model (precision backtracking `mark_precise:` lines and the stack-liveness debug lines
//!   that start with `(0)`).
//!
//! Both fail on a case whose logs differ unless `tests/verifier-corpus/KNOWN.txt` lists it
//! (`log1` / `log2`, with the reason), and on a listed case whose logs are identical now.
//!
//! Map addresses differ by design: the kernel prints `r1 = 0xffff...` (or `0x0` unprivileged),
//! bpfplay `r1 = map[NAME]`; both become `r1 = <map>` before comparing.

use bpfplay_core::maps::{MapDef, MapKind};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::verifier::{verify, Options};
use bpfplay_tests::corpus::{case_paths, corpus_dir, Case};
use bpfplay_tests::kernel::{self, prog_load, prog_load_unpriv, Map};
use bpfplay_tests::known::{Known, Observed};
use bpfplay_tests::logs::{first_diff, normalise};

fn defs(case: &Case) -> Vec<MapDef> {
    case.maps
        .iter()
        .map(|m| MapDef {
            name: m.name.clone(),
            kind: MapKind::parse(m.kind.name()).unwrap(),
            key_size: m.key_size,
            value_size: m.value_size,
            max_entries: m.max_entries,
            flags: m.flags,
            inner: None,
            record: Default::default(),
            map_extra: m.map_extra,
        })
        .collect()
}

fn known() -> Known {
    Known::load(&corpus_dir().join("KNOWN.txt"))
}

fn ours(case: &Case, level: u32) -> String {
    let ty = ProgType::parse(case.prog_type.name()).unwrap();
    verify(
        &case.raw,
        &defs(case),
        &Options { prog_type: ty, unpriv: case.unpriv, log_level: level, trace: false },
    )
    .log
}

#[test]
fn level1_logs_match_the_kernel() {
    if !kernel::require("level1_logs_match_the_kernel") {
        return;
    }
    let (mut same, mut total) = (0, 0);
    let mut differ = Vec::new();
    for path in case_paths() {
        let case = Case::load(&path).unwrap();
        if case.log_level == 0 {
            continue;
        }
        let mut maps: Vec<Map> = Vec::new();
        for m in &case.maps {
            maps.push(m.create().unwrap());
        }
        let r = if case.unpriv {
            prog_load_unpriv(case.prog_type, &case.raw, 1, &maps).unwrap()
        } else {
            prog_load(case.prog_type, &case.raw, 1, &maps)
        };
        let has_maps = !case.maps.is_empty();
        let (k, o) = (normalise(&r.log, has_maps), normalise(&ours(&case, 1), has_maps));
        total += 1;
        if k == o {
            same += 1;
        } else {
            differ.push(Observed::new(&case.name, "log1", first_diff(&o, &k)));
        }
    }
    println!("level-1 logs identical to the kernel's: {same}/{total}");
    assert!(total > 200, "compared only {total} level-1 logs");
    known().check(&["log1"], &differ);
}

#[test]
fn level2_logs_match_the_recorded_kernel_logs() {
    let (mut same, mut total) = (0, 0);
    let mut differ = Vec::new();
    for path in case_paths() {
        let case = Case::load(&path).unwrap();
        if case.log_level != 2 {
            continue;
        }
        let Ok(k) = std::fs::read_to_string(case.log_path()) else { continue };
        let has_maps = !case.maps.is_empty();
        let (k, o) = (normalise(&k, has_maps), normalise(&ours(&case, 2), has_maps));
        total += 1;
        if k == o {
            same += 1;
        } else {
            differ.push(Observed::new(&case.name, "log2", first_diff(&o, &k)));
        }
    }
    println!("level-2 logs identical to the kernel's (precision and liveness debug lines left out): {same}/{total}");
    assert!(total > 200, "compared only {total} level-2 logs");
    known().check(&["log2"], &differ);
}
