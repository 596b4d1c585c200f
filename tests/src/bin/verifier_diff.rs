//! Differential campaign: random programs (tests/src/gen.rs) loaded into the running kernel and
//! into bpfplay's verifier; prints the agreement (verdict, first error line, processed-insn
//! count) overall, per program type and per feature, and every kind of disagreement with a
//! minimised reproducer written in the corpus format.
//!
//! usage: verifier_diff [--seed S] [--count N] [--unpriv] [--types t1,t2] [--out DIR]
//!                      [--no-write] [--repros K] [--max-tests N] [--verbose]
//!                      [--timeout SECS] [--in-process] [--loops WEIGHT]
//!                      [--minimise-secs SECS]
//!        verifier_diff --show SEED [--unpriv]     (print one program and both answers)
//!        verifier_diff --file F.s [--file G.s ...] [--log] (compare corpus-format files, with
//!                      times; --log prints both logs; exit 1 if any disagrees)
//!        verifier_diff --dir DIR                   (the same for every DIR/*.s)
//!
//! Reproducers go to tests/verifier-corpus/fuzz/ by default (never overwritten); each is
//! `NAME.s` with the kernel's `NAME.expected` and level-2 `NAME.kernel.log`.
//!
//! bpfplay verifies in a child process (`verifier_diff --worker`), restarted after a
//! verification that takes longer than `--timeout` (default 10 s): a hang is recorded as the
//! rejection `bpfplay timed out (> N s)`. `--in-process` verifies in this process instead.
//!
//! Needs a Linux kernel where bpf() works (root).

