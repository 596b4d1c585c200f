//! The verifier: the same verdict, first error message, processed-instruction count and log as
//! the Linux 6.18 verifier (kernel/bpf/verifier.c), with a structured trace of every step.
//!
//! Pipeline, in the kernel's order: size limit, subprograms (`add_subprog_and_kfunc`,
//! `check_subprogs`), opcode/`LD_IMM64`/map checks (`resolve_pseudo_ldimm64`), the CFG walk
//! (`check_cfg`), register liveness, then the path walk (`do_check`) with state pruning.
//!
//! The modules are layered, each using only those before it:
//! - `tnum` (tristate numbers), `reg` (`bpf_reg_state`), `bounds` (the range arithmetic on
//!   it), `state` (frames, stack slots, whole states and the explored checkpoints), `cfg`
//!   (the program's shape, liveness), `insn_aux` (`bpf_insn_aux_data`, a record per
//!   instruction), `log` (the log's text);
//! - `options` and `verdict`: the public types [`verify`] takes and returns;
//! - `env`: the walk's context (`bpf_verifier_env`), the queue of paths, errnos and limits;
//! - the checks on an `env`: `precise` (precision backtracking), `mem` (loads, stores,
//!   stack), `alu`, `call`, `jmp`, `prune` (state equivalence);
//! - `walk`: `bpf_check`'s passes and the `do_check` loop, with the trace.

mod alu;
mod bounds;
mod call;
mod cfg;
mod env;
pub(crate) mod func_info;
mod insn_aux;
mod jmp;
mod log;
mod map_func;
mod mem;
mod options;
mod precise;
mod prune;
mod reg;
mod scc;
mod state;
mod tnum;
mod verdict;
mod walk;

pub use env::{COMPLEXITY_LIMIT, LOG_KEEP, MAX_INSNS_UNPRIV, PROGRESS_EVERY, TRACE_LIMIT};
pub use func_info::{BtfInfo, BtfType, FuncInfo, LineInfo, Pointee};
pub use options::Options;
pub use verdict::{ErrorKind, LogSpan, Step, Trace, Verdict, VerifyError};
// What a trace's steps hold, for front ends that draw them: the registers and stack of each
// frame, and the log's notation of a register (`log::reg_state`, as `print_verifier_state`
// writes it).
pub use cfg::{CfgError, CfgErrorKind};
pub use log::reg_state;
pub use reg::{RegState, RegType};
pub use state::{FuncState, Ref, SlotType, StackSlot};
pub use tnum::Tnum;

use crate::isa::RawInsn;
use crate::maps::MapDef;
use alloc::format;
use env::{close_span, Env};

/// The maps a verification's register states name (`RegState::map`): `maps`, then for each
/// map of maps (in order) a copy of its inner map without a name — the kernel's
/// `inner_map_meta`, which `bpf_map_meta_alloc` makes without copying the name, so the log
/// prints it as `map_ptr(ks=4,vs=4)`.
pub fn state_maps(maps: &[MapDef]) -> alloc::vec::Vec<MapDef> {
    state_maps_and_metas(maps).0
}

/// [`state_maps`], and for each of them the index of its inner map's meta (maps of maps).
fn state_maps_and_metas(
    maps: &[MapDef],
) -> (alloc::vec::Vec<MapDef>, alloc::vec::Vec<Option<u32>>) {
    let mut v = maps.to_vec();
    let mut metas = alloc::vec![None; maps.len()];
    for (i, m) in maps.iter().enumerate() {
        if let Some(inner) = m.inner.as_deref().filter(|_| m.kind.is_map_in_map()) {
            metas[i] = Some(v.len() as u32);
            v.push(MapDef { name: alloc::string::String::new(), inner: None, ..inner.clone() });
        }
    }
    metas.resize(v.len(), None);
    (v, metas)
}

/// Verifies raw instructions (8-byte slots) of a program of `opts.prog_type` that uses `maps`
/// (an `LD_IMM64` map reference's `imm` is an index into `maps`).
pub fn verify(raw: &[RawInsn], maps: &[MapDef], opts: &Options) -> Verdict {
    verify_with_progress(raw, maps, opts, &mut |_| {})
}

