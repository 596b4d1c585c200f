//! bpfplay's verifier on the Linux kernel's own verifier selftests
//! (tools/testing/selftests/bpf/progs/verifier_*.c of Linux 6.12, compiled as the selftests
//! Makefile does), against the running kernel's answers recorded by
//! `tests/selftests/regen.sh` (format: tests/selftests/README.md). Needs neither clang nor a
//! kernel: objects and answers are files.
//!
//! For every program of the four types bpfplay models, privileged and unprivileged-like:
//! bpfplay's ELF loader, then its verifier (log level 1), compared with the kernel on
//! verdict, first error message and processed-instruction count; a program bpfplay cannot
//! load disagrees on `load`. A program both accept that the kernel test-ran (64 zero bytes
//! in) is run by bpfplay's interpreter, with the object's tail-call targets, and its return
//! value compared (`run`). Every disagreement must be listed in `tests/selftests/KNOWN.txt`
//! (`bpfplay_tests::known`), and every listed one must still disagree. Programs the kernel
//! gave no verdict for (libbpf failed before or after loading it) are counted, not scored.
//! Programs of other types are counted per type, not scored yet.
//!
//! `SELFTESTS_KNOWN=write` rewrites KNOWN.txt from the current results: entries still seen
//! keep their reason, new ones get one derived from what differs ([`cause`]), the file is
//! grouped by reason.

use bpfplay_core::elf;
use bpfplay_core::program::from_object;
use bpfplay_core::progtype::ProgType;
use bpfplay_core::run::{default_world, run_many, Input, RunPlan};
use bpfplay_core::verifier::{Options, Verdict};
use bpfplay_tests::known::{Known, Observed};
use bpfplay_tests::logs::{first_diff, mask_addresses, normalise};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("selftests")
}

const MODES: [&str; 2] = ["priv", "unpriv"];

/// The kernel's answer to one program in one mode (level 1).
#[derive(Clone, Debug)]
struct Answer {
    accepted: bool,
    /// `loaded`, `EACCES`, `EINVAL`, ...
    verdict: String,
    /// Where a refusal came from: `verifier` (with a log), `kernel` (refused before
    /// verifying, no log), `libbpf`/`open`/`loader` (the kernel gave no verdict).
    stage: String,
    message: Option<String>,
    processed: Option<u64>,
    /// The 32-bit return value of the test run of an accepted program, where the kernel
    /// ran it (64 zero bytes in, as `test_loader.c` runs `__retval` programs).
    retval: Option<u32>,
    /// The hash, LRU hash and array maps after that run (`loader.c` `write_maps`): name,
    /// the entries whose value is not all zeros (key and value hex; a value over 256 bytes as
    /// `fnv:SIZE:HASH`), and whether there were more than the 64 kept.
    maps: Option<Vec<KernelMap>>,
}

/// A map as `loader.c` dumped it after the test run: name, entries (key, value as hex), and
/// whether more entries were left out.
type KernelMap = (String, Vec<(String, String)>, bool);

impl Answer {
    fn parse(v: &Value) -> Answer {
        let verdict = v["verdict"].as_str().expect("verdict").to_string();
        Answer {
            accepted: verdict == "loaded",
            stage: v["stage"].as_str().unwrap_or("").to_string(),
            message: v["message"].as_str().map(str::to_string),
            processed: v["processed"].as_u64(),
            retval: v["run"]["retval"].as_u64().map(|r| r as u32),
            maps: v["run"]["maps"].as_array().map(|ms| {
                ms.iter()
                    .map(|m| {
                        let entries = m["entries"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|e| {
                                let s = |i: usize| e[i].as_str().unwrap_or("").to_string();
                                (s(0), s(1))
                            })
                            .collect();
                        let name = m["name"].as_str().unwrap_or("").to_string();
                        (name, entries, m["more"].as_bool() == Some(true))
                    })
                    .collect()
            }),
            verdict,
        }
    }

    /// Whether the kernel answered for this program (rather than libbpf failing around it).
    fn has_verdict(&self) -> bool {
        self.accepted || self.stage == "verifier" || self.stage == "kernel"
    }
}

/// One program of the corpus.
struct Prog {
    object: String,
    name: String,
    kernel_type: String,
    answers: [Answer; 2],
}

