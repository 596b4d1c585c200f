//! Soundness campaign: random type-aware programs (tests/src/gen.rs) verified by bpfplay; every
//! accepted one runs in bpfplay's interpreter on several random inputs (tests/src/sound.rs),
//! and any run-time fault, budget overrun or panic is a counterexample, minimised and written
//! to tests/soundness-corpus/ (see its README).
//!
//! usage: soundness [--seed S] [--count N] [--unpriv] [--types t1,t2] [--inputs K] [--mutants M]
//!                  [--loops WEIGHT] [--out DIR] [--no-write] [--secs LIMIT]
//!        soundness --file F.s [--file G.s ...]   (re-check counterexample files)
//!
//! Needs no kernel. Prints a progress line every 10 s and the totals at the end; exit 1 if
//! any counterexample was found.

use bpfplay_tests::diff::subject_of;
use bpfplay_tests::diff::Subject;
use bpfplay_tests::gen::Rng;
use bpfplay_tests::gen::{generate, GenConfig};
use bpfplay_tests::kernel::ProgType;
use bpfplay_tests::sound::{
    check, check_generated, load_repro, minimise, mutate, rejected_faults, write_repro, Tally,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let mut seed = 1u64;
    let mut count = 10_000u64;
    let mut unpriv = false;
    let mut types: Option<Vec<ProgType>> = None;
    let mut inputs = 8usize;
    let mut mutants = 4usize;
    // --print: each program (and mutant) on stderr before it is checked, to find the one a
    // crash or an out-of-memory kill stopped at.
    let mut print = false;
    let mut loops: Option<u32> = None;
    let mut out = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("soundness-corpus"));
    let mut secs: Option<u64> = None;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    let usage = "usage: soundness [--seed S] [--count N] [--unpriv] [--types t1,t2] [--inputs K] [--mutants M] [--loops W] [--out DIR] [--no-write] [--print] [--secs LIMIT] | --file F.s ...";
    while let Some(a) = args.next() {
        let mut num = |what: &str| -> Option<u64> {
            let v = args.next().and_then(|s| s.parse().ok());
            if v.is_none() {
                eprintln!("{what} needs a number\n{usage}");
            }
            v
        };
        match a.as_str() {
            "--seed" => match num("--seed") {
                Some(v) => seed = v,
                None => return ExitCode::from(2),
            },
            "--count" => match num("--count") {
                Some(v) => count = v,
                None => return ExitCode::from(2),
            },
            "--mutants" => match num("--mutants") {
                Some(v) => mutants = v as usize,
                None => return ExitCode::from(2),
            },
            "--inputs" => match num("--inputs") {
                Some(v) => inputs = v as usize,
                None => return ExitCode::from(2),
            },
            "--loops" => match num("--loops") {
                Some(v) => loops = Some(v as u32),
                None => return ExitCode::from(2),
            },
            "--secs" => match num("--secs") {
                Some(v) => secs = Some(v),
                None => return ExitCode::from(2),
            },
            "--unpriv" => unpriv = true,
            "--no-write" => out = None,
            "--print" => print = true,
            "--out" => out = args.next().map(PathBuf::from),
            "--file" => files.extend(args.next().map(PathBuf::from)),
            "--types" => {
                let v = args.next().unwrap_or_default();
                let t: Option<Vec<ProgType>> = v.split(',').map(ProgType::from_name).collect();
                match t {
                    Some(t) => types = Some(t),
                    None => {
                        eprintln!("--types: unknown type in `{v}`");
                        return ExitCode::from(2);
                    }
                }
            }
            _ => {
                eprintln!("{usage}");
                return ExitCode::from(2);
            }
        }
    }
    // Panics are caught and counted; keep them to one line.
    std::panic::set_hook(Box::new(|info| {
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("panic at {loc}");
    }));
    if !files.is_empty() {
        let mut bad = 0;
        for f in &files {
            match load_repro(f) {
                Ok(r) => {
                    let c = check(&Subject::from_case(&r.case), &[r.input_seed]);
                    match c.finding {
                        Some(x) => {
                            bad += 1;
                            println!("{}: reproduces: {}: {}", f.display(), x.class, x.detail)
                        }
                        None => println!(
                            "{}: no longer reproduces ({})",
                            f.display(),
                            if c.accepted { "accepted, runs cleanly" } else { "rejected" }
                        ),
                    }
                }
                Err(e) => println!("{}: {e}", f.display()),
            }
        }
        return if bad > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    }
    let mut cfg = GenConfig::new(unpriv);
    if let Some(t) = types {
        cfg.types = t;
    }
    if let Some(w) = loops {
        cfg.loop_weight = w;
    }
    let t0 = Instant::now();
    let mut last = Instant::now();
    // Watchdog: a program that takes longer than 10 s (verification plus runs) is reported
    // while it runs, so that a hang is seen and can be reproduced by its seed.
    let current = Arc::new((AtomicU64::new(u64::MAX), AtomicU64::new(0)));
    {
        let current = current.clone();
        std::thread::spawn(move || {
            let mut reported = u64::MAX;
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let s = current.0.load(Ordering::Relaxed);
                let since = current.1.load(Ordering::Relaxed);
                let now = t0.elapsed().as_secs();
                if s != u64::MAX && s != reported && now.saturating_sub(since) >= 10 {
                    println!(
                        "seed {s} (or one of its mutants): HANG? still running after {} s",
                        now - since
                    );
                    reported = s;
                }
            }
        });
    }
    let mut tally = Tally::default();
    let mut slow = 0u64;
    let mut mutant_tally = Tally::default();
    let mut mutant_found = 0usize;
    let mut rejected_runs = 0u64;
    let mut rejected_fault: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_class: BTreeMap<String, (usize, Vec<PathBuf>)> = BTreeMap::new();
    for s in seed..seed + count {
        if secs.is_some_and(|l| t0.elapsed() > Duration::from_secs(l)) {
            break;
        }
        let g = generate(s, &cfg);
        current.1.store(t0.elapsed().as_secs(), Ordering::Relaxed);
        current.0.store(s, Ordering::Relaxed);
        if print {
            eprintln!("== seed {s}\n{}", g.body.join("\n"));
        }
        let p0 = Instant::now();
        let c = check_generated(&g, inputs);
        let took = p0.elapsed();
        current.0.store(u64::MAX, Ordering::Relaxed);
        if took > Duration::from_secs(10) {
            println!(
                "seed {s}: slow: {took:.1?} (verification {:.1?})",
                c.as_ref().map(|c| c.verify_time).unwrap_or_default()
            );
            slow += 1;
        }
        let accepted = c.as_ref().is_some_and(|c| c.accepted);
        let rejected = c.as_ref().is_some_and(|c| !c.accepted && c.finding.is_none());
        let before = tally.findings.len();
        tally.add(&g, c);
        // The oracle's own check: do rejected programs fault when run anyway?
        if rejected {
            if let Ok((sub, _)) = subject_of(g.prog_type, g.unpriv, &g.maps, &g.body) {
                rejected_runs += 1;
                if let Some(class) = rejected_faults(&sub, s) {
                    *rejected_fault.entry(class).or_default() += 1;
                }
            }
        }
        // Mutants of an accepted program: small edits near the edges the verifier must get
        // right; those it still accepts are run too.
        if accepted && mutants > 0 {
            let mut rng = Rng::new(s ^ 0x6d75_7461_6e74);
            for m in 0..mutants {
                let mut mg = g.clone();
                mg.body = mutate(&g.body, &mut rng);
                if print {
                    eprintln!("== seed {s} mutant {m}\n{}", mg.body.join("\n"));
                }
                current.1.store(t0.elapsed().as_secs(), Ordering::Relaxed);
                current.0.store(s, Ordering::Relaxed);
                let mc = check_generated(&mg, inputs.div_ceil(2));
                current.0.store(u64::MAX, Ordering::Relaxed);
                mutant_tally.add(&mg, mc);
                if let Some(f) = mutant_tally
                    .findings
                    .last()
                    .filter(|_| mutant_tally.findings.len() > mutant_found)
                {
                    mutant_found = mutant_tally.findings.len();
                    tally.findings.push((mg.clone(), f.1.clone()));
                    println!("  (mutant {m} of seed {s})");
                }
            }
        }
        if tally.findings.len() > before {
            let (g, f) = tally.findings.last().unwrap().clone();
            let e = by_class.entry(format!("{} {}", g.prog_type.name(), f.class)).or_default();
            e.0 += 1;
            println!("seed {s}: {}: {}", f.class, f.detail);
            // Up to three reproducers per class and program type.
            if let (Some(dir), true) = (&out, e.1.len() < 3) {
                let body = minimise(&g, &f, 400);
                match write_repro(dir, &g, &body, &f) {
                    Ok(p) => {
                        println!("  -> {} ({} lines)", p.display(), body.len());
                        e.1.push(p);
                    }
                    Err(err) => println!("  cannot write: {err}"),
                }
            }
        }
        if last.elapsed() > Duration::from_secs(10) {
            last = Instant::now();
            eprintln!("[{:.0}s] seed {s}: {}", t0.elapsed().as_secs_f64(), tally.line());
        }
    }
    let mode = if unpriv { "unprivileged-like" } else { "privileged" };
    println!(
        "soundness: seeds {seed}.. ({mode}), {:.1}s, VmHWM {}",
        t0.elapsed().as_secs_f64(),
        vm_hwm()
    );
    println!("{}; {slow} programs took over 10 s", tally.line());
    println!("mutants: {}", mutant_tally.line());
    println!(
        "oracle check: {rejected_runs} rejected programs run anyway, {} faulted ({})",
        rejected_fault.values().sum::<u64>(),
        rejected_fault.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
    );
    for (k, (n, paths)) in &by_class {
        println!("  {n:6}  {k}");
        for p in paths {
            println!("          {}", p.display());
        }
    }
    if tally.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Peak resident memory of this process (`VmHWM` of /proc/self/status).
fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}