use bpfplay_tests::corpus::{ask_kernel, Case};
use bpfplay_tests::diff::{
    bpfplay_log, compare, disagreement_kind, kernel_answer, run_batch, subject_of, worker_main,
    BatchOptions, Ours, Subject,
};
use bpfplay_tests::gen::{generate, GenConfig};
use bpfplay_tests::kernel::{self, ProgType};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let mut seed = 1u64;
    let mut count = 1000u64;
    let mut unpriv = false;
    let mut types: Option<Vec<ProgType>> = None;
    let mut out = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("verifier-corpus/fuzz"));
    let mut repros = 1usize;
    let mut max_tests = 600usize;
    let mut verbose = false;
    let mut show: Option<u64> = None;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut timeout = 10u64;
    let mut in_process = false;
    let mut print_log = false;
    let mut loops: Option<u32> = None;
    let mut minimise_secs = 120u64;
    let mut args = std::env::args().skip(1);
    let num = |v: Option<String>, what: &str| -> u64 {
        v.and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{what} needs a number"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => seed = num(args.next(), "--seed"),
            "--count" => count = num(args.next(), "--count"),
            "--unpriv" => unpriv = true,
            "--types" => {
                let v = args.next().unwrap_or_default();
                types = Some(
                    v.split(',')
                        .map(|t| {
                            ProgType::from_name(t).unwrap_or_else(|| panic!("unknown type {t}"))
                        })
                        .collect(),
                );
            }
            "--out" => out = Some(PathBuf::from(args.next().expect("--out DIR"))),
            "--no-write" => out = None,
            "--repros" => repros = num(args.next(), "--repros") as usize,
            "--max-tests" => max_tests = num(args.next(), "--max-tests") as usize,
            "--verbose" | "-v" => verbose = true,
            "--show" => show = Some(num(args.next(), "--show")),
            "--worker" => {
                quiet_panics();
                worker_main();
                return ExitCode::SUCCESS;
            }
            "--timeout" => timeout = num(args.next(), "--timeout"),
            "--in-process" => in_process = true,
            "--log" => print_log = true,
            "--minimise-secs" => minimise_secs = num(args.next(), "--minimise-secs"),
            "--loops" => loops = Some(num(args.next(), "--loops") as u32),
            "--file" => files.push(PathBuf::from(args.next().expect("--file F.s"))),
            "--dir" => {
                let d = PathBuf::from(args.next().expect("--dir DIR"));
                let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
                    .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "s"))
                    .collect();
                v.sort();
                files.extend(v);
            }
            _ => {
                eprintln!("usage: verifier_diff [--seed S] [--count N] [--unpriv] [--types t1,t2] [--out DIR] [--no-write] [--repros K] [--max-tests N] [--verbose] | --show SEED [--unpriv]");
                return ExitCode::from(2);
            }
        }
    }
    if let Err(why) = kernel::available() {
        eprintln!("verifier_diff: the kernel's bpf() is not usable here: {why}");
        return ExitCode::from(2);
    }
    if unpriv {
        if let Err(why) = kernel::unpriv_available() {
            eprintln!("verifier_diff: cannot load unprivileged-like here: {why}");
            return ExitCode::from(2);
        }
    }
    let mut cfg = GenConfig::new(unpriv);
    if let Some(t) = types {
        cfg.types = t;
    }
    if let Some(w) = loops {
        cfg.loop_weight = w;
    }
    let exe = std::env::current_exe().expect("own path");
    let mut ours = if in_process {
        Ours::in_process()
    } else {
        Ours::worker(exe.clone(), Duration::from_secs(timeout))
    };
    if !files.is_empty() {
        let mut differ = 0;
        for f in &files {
            let case = match Case::load(f) {
                Ok(c) => c,
                Err(e) => {
                    println!("{e}");
                    continue;
                }
            };
            let s = Subject::from_case(&case);
            if print_log {
                match ask_kernel(&case) {
                    Ok((_, log)) => println!("---- kernel log\n{log}"),
                    Err(e) => println!("kernel: {e}"),
                }
                println!("---- bpfplay log\n{}", bpfplay_log(&s, case.log_level));
            }
            let t = std::time::Instant::now();
            let k = kernel_answer(&s, case.log_level.max(1));
            let kt = t.elapsed();
            let (o, ot) = ours.answer(&s, case.log_level.max(1));
            match k {
                Ok(k) => {
                    println!(
                        "{}:\n  kernel:  {} ({kt:?})\n  bpfplay: {} ({ot:?})",
                        f.display(),
                        k.summary(),
                        o.summary()
                    );
                    if let Some(d) = disagreement_kind(&k, &o) {
                        println!("  DISAGREE: {d}");
                        differ += 1;
                    }
                }
                Err(e) => println!("{}: kernel: {e}", f.display()),
            }
        }
        println!("{} files, {differ} disagree", files.len());
        return if differ > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    }
    if let Some(s) = show {
        let g = generate(s, &cfg);
        println!("{}", g.source(&format!("seed {s}, tags {}", g.tags.join(" "))));
        match subject_of(g.prog_type, g.unpriv, &g.maps, &g.body)
            .and_then(|(s, _)| compare(&s, &mut ours))
        {
            Ok(o) => {
                println!("kernel:  {}\nbpfplay: {}", o.kernel.summary(), o.ours.summary());
                if let Some(k) = o.kind {
                    println!("DISAGREE: {k}");
                }
            }
            Err(e) => println!("error: {e}"),
        }
        return ExitCode::SUCCESS;
    }
    quiet_panics();
    let t0 = std::time::Instant::now();
    drop(ours);
    let opts = BatchOptions {
        seed,
        count,
        cfg,
        out,
        repros_per_kind: repros,
        max_tests,
        verbose,
        progress: true,
        worker: (!in_process).then_some(exe),
        timeout: Duration::from_secs(timeout),
        minimise_for: Duration::from_secs(minimise_secs),
    };
    let b = run_batch(&opts);
    let mode = if unpriv { "unprivileged-like" } else { "privileged" };
    print!(
        "{}",
        b.report(&format!(
            "verifier_diff: seeds {seed}..{} ({mode}), {:.1}s",
            seed + count,
            t0.elapsed().as_secs_f64()
        ))
    );
    ExitCode::SUCCESS
}

/// bpfplay panics are recorded as disagreements; print them on one line.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("bpfplay panicked at {loc}");
    }));
}