struct Corpus {
    /// (object name, bytes) of every object that compiled.
    objects: Vec<(String, Vec<u8>)>,
    programs: Vec<Prog>,
    compile_errors: Vec<(String, String)>,
}

fn read_corpus() -> Corpus {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir().join("answers"))
        .expect("tests/selftests/answers")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut c = Corpus { objects: Vec::new(), programs: Vec::new(), compile_errors: Vec::new() };
    for p in &paths {
        let name = p.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(p).unwrap();
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", p.display()));
        assert_eq!(v["format"], 1, "{}: unknown format", p.display());
        if let Some(e) = v["compile_error"].as_str() {
            c.compile_errors.push((name, e.to_string()));
            continue;
        }
        let obj = dir().join("obj").join(format!("{name}.o"));
        let bytes = std::fs::read(&obj).unwrap_or_else(|e| panic!("{}: {e}", obj.display()));
        for prog in v["programs"].as_array().expect("programs") {
            let s = |k: &str| prog[k].as_str().unwrap_or_else(|| panic!("{name}: {k}")).to_string();
            c.programs.push(Prog {
                object: name.clone(),
                name: s("name"),
                kernel_type: s("type"),
                answers: MODES.map(|m| Answer::parse(&prog[m])),
            });
        }
        c.objects.push((name, bytes));
    }
    c
}

/// What one (program, mode) gave.
struct Row {
    ty: ProgType,
    mode: usize,
    loadable: bool,
    kernel_verdict: bool,
    verdict: bool,
    message: bool,
    /// None where the kernel printed no count.
    processed: Option<bool>,
    /// None where the kernel made no test run (or bpfplay rejected the program).
    run: Option<bool>,
}

/// A disagreement and what the two sides said, for the reason of a new KNOWN.txt entry.
struct Seen {
    observed: Observed,
    kernel: Answer,
    /// bpfplay's load error, or its verdict.
    ours: Result<Verdict, String>,
}

/// bpfplay on one program in one mode; its level-1 verdict, where it verified it.
fn compare(
    prog: &Prog,
    ty: ProgType,
    mode: usize,
    loaded: &Result<bpfplay_core::Loaded, String>,
    rows: &mut Vec<Row>,
    seen: &mut Vec<Seen>,
) -> Option<Verdict> {
    let k = &prog.answers[mode];
    let name = format!("{}/{}@{}", prog.object, prog.name, MODES[mode]);
    let mut row = Row {
        ty,
        mode,
        loadable: loaded.is_ok(),
        kernel_verdict: k.has_verdict(),
        verdict: false,
        message: false,
        processed: None,
        run: None,
    };
    if !k.has_verdict() {
        rows.push(row);
        return None;
    }
    let l = match loaded {
        Ok(l) => l,
        Err(e) => {
            seen.push(Seen {
                observed: Observed::new(&name, "load", format!("bpfplay: {e}")),
                kernel: k.clone(),
                ours: Err(e.clone()),
            });
            rows.push(row);
            return None;
        }
    };
    let v = l.verify(&Options { prog_type: ty, unpriv: mode == 1, log_level: 1, trace: false });
    let ours_msg = v.error.as_ref().map(|e| e.message.clone());
    let mut push = |what: &'static str, detail: String| {
        seen.push(Seen {
            observed: Observed::new(&name, what, detail),
            kernel: k.clone(),
            ours: Ok(v.clone()),
        })
    };
    row.verdict = v.accepted == k.accepted;
    if !row.verdict {
        push(
            "verdict",
            if v.accepted {
                format!("bpfplay accepts, kernel {}: {:?}", k.verdict, k.message)
            } else {
                format!("bpfplay rejects ({:?}), kernel accepts", ours_msg)
            },
        );
    }
    // As in verifier_corpus.rs: an accepted program has no message to compare (the verdict
    // says it), and without a kernel message (refused before verifying) any rejection fits.
    // Where the kernel's log glues the message to an instruction line (level 1 prints the
    // state after an instruction on its line, and the message comes first), the error-block
    // rule takes the whole line: it agrees when the rule gives the same on bpfplay's log.
    let glued = !v.accepted
        && k.message.as_ref().is_some_and(|m| m.contains(": ("))
        && bpfplay_tests::kernel::first_error(&v.log) == k.message;
    row.message = k.accepted
        || ours_msg == k.message
        || glued
        || (k.message.is_none() && ours_msg.is_some() && !v.accepted);
    if !row.message {
        push("message", format!("bpfplay {:?}, kernel {:?}", ours_msg, k.message));
    }
    if let Some(p) = k.processed {
        row.processed = Some(p == v.processed);
        if p != v.processed {
            push("processed", format!("bpfplay {}, kernel {}", v.processed, p));
        }
    }
    if let (Some(want), true) = (k.retval, v.accepted) {
        let got = test_run(l, ty);
        let maps_differ = match (&got, &k.maps) {
            (Ok((_, ours)), Some(kernel)) => maps_after_run_differ(l, ours, kernel),
            _ => None,
        };
        let ok = matches!(&got, Ok((r, _)) if *r == want) && maps_differ.is_none();
        row.run = Some(ok);
        if !ok {
            let detail = match (&got, maps_differ) {
                (Ok((r, _)), Some(m)) if *r == want => format!("maps after the run: {m}"),
                (Ok((r, _)), _) => format!("bpfplay retval {r}, kernel retval {want}"),
                (Err(e), _) => format!("bpfplay {e}, kernel retval {want}"),
            };
            push("run", detail);
        }
    }
    rows.push(row);
    Some(v)
}

