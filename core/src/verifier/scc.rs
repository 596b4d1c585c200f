//! Loops as the 6.18 verifier tracks them while it walks: the strongly connected components
//! of each subprogram's control-flow graph (computed before the walk, `compute_scc`), and per
//! call chain into one, a visit (`struct bpf_scc_visit`) that opens at the first checkpoint
//! made inside it and closes when that checkpoint's paths are all explored. States pruned at
//! a loop head against a checkpoint still being explored ("backedges") are counted on the
//! visit; while a visit holds some, the checkpoints inside it are compared RANGE_WITHIN
//! (their read and precision marks are not final) and are not freed.
//!
//! After kernel/bpf/verifier.c (`compute_scc_callchain`, `maybe_enter_scc`,
//! `maybe_exit_scc`, `add_scc_backedge`, `incomplete_read_marks`); the log lines are its
//! level-2 `SCC enter`/`SCC backedge`/`SCC exit`. bpfplay propagates precision at each hit
//! instead of again over the backedges when a visit closes.

use super::env::Env;
use super::state::VState;
use alloc::format;
use alloc::vec::Vec;

/// `struct bpf_scc_callchain`: the call sites of the frames outside the loop, and the loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Callchain {
    callsites: Vec<usize>,
    scc: u32,
}

/// `struct bpf_scc_visit`.
pub(crate) struct Visit {
    chain: Callchain,
    /// The checkpoint (arena index) that opened the visit, while it is open.
    entry: Option<usize>,
    backedges: u32,
}

/// `compute_scc_callchain` for `st` standing at `insn`: the outermost frame whose position
/// is in a loop names the loop; None when no frame is in one.
fn callchain(env: &Env, st: &VState, insn: usize) -> Option<Callchain> {
    let mut callsites = Vec::new();
    for f in 0..st.frames.len() {
        let at = st.frame_insn(f, insn);
        let scc = env.aux.get(at).map_or(0, |a| a.scc);
        if scc != 0 {
            return Some(Callchain { callsites, scc });
        }
        if f + 1 == st.frames.len() {
            return None;
        }
        callsites.push(at);
    }
    None
}

/// `format_callchain`: `(1)`, `(4,2)`.
fn format(c: &Callchain) -> alloc::string::String {
    let mut s = alloc::string::String::from("(");
    for cs in &c.callsites {
        s.push_str(&format!("{cs},"));
    }
    s.push_str(&format!("{})", c.scc));
    s
}

fn visit_of(env: &Env, c: &Callchain) -> Option<usize> {
    env.explored.scc_visits.iter().position(|v| v.chain == *c)
}

/// `maybe_enter_scc`, for the checkpoint just made at arena index `ci`.
pub(crate) fn maybe_enter(env: &mut Env, ci: usize) {
    let cp = &env.explored.arena[ci];
    let Some(chain) = callchain(env, &cp.st, cp.insn) else { return };
    let vi = match visit_of(env, &chain) {
        Some(i) => i,
        None => {
            env.explored.scc_visits.push(Visit { chain: chain.clone(), entry: None, backedges: 0 });
            env.explored.scc_visits.len() - 1
        }
    };
    if env.explored.scc_visits[vi].entry.is_none() {
        env.explored.scc_visits[vi].entry = Some(ci);
        if env.opts.log_level >= 2 {
            env.say(&format!("SCC enter {}\n", format(&chain)));
        }
    }
}

/// `maybe_exit_scc`, for a checkpoint whose paths are all explored now.
pub(crate) fn maybe_exit(env: &mut Env, ci: usize) {
    let cp = &env.explored.arena[ci];
    let Some(chain) = callchain(env, &cp.st, cp.insn) else { return };
    let Some(vi) = visit_of(env, &chain) else { return };
    if env.explored.scc_visits[vi].entry != Some(ci) {
        return;
    }
    if env.opts.log_level >= 2 {
        env.say(&format!("SCC exit {}\n", format(&chain)));
    }
    let v = &mut env.explored.scc_visits[vi];
    v.entry = None;
    env.explored.num_backedges -= v.backedges;
    v.backedges = 0;
}

/// `add_scc_backedge`: the current state, at `insn`, was pruned inside a loop against a
/// state whose marks are not final.
pub(crate) fn add_backedge(env: &mut Env, insn: usize) {
    let Some(chain) = callchain(env, &env.st, insn) else { return };
    let Some(vi) = visit_of(env, &chain) else { return };
    if env.opts.log_level >= 2 {
        env.say(&format!("SCC backedge {}\n", format(&chain)));
    }
    env.explored.scc_visits[vi].backedges += 1;
    env.explored.num_backedges += 1;
    env.explored.update_peak();
}

/// `incomplete_read_marks`: is checkpoint `ci` inside a loop visit that has backedges?
pub(crate) fn incomplete_read_marks(env: &Env, ci: usize) -> bool {
    let cp = &env.explored.arena[ci];
    let Some(chain) = callchain(env, &cp.st, cp.insn) else { return false };
    visit_of(env, &chain).is_some_and(|vi| env.explored.scc_visits[vi].backedges > 0)
}