/// [`verify`], calling `progress` with the processed-instruction count every
/// [`PROGRESS_EVERY`] instructions (a walk towards the 1,000,000 limit takes a while in a
/// browser; the callback lets the page show how far it got).
pub fn verify_with_progress(
    raw: &[RawInsn],
    maps: &[MapDef],
    opts: &Options,
    progress: &mut dyn FnMut(u64),
) -> Verdict {
    verify_btf(raw, maps, &BtfInfo::default(), opts, progress)
}

/// [`verify_with_progress`] of a program with what its BTF says (func and line info, as
/// libbpf passes an object's `.BTF.ext`; empty for none).
pub fn verify_btf(
    raw: &[RawInsn],
    maps: &[MapDef],
    btf: &BtfInfo,
    opts: &Options,
    progress: &mut dyn FnMut(u64),
) -> Verdict {
    let (all, metas) = state_maps_and_metas(maps);
    let mut env = Env::new(raw, &all, opts, progress);
    env.n_user_maps = maps.len();
    env.inner_metas = metas;
    env.funcs = &btf.funcs;
    env.lines = &btf.lines;
    let result = walk::run(&mut env);
    let (accepted, error) = match result {
        Ok(()) => (true, None),
        Err(f) => {
            let message = env.last_error.clone().unwrap_or_default();
            let (insn, kind) = match env.fail_at {
                Some(at) => at,
                None if env.processed > 0 => (Some(env.insn_idx), ErrorKind::Walk),
                None => (None, ErrorKind::Refused),
            };
            (false, Some(VerifyError { insn, message, errno: f.errno, kind }))
        }
    };
    // Every step's span ends where the walk ended, before the summary line.
    close_span(&mut env);
    if accepted && opts.log_level == 1 {
        env.log.clear();
    }
    let (max_states, total, peak) = env.explored.stats();
    let refused_early = matches!(&error, Some(e) if e.message.starts_with("bpf("));
    if refused_early {
        env.log.clear();
    }
    let mut head = 0;
    if env.log_base > 0 && !env.log.is_empty() {
        let note = format!(
            "[bpfplay: the log's first {} bytes were dropped; its last part follows]\n",
            env.log_base
        );
        head = note.len();
        env.log.insert_str(0, &note);
    }
    let spans_kept = opts.log_level > 0 && !(accepted && opts.log_level == 1) && !refused_early;
    walk::place_spans(&mut env, spans_kept, head);
    if opts.log_level > 0 && !refused_early {
        env.log.push_str(&format!(
            "processed {} insns (limit {}) max_states_per_insn {} total_states {} peak_states {} mark_read 0\n",
            env.processed, COMPLEXITY_LIMIT, max_states, total, peak
        ));
    }
    Verdict {
        accepted,
        error,
        processed: env.processed,
        max_states_per_insn: max_states,
        total_states: total,
        peak_states: peak,
        log: env.log,
        trace: Trace {
            initial: env.initial.take(),
            complete: opts.trace && !env.trace_full,
            steps: env.steps,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::env::E2BIG;
    use super::*;
    use crate::progtype::ProgType;
    use alloc::vec::Vec;
    extern crate std;

    /// Linux 6.18 (tests/verifier-corpus/unpriv_loop_speculative_to_limit.s, E2BIG there):
    /// speculative walks of the exit branch get fresh ids, so no state repeats exactly and
    /// the walk runs into the limit instead of stopping at "infinite loop detected".
    #[test]
    fn unprivileged_loop_with_fresh_ids_runs_to_the_limit() {
        let opts =
            Options { prog_type: ProgType::SocketFilter, unpriv: true, log_level: 0, trace: false };
        let prog = crate::assemble("r8 = 0\nl:\nr0 = r8\nr8 += 1\nif r8 < 3 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let v = verify(&prog, &[], &opts);
        let e = v.error.expect("rejected");
        assert_eq!(e.message, "BPF program is too large. Processed 1000001 insn");
        assert_eq!(e.errno, E2BIG);
        // Privileged, the loop is walked three times and accepted.
        let v = verify(&prog, &[], &Options { unpriv: false, ..opts });
        assert!(v.accepted, "{:?}", v.error);
    }

    #[test]
    fn the_trace_stops_at_its_limit() {
        let opts =
            Options { prog_type: ProgType::SocketFilter, unpriv: false, log_level: 0, trace: true };
        let prog = crate::assemble("r1 = 0\nl:\nr1 += 1\nif r1 < 100000000 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let v = verify(&prog, &[], &opts);
        assert_eq!(v.processed, 1_000_001);
        assert_eq!(v.trace.steps.len(), TRACE_LIMIT);
        // The first steps are the walk's beginning.
        assert_eq!(
            (v.trace.steps[0].insn, v.trace.steps[1].insn, v.trace.steps[2].insn),
            (0, 1, 2)
        );
    }

    fn traced(src: &str, level: u32) -> Verdict {
        let opts = Options { log_level: level, trace: true, ..Options::default() };
        let a = crate::assemble(src).unwrap();
        let maps: Vec<MapDef> =
            a.maps.iter().map(|n| MapDef::new(n, crate::maps::MapKind::Hash, 4, 8, 64)).collect();
        verify(&a.program.to_raw(), &maps, &opts)
    }

    fn span_text(v: &Verdict, i: usize) -> Option<&str> {
        v.trace.steps[i].log.map(|sp| &v.log[sp.start..sp.end])
    }

    const BRANCHY: &str = "r2 = *(u32 *)(r1 +0)\nif r2 > 3 goto a\nr0 = 1\nr3 = 1\nr3 = 2\nr3 = 3\nr3 = 4\nr3 = 5\nr3 = 6\nr3 = 7\nif r3 > 7 goto a\ngoto b\na:\nr0 = 1\nb:\nr3 = 0\nr0 = 0\nexit";

    /// Level 2: every step's span is its own instruction's line (or the pruned path's `safe`
    /// line), in walk order, with the state printed after it.
    #[test]
    fn level_2_spans_are_each_steps_own_lines() {
        let v = traced(BRANCHY, 2);
        assert!(v.accepted && v.trace.complete, "{:?}", v.error);
        assert_eq!(v.trace.initial.as_ref().unwrap().regs[1].typ, reg::RegType::Ctx);
        let mut last = 0;
        assert!(v.trace.steps.iter().any(|s| s.pruned) && v.trace.steps.iter().any(|s| s.exited));
        for (i, s) in v.trace.steps.iter().enumerate() {
            let t = span_text(&v, i).unwrap_or_else(|| panic!("step {i} has no span"));
            let sp = s.log.unwrap();
            assert!(sp.start >= last, "step {i} goes back in the log");
            last = sp.end;
            if s.pruned {
                assert!(t.contains(&format!("{}: safe", s.insn)), "step {i}: {t:?}");
            } else {
                assert!(t.starts_with(&format!("{}: (", s.insn)), "step {i}: {t:?}");
                let insn_lines = t.lines().filter(|l| {
                    let d = l.bytes().take_while(u8::is_ascii_digit).count();
                    d > 0 && l[d..].starts_with(": (")
                });
                assert_eq!(insn_lines.count(), 1, "step {i} holds one instruction: {t:?}");
            }
        }
    }

    /// Level 1: the log keeps only the failing path; its steps keep their lines, the dropped
    /// paths' steps have none, and the last step holds the error.
    #[test]
    fn level_1_spans_follow_the_kept_path() {
        let src = "r2 = *(u32 *)(r1 +0)\nif r2 > 3 goto bad\nr0 = 0\nexit\nbad:\nr0 = *(u64 *)(r2 +0)\nexit";
        let v = traced(src, 1);
        let e = v.error.as_ref().unwrap();
        assert_eq!(e.kind, ErrorKind::Walk);
        let steps = &v.trace.steps;
        let last = steps.len() - 1;
        assert!(span_text(&v, last).unwrap().contains(&e.message), "{}", v.log);
        // The fall-through path (insns 2, 3) was walked first and its log dropped.
        for (i, s) in steps.iter().enumerate() {
            let t = span_text(&v, i);
            match s.insn {
                2 | 3 => assert_eq!(t, None, "step {i}"),
                _ => assert!(t.unwrap().starts_with(&format!("{}: (", s.insn)), "step {i}"),
            }
        }
        // The branch keeps its line but not the state printed after it on the dropped path.
        assert_eq!(span_text(&v, 1).unwrap().lines().count(), 1);
        // Accepted at level 1: no log, no spans.
        let v = traced("r0 = 0\nexit", 1);
        assert!(v.log.starts_with("processed ") && v.trace.steps.iter().all(|s| s.log.is_none()));
    }

    #[test]
    fn checks_before_the_walk_name_their_instruction() {
        let v = traced("r0 = 0\nexit\nr0 = 1\nexit", 1);
        let e = v.error.unwrap();
        assert_eq!(e.message, "unreachable insn 2");
        assert_eq!(e.insn, Some(2));
        assert_eq!(
            e.kind,
            ErrorKind::Cfg(cfg::CfgError { insn: 2, kind: cfg::CfgErrorKind::Unreachable })
        );
        let e = traced("r0 = 0", 1).error.unwrap();
        assert_eq!((e.message.as_str(), e.insn), ("last insn is not an exit or jmp", Some(0)));
        let raw = [
            RawInsn { code: 0xff, ..RawInsn::default() },
            RawInsn { code: 0x95, ..RawInsn::default() },
        ];
        let e = verify(&raw, &[], &Options::default()).error.unwrap();
        assert_eq!(
            (e.message.as_str(), e.insn, e.kind),
            ("unknown opcode ff", Some(0), ErrorKind::Insn)
        );
        let e = verify(&[], &[], &Options::default()).error.unwrap();
        assert_eq!((e.insn, e.kind), (None, ErrorKind::Refused));
    }

    #[test]
    fn a_huge_log_keeps_its_tail() {
        let opts = Options {
            prog_type: ProgType::SocketFilter,
            unpriv: false,
            log_level: 1,
            trace: false,
        };
        let prog = crate::assemble("r1 = 0\nl:\nr1 += 1\nif r1 < 100000000 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let v = verify(&prog, &[], &opts);
        assert!(!v.accepted);
        assert!(v.log.len() < 3 * LOG_KEEP, "{} bytes", v.log.len());
        assert!(v.log.starts_with("[bpfplay: the log's first "), "{}", &v.log[..100]);
        assert!(v.log.ends_with("BPF program is too large. Processed 1000001 insn\nprocessed 1000001 insns (limit 1000000) max_states_per_insn 4 total_states 25001 peak_states 25001 mark_read 0\n"));
        // Every kept line is whole: the second line starts with an instruction number.
        let second = v.log.lines().nth(1).unwrap();
        assert!(second.split(':').next().unwrap().parse::<u32>().is_ok(), "{second}");
    }

    #[test]
    fn progress_is_reported_on_long_walks_only() {
        let opts = Options {
            prog_type: ProgType::SocketFilter,
            unpriv: false,
            log_level: 0,
            trace: false,
        };
        // A loop the verifier walks one iteration at a time: 2 processed per iteration.
        let prog = crate::assemble("r1 = 0\nl:\nr1 += 1\nif r1 < 100000 goto l\nr0 = 0\nexit")
            .unwrap()
            .program
            .to_raw();
        let mut seen = Vec::new();
        let v = verify_with_progress(&prog, &[], &opts, &mut |n| seen.push(n));
        assert!(v.accepted, "{:?}", v.error);
        let expect: Vec<u64> =
            (1..=v.processed / PROGRESS_EVERY).map(|k| k * PROGRESS_EVERY).collect();
        assert!(!expect.is_empty());
        assert_eq!(seen, expect);
        let short = crate::assemble("r0 = 0\nexit").unwrap().program.to_raw();
        let mut calls = 0;
        verify_with_progress(&short, &[], &opts, &mut |_| calls += 1);
        assert_eq!(calls, 0);
    }
}