/// The program run once as the kernel's `BPF_PROG_TEST_RUN` was in `loader.c`: 64 zero
/// bytes in, fresh maps with their initial values, the default world. Gives the return
/// value and the maps as the run left them.
fn test_run(
    l: &bpfplay_core::Loaded,
    ty: ProgType,
) -> Result<(u32, bpfplay_core::maps::MapStore), String> {
    let mut maps = l.map_store(1).map_err(|e| e.to_string())?;
    let input = Input::packet(vec![0; 64]);
    // The kernel has no instruction budget, only may_goto's (8M falls-through per frame, or
    // 250 ms): a budget that lets such loops end as they do there.
    let plan = RunPlan { budget: 100_000_000, ..RunPlan::default() };
    let o = run_many(&l.programs(), &mut maps, ty, &input, &default_world(), &plan)?;
    match o.last.error {
        Some(e) => Err(format!("run-time error: {e}")),
        None => Ok((o.last.retval, maps)),
    }
}

/// How bpfplay's maps after the run differ from the kernel's (None: they agree): for each
/// hash, LRU hash and array map, the entries with a value other than all zeros. The kernel
/// names `.bss`, `.data` and `.rodata` `<object prefix>.bss` and so on.
fn maps_after_run_differ(
    l: &bpfplay_core::Loaded,
    ours: &bpfplay_core::maps::MapStore,
    kernel: &[KernelMap],
) -> Option<String> {
    use bpfplay_core::hex::encode as hex;
    use bpfplay_core::maps::MapKind;
    let value_text = |v: &[u8]| {
        if v.len() <= 256 {
            hex(v)
        } else {
            let mut h: u64 = 0xcbf29ce484222325;
            for b in v {
                h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
            }
            format!("fnv:{}:{h:016x}", v.len())
        }
    };
    for (i, def) in l.maps.iter().enumerate() {
        if !matches!(def.kind, MapKind::Hash | MapKind::LruHash | MapKind::Array) {
            continue;
        }
        let named =
            |k: &str| k == def.name || (def.name.starts_with('.') && k.ends_with(&def.name));
        let theirs = kernel.iter().find(|(k, _, _)| named(k));
        if theirs.is_some_and(|t| t.2) {
            continue; // more entries than the kernel's dump keeps
        }
        let mut want: Vec<(String, String)> = theirs.map(|t| t.1.clone()).unwrap_or_default();
        let mut got: Vec<(String, String)> = ours
            .entries(i, 0)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, v)| def.kind != MapKind::Array || v.iter().any(|b| *b != 0))
            .map(|(k, v)| (hex(&k), value_text(&v)))
            .collect();
        want.sort();
        got.sort();
        if want != got {
            let show = |v: &[(String, String)]| {
                let s: Vec<String> = v.iter().take(3).map(|(k, x)| format!("{k}={x}")).collect();
                format!("[{}{}]", s.join(" "), if v.len() > 3 { " ..." } else { "" })
            };
            return Some(format!(
                "map `{}`: bpfplay {}, kernel {}",
                def.name,
                show(&got),
                show(&want)
            ));
        }
    }
    None
}

