//! Verifier timings for BENCHMARKS.md: a 1,000-instruction program and a program that hits
//! the 1,000,000 processed-instruction limit, in bpfplay and (where bpf() works) in the
//! running kernel. `cargo run --release -p bpfplay-tests --bin verifier_bench`

use bpfplay_core::progtype::ProgType;
use bpfplay_core::verifier::{verify, Options};
use bpfplay_core::{assemble, RawInsn};
use bpfplay_tests::kernel::{available, prog_load, Map, ProgType as KType};
use std::time::Instant;

/// About 1,000 instructions: context loads, stack spills and fills, ALU (straight line).
fn thousand() -> Vec<RawInsn> {
    let mut s = String::from("r6 = r1\nr7 = *(u32 *)(r6 +0)\nr0 = 0\n");
    let mut n = 3;
    let mut k = 0;
    while n < 990 {
        s.push_str(&format!(
            "r2 = r7\nr2 &= 255\nr2 += {k}\n*(u64 *)(r10 -{o}) = r2\nr3 = *(u64 *)(r10 -{o})\nr0 += r3\nr0 ^= {k}\nr3 = r0\n",
            o = 8 * (1 + k % 60)
        ));
        n += 8;
        k += 1;
    }
    s.push_str("exit\n");
    assemble(&s).expect("bench program assembles").program.to_raw()
}

/// A loop the verifier walks one iteration at a time until it gives up.
fn million() -> Vec<RawInsn> {
    assemble("r1 = 0\nloop:\nr1 += 1\nif r1 < 100000000 goto loop\nr0 = 0\nexit")
        .unwrap()
        .program
        .to_raw()
}

/// The same kind of walk inside a bpf-to-bpf call: each branch marks scalars precise along the
/// whole checkpoint chain (bpfplay's `mark_all` in a subprogram frame).
fn million_in_subprog() -> Vec<RawInsn> {
    assemble("r1 = 0\ncall f\nr0 = 0\nexit\nf:\nr8 = 0\nl:\nr1 += 8\nr8 += 2\nif r8 < 100000000 goto l\nr0 = 2\nexit")
        .unwrap()
        .program
        .to_raw()
}

fn time<F: FnMut()>(runs: u32, mut f: F) -> f64 {
    f();
    let t = Instant::now();
    for _ in 0..runs {
        f();
    }
    t.elapsed().as_secs_f64() / runs as f64
}

fn main() {
    let opts =
        Options { prog_type: ProgType::SocketFilter, unpriv: false, log_level: 0, trace: false };
    let p = thousand();
    let v = verify(&p, &[], &opts);
    println!("1k program: {} insns, accepted {}, processed {}", p.len(), v.accepted, v.processed);
    let ours = time(50, || {
        verify(&p, &[], &opts);
    });
    println!("  bpfplay verify (log 0): {:.3} ms", ours * 1e3);
    let o1 = Options { log_level: 1, ..opts.clone() };
    let ours1 = time(50, || {
        verify(&p, &[], &o1);
    });
    println!("  bpfplay verify (log 1): {:.3} ms", ours1 * 1e3);
    let o2 = Options { log_level: 2, trace: true, ..opts.clone() };
    let ours2 = time(20, || {
        verify(&p, &[], &o2);
    });
    println!("  bpfplay verify (log 2 + trace): {:.3} ms", ours2 * 1e3);
    let kernel_ok = available().is_ok();
    if kernel_ok {
        let none: [&Map; 0] = [];
        let k = time(20, || {
            let r = prog_load(KType::SocketFilter, &p, 0, &none);
            assert!(r.accepted, "kernel rejects the 1k program: {}", r.log);
        });
        println!("  kernel BPF_PROG_LOAD (log 0): {:.3} ms", k * 1e3);
    } else {
        println!("  kernel: skipped, bpf() unavailable");
    }
    if std::env::args().any(|a| a == "--skip-1m") {
        return;
    }
    let m = million();
    let t = Instant::now();
    let v = verify(&m, &[], &opts);
    let ours = t.elapsed().as_secs_f64();
    println!(
        "1M-limit program: accepted {}, processed {}, error {:?}, total_states {}, peak_states {}: bpfplay {:.2} s",
        v.accepted,
        v.processed,
        v.error.map(|e| e.message),
        v.total_states,
        v.peak_states,
        ours
    );
    if kernel_ok {
        let none: [&Map; 0] = [];
        let t = Instant::now();
        let r = prog_load(KType::SocketFilter, &m, 0, &none);
        println!(
            "  kernel: accepted {}, errno {}, {:.2} s",
            r.accepted,
            r.errno,
            t.elapsed().as_secs_f64()
        );
    }
    let m = million_in_subprog();
    let t = Instant::now();
    let v = verify(&m, &[], &opts);
    println!(
        "1M-limit loop in a subprogram: accepted {}, processed {}, total_states {}: bpfplay {:.2} s",
        v.accepted,
        v.processed,
        v.total_states,
        t.elapsed().as_secs_f64()
    );
    if kernel_ok {
        let none: [&Map; 0] = [];
        let t = Instant::now();
        let r = prog_load(KType::SocketFilter, &m, 0, &none);
        println!(
            "  kernel: accepted {}, errno {}, {:.2} s",
            r.accepted,
            r.errno,
            t.elapsed().as_secs_f64()
        );
    }
}
