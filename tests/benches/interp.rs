//! Interpreter speed: nanoseconds per executed instruction of bpfplay's interpreter and of the
//! `rbpf` crate's interpreter, on the same three programs in the same run (issue 4, section 7).
//!
//!     cargo bench -p bpfplay-tests --bench interp
//!
//! The programs are in `tests/wasm-bench/src/*.s`, shared with the wasm build of the same
//! benchmark (`tests/wasm-bench`, timed by node).
//!
//! Each program runs a few times per interpreter; the table shows the best run (the least
//! disturbed by other work on the machine) and the median. Both interpreters execute the same
//! bytes and the same number of instructions (bpfplay counts them; the results must agree).

use bpfplay_core::vm::{NoHost, Vm};
use std::time::{Duration, Instant};

/// (a) A tight ALU loop: 6 instructions per iteration.
const ALU: &str = include_str!("../wasm-bench/src/alu.s");

/// (b) Loads and stores over the stack: 8 instructions per iteration.
const STACK: &str = include_str!("../wasm-bench/src/stack.s");

/// (c) Counting primes below 30000 by trial division, one bpf-to-bpf call per candidate.
const PRIMES: &str = include_str!("../wasm-bench/src/primes.s");

const RUNS: usize = 7;

struct Stats {
    best: f64,
    median: f64,
}

fn stats(mut ns_per_insn: Vec<f64>) -> Stats {
    ns_per_insn.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Stats { best: ns_per_insn[0], median: ns_per_insn[ns_per_insn.len() / 2] }
}

fn time<F: FnMut() -> u64>(mut f: F, expect: u64) -> Duration {
    let t = Instant::now();
    let r = f();
    let d = t.elapsed();
    assert_eq!(r, expect, "wrong result");
    d
}

fn main() {
    // `cargo test` runs benches in test mode with `--bench` absent: do one quick pass only.
    let quick = !std::env::args().any(|a| a == "--bench");
    println!("| program | insns executed | bpfplay best | bpfplay median | rbpf best | rbpf median | rbpf / bpfplay |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, src) in [
        ("(a) ALU loop", ALU),
        ("(b) stack load/store loop", STACK),
        ("(c) prime counting with calls", PRIMES),
    ] {
        let prog = bpfplay_core::assemble(src).unwrap().program;
        let bytes = prog.to_bytes();

        let mut vm = Vm::new(prog).unwrap();
        vm.set_config(bpfplay_core::vm::Config { budget: u64::MAX });
        let expect = vm.run(&mut NoHost).unwrap();
        let insns = vm.executed();

        let rb = rbpf::EbpfVmNoData::new(Some(&bytes)).unwrap();
        assert_eq!(rb.execute_program().unwrap(), expect, "rbpf disagrees on {name}");

        let runs = if quick { 1 } else { RUNS };
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for _ in 0..runs {
            let d = time(|| vm.run(&mut NoHost).unwrap(), expect);
            ours.push(d.as_nanos() as f64 / insns as f64);
            let d = time(|| rb.execute_program().unwrap(), expect);
            theirs.push(d.as_nanos() as f64 / insns as f64);
        }
        let (o, t) = (stats(ours), stats(theirs));
        println!(
            "| {name} | {insns} | {:.2} ns | {:.2} ns | {:.2} ns | {:.2} ns | {:.2}x |",
            o.best,
            o.median,
            t.best,
            t.median,
            t.median / o.median
        );
    }
}