/// The kernel's `enum bpf_map_type` names (include/uapi/linux/bpf.h), for reasons.
const MAP_TYPES: &str = "unspec hash array prog_array perf_event_array percpu_hash \
    percpu_array stack_trace cgroup_array lru_hash lru_percpu_hash lpm_trie array_of_maps \
    hash_of_maps devmap sockmap cpumap xskmap sockhash cgroup_storage reuseport_sockarray \
    percpu_cgroup_storage queue stack sk_storage devmap_hash struct_ops ringbuf inode_storage \
    task_storage bloom_filter user_ringbuf cgrp_storage arena";

/// The number after `word ` in `s`.
fn number_after(s: &str, word: &str) -> Option<usize> {
    let rest = &s[s.find(word)? + word.len()..];
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// The name in backticks just before `before` in `s`.
fn quoted_before<'a>(s: &'a str, before: &str) -> Option<&'a str> {
    let end = s.find(before)?;
    let start = s[..end].rfind('`')? + 1;
    Some(&s[start..end])
}

/// The reason written for a new KNOWN.txt entry: the cause where this function can tell it
/// from the two answers, otherwise what differs, in both sides' words.
fn cause(s: &Seen) -> String {
    let text = |m: &Option<String>| match m {
        Some(m) => format!("{m:?}"),
        None => "no message".to_string(),
    };
    let ours_msg = |v: &Verdict| v.error.as_ref().map(|e| e.message.clone());
    match (s.observed.what, &s.ours) {
        ("load", Err(e)) => {
            if e.contains("in section `.maps` is neither a map nor global data") {
                "ELF: map reference not found: clang leaves the offsets of the `.maps` DATASEC \
                 at 0 (libbpf takes them from the symbol table), bpfplay takes them as they \
                 are, so only the first map of `.maps` is found"
                    .to_string()
            } else if e.contains("initial `values`") {
                "ELF: a map's initial `values` (prog_array slots naming tail-call targets) not \
                 supported"
                    .to_string()
            } else if let Some(n) = number_after(e, "map type ") {
                let kind = MAP_TYPES.split_whitespace().nth(n).unwrap_or("?");
                format!("map kind {kind} (type {n}) not modelled")
            } else if e.contains("is an extern") {
                // kconfig externs are CONFIG_* and LINUX_*; these selftests' other externs
                // are kfuncs (bpf_task_release, bpf_dynptr_slice, ...)
                let what = quoted_before(e, "` is an extern").unwrap_or("?");
                if what.starts_with("CONFIG_") || what.starts_with("LINUX_") {
                    "ELF: kconfig extern not supported".to_string()
                } else {
                    "ELF: kfunc extern not supported".to_string()
                }
            } else if e.contains("is a function pointer") {
                "ELF: function pointer (callback) not supported".to_string()
            } else if e.contains("R15 is invalid") || e.contains("is invalid") {
                "decoder: the loader refuses an invalid register, which the kernel's verifier \
                 reports itself"
                    .to_string()
            } else {
                format!("load: {e}")
            }
        }
        ("verdict", Ok(v)) if v.accepted => {
            format!("bpfplay accepts; kernel rejects: {}", text(&s.kernel.message))
        }
        ("verdict", Ok(v)) => {
            let m = ours_msg(v).unwrap_or_default();
            if m.contains("is not modelled by bpfplay yet") {
                format!("helper not modelled: bpfplay rejects ({m:?}); kernel accepts")
            } else if m.contains("LD_ABS is not allowed in subprogs without BTF") {
                "bpfplay does not read BTF func info (the subprogram's return type): it refuses \
                 LD_ABS in a subprogram; kernel accepts"
                    .to_string()
            } else if m.contains("failed: E2BIG") && s.observed.name.ends_with("@unpriv") {
                "bpfplay's unprivileged mode applies the 4096-instruction limit of a loader \
                 without CAP_BPF; the unprivileged-like kernel load keeps CAP_BPF (limit 1M)"
                    .to_string()
            } else {
                format!("bpfplay rejects ({m:?}); kernel accepts")
            }
        }
        ("message", Ok(v)) => {
            let ours = ours_msg(v);
            match (&s.kernel.message, &ours) {
                (Some(k), Some(o)) if k.ends_with(&format!(" {o}")) && k.contains(": (") => {
                    "message: at log level 1 the kernel prints it at the end of an instruction \
                     line (the error-block rule takes the whole line); bpfplay gives the message \
                     alone"
                        .to_string()
                }
                (_, Some(o)) if o.contains("is not modelled by bpfplay yet") => {
                    format!(
                        "helper not modelled: bpfplay {o:?}, kernel {}",
                        text(&s.kernel.message)
                    )
                }
                (_, Some(o)) if o.contains("LD_ABS is not allowed in subprogs without BTF") => {
                    format!(
                        "bpfplay does not read BTF func info: bpfplay {o:?}, kernel {}",
                        text(&s.kernel.message)
                    )
                }
                _ => format!(
                    "message differs: kernel {}; bpfplay {}",
                    text(&s.kernel.message),
                    text(&ours)
                ),
            }
        }
        ("processed", Ok(v)) => {
            if v.accepted != s.kernel.accepted {
                "processed differs because the verdict differs".to_string()
            } else if v.error.as_ref().map(|e| &e.message) != s.kernel.message.as_ref()
                && !v.accepted
            {
                "processed differs because the error differs".to_string()
            } else if v.accepted {
                "processed differs on an accepted program (path exploration or pruning)".to_string()
            } else {
                "processed differs on a rejected program with the same message (path \
                 exploration or pruning)"
                    .to_string()
            }
        }
        ("run", _) => format!("test run: {}", s.observed.detail),
        ("log1" | "log2", _) => unreachable!("log entries get log_cause"),
        _ => unreachable!(),
    }
}

