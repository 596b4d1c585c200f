//! Several runs in a row, as the page's Run panel and `bpfplay run --runs N` do them: the maps
//! persist from run to run (like a loaded program's), the world advances between runs (a
//! new pid, the clock 1 ms on), and the outcome sums the runs up.

use super::{run_programs, Input, RunResult};
use crate::helpers::World;
use crate::isa::Program;
use crate::maps::MapStore;
use crate::progtype::ProgType;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// Instructions one run may execute.
pub const BUDGET: u64 = 1_000_000;
/// Most runs at once.
pub const MAX_RUNS: u32 = 10_000;
/// Most `bpf_trace_printk` lines kept over all runs.
pub const MAX_PRINTK: usize = 200;

/// How to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunPlan {
    /// How many runs (clamped to 1..=[`MAX_RUNS`]).
    pub runs: u32,
    /// Packet programs: each run gets the frame padded by a different length (the same
    /// lengths every time), for accounting examples.
    pub vary_length: bool,
    /// Instructions per run.
    pub budget: u64,
}

impl Default for RunPlan {
    fn default() -> Self {
        RunPlan { runs: 1, vary_length: false, budget: BUDGET }
    }
}

/// What the runs gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunsOutcome {
    /// Runs made: fewer than planned when one ended in a run-time error.
    pub runs: u32,
    /// The last run's result.
    pub last: RunResult,
    /// How often each `r0` came back.
    pub retvals: BTreeMap<u64, u32>,
    pub insns_total: u64,
    /// `bpf_trace_printk` lines of every run, in order (at most [`MAX_PRINTK`]).
    pub printk: Vec<String>,
}

/// The world a run starts in when nothing else is said: the default task, with the simulated
/// task tree that kprobes walk with `bpf_probe_read_kernel`.
pub fn default_world() -> World {
    let mut w = World::default();
    w.add_task_tree();
    w
}

/// The world of the next run: the next pid, the clock 1 ms later.
pub fn advance(world: &mut World) {
    world.pid = world.pid.wrapping_add(1);
    world.tgid = world.pid;
    world.add_task_tree();
    world.ktime_ns = world.ktime_ns.wrapping_add(1_000_000);
}

/// Runs `programs[0]` as `plan` says, `maps` kept between runs; the others are its
/// tail-call targets (as [`run_programs`]: [`crate::Loaded::programs`]). `Err` for an
/// unusable input.
pub fn run_many(
    programs: &[Program],
    maps: &mut MapStore,
    prog_type: ProgType,
    input: &Input,
    world: &World,
    plan: &RunPlan,
) -> Result<RunsOutcome, String> {
    let runs = plan.runs.clamp(1, MAX_RUNS);
    let mut world = world.clone();
    let mut input = input.clone();
    let full = input.packet.clone();
    let mut out: Option<RunsOutcome> = None;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..runs {
        if plan.vary_length && full.len() > 14 {
            // A different length each run (a fixed LCG: the same lengths every time).
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let extra = (seed >> 33) as usize % 1500;
            let mut f = full.clone();
            f.resize(full.len() + extra, 0x5a);
            input.packet = f;
        }
        let r = run_programs(programs, maps, prog_type, &input, &world, plan.budget)?;
        let o = out.get_or_insert_with(|| RunsOutcome {
            runs,
            last: r.clone(),
            retvals: BTreeMap::new(),
            insns_total: 0,
            printk: Vec::new(),
        });
        *o.retvals.entry(r.r0).or_default() += 1;
        o.insns_total += r.insns_executed;
        let room = MAX_PRINTK.saturating_sub(o.printk.len());
        o.printk.extend(r.printk.iter().take(room).cloned());
        let failed = r.error.is_some();
        o.last = r;
        if failed {
            o.runs = i + 1;
            break;
        }
        advance(&mut world);
    }
    Ok(out.expect("at least one run"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maps::MapStore;
    use crate::program::from_source;
    use crate::run::PacketSpec;

    /// Runs socket filter `src` on the default packet with fresh maps: the outcome and the
    /// maps after it.
    fn socket_runs(src: &str, plan: RunPlan, world: &World) -> (RunsOutcome, MapStore) {
        let l = from_source(src, &[]).unwrap();
        let mut maps = l.map_store(1).unwrap();
        let input = Input::packet(PacketSpec::default().build());
        let o = run_many(&l.programs(), &mut maps, ProgType::SocketFilter, &input, world, &plan)
            .unwrap();
        (o, maps)
    }

    #[test]
    fn maps_persist_and_the_world_advances() {
        // Counts runs in an array and returns the pid it ran as.
        let (o, maps) = socket_runs(
            "map n: array key=4 value=8 max=1\n*(u32 *)(r10 -4) = 0\nr2 = r10\nr2 += -4\nr1 = map[n] ll\ncall bpf_map_lookup_elem\nif r0 == 0 goto out\nr1 = 1\nlock *(u64 *)(r0 +0) += r1\nout:\ncall bpf_get_current_pid_tgid\nr0 &= 0xffff\nexit",
            RunPlan { runs: 3, ..RunPlan::default() },
            &default_world(),
        );
        assert_eq!(o.runs, 3);
        assert_eq!(o.retvals.keys().copied().collect::<Vec<_>>(), [1000, 1001, 1002]);
        assert_eq!(maps.lookup(0, &[0; 4]).unwrap(), 3u64.to_le_bytes());
        assert_eq!(o.last.r0, 1002);
    }

    #[test]
    fn a_run_time_error_stops_the_runs() {
        let (o, _) = socket_runs(
            "r0 = 0\nr1 = 0\nloop:\nr1 += 1\nif r1 != 0 goto loop\nexit",
            RunPlan { runs: 5, budget: 1000, vary_length: false },
            &World::default(),
        );
        assert_eq!(o.runs, 1);
        let e = o.last.error.expect("the loop runs out of its budget");
        assert_eq!(e.kind, crate::vm::VmErrorKind::BudgetExhausted { limit: 1000 });
    }
}