/// KNOWN.txt from the disagreements seen: existing reasons kept, new ones from [`cause`],
/// grouped by reason (largest group first).
fn known_text(seen: &[Seen], old: &Known) -> String {
    let mut groups: BTreeMap<String, Vec<&Seen>> = BTreeMap::new();
    for s in seen {
        let o = &s.observed;
        let reason = old
            .entries
            .iter()
            .find(|e| e.name == o.name && e.what == o.what)
            .map(|e| e.reason.clone())
            .unwrap_or_else(|| {
                if matches!(o.what, "log1" | "log2") {
                    log_cause(s, seen)
                } else {
                    cause(s)
                }
            });
        groups.entry(reason).or_default().push(s);
    }
    let mut order: Vec<(&String, &Vec<&Seen>)> = groups.iter().collect();
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut t = String::from(
        "# Known disagreements of bpfplay with the kernel on the verifier selftests\n\
         # (tests/tests/selftests_corpus.rs; format: tests/src/known.rs). NAME is\n\
         # OBJECT/PROGRAM@MODE, WHAT one of verdict, message, processed, load, run, log1, log2.\n\
         # Grouped by reason, largest group first; `SELFTESTS_KNOWN=write cargo test -p\n\
         # bpfplay-tests --release --test selftests_corpus` rewrites it, keeping the reasons of\n\
         # entries still seen.\n",
    );
    for (reason, v) in order {
        let _ = writeln!(t, "\n# {} ({})", reason, v.len());
        let mut v = v.clone();
        v.sort_by(|a, b| {
            (a.observed.name.as_str(), a.observed.what)
                .cmp(&(b.observed.name.as_str(), b.observed.what))
        });
        for s in v {
            let _ = writeln!(t, "{}\t{}\t{}", s.observed.name, s.observed.what, reason);
        }
    }
    t
}

#[test]
fn bpfplay_agrees_with_the_kernel_on_the_verifier_selftests() {
    let c = read_corpus();
    assert!(c.objects.len() >= 90, "the objects went missing: {}", c.objects.len());
    assert!(c.programs.len() >= 1300, "the programs went missing: {}", c.programs.len());
    for (n, e) in &c.compile_errors {
        println!("not compiled: {n}: {e}");
    }

    let mut others: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    let mut seen = Vec::new();
    // Per mode, per level: (logs compared, identical).
    let mut log_rows = [[[0usize; 2]; 2]; 2];
    for (oname, bytes) in &c.objects {
        let obj = elf::load(bytes).map_err(|e| e.to_string());
        let logs = read_logs(oname);
        for prog in c.programs.iter().filter(|p| &p.object == oname) {
            let Some(ty) = ProgType::parse(&prog.kernel_type) else {
                *others.entry(&prog.kernel_type).or_default() += 1;
                continue;
            };
            let loaded = match &obj {
                Ok(o) => from_object(o, Some(&prog.name)).map_err(|e| e.to_string()),
                Err(e) => Err(e.clone()),
            };
            for (mode, r) in log_rows.iter_mut().enumerate() {
                let v = compare(prog, ty, mode, &loaded, &mut rows, &mut seen);
                if let (Ok(l), Some(v)) = (&loaded, v) {
                    compare_logs(prog, mode, l, v, &logs, r, &mut seen);
                }
            }
        }
    }

    println!(
        "verifier selftests: {} objects ({} did not compile), {} programs",
        c.objects.len(),
        c.compile_errors.len(),
        c.programs.len()
    );
    let n_other: usize = others.values().sum();
    println!("not scored (types bpfplay does not model): {n_other} programs");
    for (t, n) in &others {
        println!("  {t:<24} {n}");
    }
    println!(
        "{:<14} {:<7} {:>8} {:>8} {:>9} {:>16} {:>16} {:>16} {:>16}",
        "type",
        "mode",
        "programs",
        "loadable",
        "no answer",
        "verdict",
        "message",
        "processed",
        "test run"
    );
    let cell = |a: usize, b: usize| {
        let pct = if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
        format!("{a}/{b} {pct:.0}%")
    };
    for ty in ProgType::ALL {
        for (mode, mode_name) in MODES.iter().enumerate() {
            let r: Vec<&Row> = rows.iter().filter(|r| r.ty == ty && r.mode == mode).collect();
            let scored: Vec<&&Row> = r.iter().filter(|r| r.kernel_verdict).collect();
            let count = |f: &dyn Fn(&Row) -> bool| scored.iter().filter(|r| f(r)).count();
            println!(
                "{:<14} {:<7} {:>8} {:>8} {:>9} {:>16} {:>16} {:>16} {:>16}",
                ty.name(),
                mode_name,
                r.len(),
                r.iter().filter(|r| r.loadable).count(),
                r.len() - scored.len(),
                cell(count(&|r| r.verdict), scored.len()),
                cell(count(&|r| r.message), scored.len()),
                cell(count(&|r| r.processed == Some(true)), count(&|r| r.processed.is_some())),
                cell(count(&|r| r.run == Some(true)), count(&|r| r.run.is_some())),
            );
        }
    }
    println!(
        "(verdict and message of the programs the kernel answered for; processed where it \
         printed a count: not for loads refused before verifying; test run: return value of the \
         programs both accept that the kernel test-ran)"
    );

    for (rows, mode_name) in log_rows.iter().zip(MODES) {
        for (level, [n, same]) in rows.iter().enumerate() {
            println!("level-{} logs identical to the kernel's, {mode_name}: {same}/{n}", level + 1);
        }
    }
    let path = dir().join("KNOWN.txt");
    let known = Known::load(&path);
    if std::env::var("SELFTESTS_KNOWN").as_deref() == Ok("write") {
        std::fs::write(&path, known_text(&seen, &known)).unwrap();
        println!("wrote {} ({} entries)", path.display(), seen.len());
        return;
    }
    let observed: Vec<Observed> = seen.into_iter().map(|s| s.observed).collect();
    known.check(&["verdict", "message", "processed", "load", "run", "log1", "log2"], &observed);
}

/// The kernel's logs of one object (`logs/NAME.json.gz`).
fn read_logs(object: &str) -> Value {
    use std::io::Read as _;
    let path = dir().join("logs").join(format!("{object}.json.gz"));
    let Ok(f) = std::fs::File::open(&path) else { return Value::Null };
    let mut text = String::new();
    flate2::read::GzDecoder::new(f)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// bpfplay's level-1 and level-2 logs of one program in one mode against the kernel's, line
/// for line (both reduced by [`normalise`]: map addresses, and at level 2 the precision and
/// stack-liveness debug lines bpfplay does not print), where the kernel's log was kept whole.
fn compare_logs(
    prog: &Prog,
    mode: usize,
    l: &bpfplay_core::Loaded,
    level1: Verdict,
    logs: &Value,
    rows: &mut [[usize; 2]; 2],
    seen: &mut Vec<Seen>,
) {
    let name = format!("{}/{}@{}", prog.object, prog.name, MODES[mode]);
    let ty = ProgType::parse(&prog.kernel_type).expect("one of the four types");
    for level in 1..=2u32 {
        let key = if level == 1 { "log1" } else { "log2" };
        let Some(k) = logs[&prog.name][MODES[mode]][key].as_str() else { continue };
        if k.contains("[log: ") {
            continue;
        }
        let v = if level == 1 {
            level1.clone()
        } else {
            l.verify(&Options { prog_type: ty, unpriv: mode == 1, log_level: level, trace: false })
        };
        let has_maps = !l.maps.is_empty();
        // libbpf names the plain global-data maps after the object (`verifier.bss` here);
        // bpfplay's ELF loader has no object name and calls them by their sections.
        let mut ours = mask_addresses(&v.log);
        for sec in ["bss", "data", "rodata"] {
            ours = ours.replace(&format!("map=.{sec},"), &format!("map=verifier.{sec},"));
        }
        let (kn, on) = (normalise(k, has_maps), normalise(&ours, has_maps));
        rows[level as usize - 1][0] += 1;
        if kn == on {
            rows[level as usize - 1][1] += 1;
        } else {
            seen.push(Seen {
                observed: Observed::new(&name, key, first_diff(&on, &kn)),
                kernel: prog.answers[mode].clone(),
                ours: Ok(v),
            });
        }
    }
}

/// The reason for a new log entry, from the first line that differs.
fn log_cause(s: &Seen, other: &[Seen]) -> String {
    let name = &s.observed.name;
    if other.iter().any(|o| &o.observed.name == name && o.observed.what == "processed") {
        return "log: differs where the processed count differs (path exploration or pruning)"
            .to_string();
    }
    let d = &s.observed.detail;
    if d.contains("SCC enter") || d.contains("SCC exit") || d.contains("(scc") {
        return "log: 6.18's level-2 SCC (loop) debug lines, which bpfplay does not print"
            .to_string();
    }
    if d.contains("has pointer with unsupported alu operation") {
        return "log: 6.18 names the other register in \"has pointer with unsupported alu operation\" (see the message entries)".to_string();
    }
    format!("log: {d}")
}

/// The page edits an object as the assembly `elf::annotated` writes (its BTF signatures and
/// line records in comments) and verifies that text: for every program of the four types,
/// that gives the verdict and the level-2 log that verifying the object itself gives.
#[test]
fn an_objects_assembly_verifies_as_the_object() {
    let c = read_corpus();
    let (mut same, mut total, mut undecodable) = (0, 0, 0);
    let mut differ = Vec::new();
    for (oname, bytes) in &c.objects {
        let Ok(obj) = elf::load(bytes) else { continue };
        for prog in c.programs.iter().filter(|p| &p.object == oname) {
            let Some(ty) = ProgType::parse(&prog.kernel_type) else { continue };
            let Ok(l) = from_object(&obj, Some(&prog.name)) else { continue };
            let p = obj.program(Some(&prog.name)).unwrap();
            // A program with a slot that does not decode (an invalid register) has no
            // assembly; the page says so when it is opened.
            let Ok(text) = elf::annotated(&obj, p, oname) else {
                assert!(l.program.insns.is_empty(), "{oname}/{}: no assembly", prog.name);
                undecodable += 1;
                continue;
            };
            let a = bpfplay_core::program::from_source(&text, &[])
                .unwrap_or_else(|e| panic!("{oname}/{}: {e}", prog.name));
            assert_eq!(a.btf.funcs, l.btf.funcs, "{oname}/{}: func info", prog.name);
            let opts = Options { prog_type: ty, unpriv: false, log_level: 2, trace: false };
            let (mut x, y) = (l.verify(&opts), a.verify(&opts));
            total += 1;
            // Map names differ by design: the assembly's are identifiers (`.bss` is `bss`
            // there), and LD_IMM64 lines name maps differently; compare the normalised logs
            // with the object's names written as the assembly writes them.
            for (m, asm) in obj.maps.iter().zip(elf::asm_map_names(&obj)) {
                x.log = x.log.replace(&format!("map={},", m.def.name), &format!("map={asm},"));
            }
            if x.accepted == y.accepted && normalise(&x.log, true) == normalise(&y.log, true) {
                same += 1;
            } else {
                differ.push(format!(
                    "{oname}/{}: {}",
                    prog.name,
                    first_diff(&normalise(&y.log, true), &normalise(&x.log, true))
                ));
            }
        }
    }
    println!(
        "object vs its assembly: {same}/{total} verify alike ({undecodable} programs do not \
         decode, so have no assembly)"
    );
    assert!(total > 600, "compared only {total}");
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ[..differ.len().min(10)].join("\n")
    );
}
