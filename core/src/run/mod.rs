//! Running a program as the kernel would: its context built from an input, its maps, the
//! helpers of a [`World`], and the outcome as plain data.
//!
//! ```
//! use bpfplay_core::{assemble, maps::MapStore, progtype::ProgType, helpers::World, run::{run_program, Input}};
//! let prog = assemble("r0 = *(u32 *)(r1 + 0)\nexit").unwrap().program; // skb->len
//! let mut maps = MapStore::default();
//! let input = Input::packet(vec![0; 64]);
//! let r = run_program(&prog, &mut maps, ProgType::SocketFilter, &input, &World::default(), 1_000_000).unwrap();
//! assert_eq!(r.retval, 50); // the frame after its Ethernet header
//! ```
//!
//! [`Session`] is the same run one instruction at a time, for a stepping UI.

pub(crate) mod ctx;
pub(crate) mod packet;
pub(crate) mod runs;

pub use ctx::PtRegs;
pub use packet::PacketSpec;
pub use runs::{
    advance, default_world, run_many, RunPlan, RunsOutcome, BUDGET, MAX_PRINTK, MAX_RUNS,
};

use crate::helpers::host::{KernelHost, Redirect};
use crate::helpers::World;
use crate::isa::Program;
use crate::maps::{MapKind, MapStore};
use crate::progtype::ProgType;
use crate::vm::{Config, Step, Vm, VmError};
use alloc::string::String;
use alloc::vec::Vec;

/// A syscall-entry tracepoint record's fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SysEnter {
    /// The trace event's id (`common_type`).
    pub event_type: u16,
    /// The syscall number.
    pub id: i64,
    pub args: [u64; 6],
}

/// What a run starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    /// socket_filter, xdp: the whole frame as given to `BPF_PROG_TEST_RUN` (Ethernet header
    /// included; at least 14 bytes).
    pub packet: Vec<u8>,
    /// kprobe: the registers.
    pub regs: PtRegs,
    /// tracepoint: the record.
    pub syscall: SysEnter,
    /// kprobe, tracepoint: the context's bytes as they are (instead of `regs`/`syscall`).
    pub raw_ctx: Option<Vec<u8>>,
}

impl Input {
    pub fn packet(frame: Vec<u8>) -> Input {
        Input { packet: frame, ..Input::default() }
    }

    /// What a run of `prog_type` starts from when nothing is given: the default test packet
    /// ([`PacketSpec::default`]), kprobe registers holding kernel-looking addresses
    /// ([`KPROBE_DEFAULTS`]), a tracepoint record of zeros.
    pub fn default_for(prog_type: ProgType) -> Input {
        match prog_type {
            ProgType::SocketFilter | ProgType::Xdp => Input::packet(PacketSpec::default().build()),
            ProgType::Kprobe => {
                let mut regs = PtRegs::default();
                for (name, v) in KPROBE_DEFAULTS {
                    regs.set(name, v);
                }
                Input { regs, ..Input::default() }
            }
            ProgType::Tracepoint => Input::default(),
        }
    }

    /// The CLI's `--input HEX`: the frame for packet programs, the context bytes otherwise.
    pub fn from_bytes(prog_type: ProgType, bytes: Vec<u8>) -> Input {
        if prog_type.takes_packet() {
            Input::packet(bytes)
        } else {
            Input { raw_ctx: Some(bytes), ..Input::default() }
        }
    }
}

/// The kprobe registers a run panel offers (the argument registers, then ip and sp), with the
/// values a run starts from: `di` the current task's address, `ip` and `sp` kernel-looking.
pub const KPROBE_DEFAULTS: [(&str, u64); 8] = [
    ("di", 0xffff_8880_0420_0000),
    ("si", 0),
    ("dx", 0),
    ("cx", 0),
    ("r8", 0),
    ("r9", 0),
    ("ip", 0xffff_ffff_8100_0000),
    ("sp", 0xffff_c900_0000_0000),
];

/// A map's contents after a run (see [`crate::maps::Map::entries`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapSnapshot {
    pub name: String,
    pub kind: MapKind,
    pub entries: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunResult {
    /// The return value as the kernel reports it (`BPF_PROG_TEST_RUN`'s 32-bit `retval`).
    pub retval: u32,
    /// The whole `r0`.
    pub r0: u64,
    /// The packet after the run, as `BPF_PROG_TEST_RUN` returns it (socket filters: the whole
    /// frame; XDP: from `data_meta` to `data_end`, metadata included); empty for other types.
    pub packet_out: Vec<u8>,
    /// Every map after the run (per-CPU maps: the CPU the program ran on).
    pub maps: Vec<MapSnapshot>,
    /// `bpf_trace_printk` messages, in order.
    pub printk: Vec<String>,

    pub redirect: Option<Redirect>,
    pub tail_calls: u32,
    pub insns_executed: u64,
    /// How the run ended abnormally, if it did (a wild access, the budget...): `retval` is
    /// then 0.
    pub error: Option<VmError>,
}

/// A run in progress: the machine and the helpers' state.
pub struct Session {
    vm: Vm,
    host: KernelHost,
    input: Input,
}

impl Session {
    /// Prepares a run of `programs[0]`; the others are tail-call targets (a prog_array slot
    /// holding `k` names `programs[k]`). Fails, giving the maps back, on an unusable input
    /// (a frame shorter than an Ethernet header) or a program naming a register above r10.
    pub fn new(
        programs: &[Program],
        maps: MapStore,
        prog_type: ProgType,
        input: &Input,
        world: World,
        budget: u64,
    ) -> Result<Session, (String, MapStore)> {
        let mut vm = match Self::machine(programs, budget) {
            Ok(vm) => vm,
            Err(e) => return Err((e, maps)),
        };
        let info = match ctx::build(prog_type, input, world.pid, vm.memory_mut()) {
            Ok(i) => i,
            Err(e) => return Err((e, maps)),
        };
        let mut host = KernelHost::new(maps, world, prog_type);
        host.programs = programs.len();
        host.ctx = info;
        vm.start();
        Ok(Session { vm, host, input: input.clone() })
    }

    fn machine(programs: &[Program], budget: u64) -> Result<Vm, String> {
        let (first, rest) = programs.split_first().ok_or("no program")?;
        let mut vm =
            Vm::with_config(first.clone(), Config { budget }).map_err(|e| alloc::format!("{e}"))?;
        for p in rest {
            vm.add_program(p.clone()).map_err(|e| alloc::format!("{e}"))?;
        }
        Ok(vm)
    }

    pub fn step(&mut self) -> Result<Step, VmError> {
        self.vm.step(&mut self.host)
    }

    pub fn run(&mut self) -> Result<u64, VmError> {
        self.vm.resume(&mut self.host)
    }

    pub fn vm(&self) -> &Vm {
        &self.vm
    }

    pub fn host(&self) -> &KernelHost {
        &self.host
    }

    /// The maps with what the program stored so far.
    pub fn maps(&mut self) -> &MapStore {
        self.host.sync(self.vm.memory());
        &self.host.maps
    }

    /// Ends the session: the outcome, the maps and the world (unchanged) back.
    pub fn finish(mut self) -> (RunResult, MapStore, World) {
        self.host.sync(self.vm.memory());
        let (r0, error) = match self.vm.status() {
            crate::vm::Status::Exited(v) => (*v, None),
            crate::vm::Status::Faulted(e) => (0, Some(e.clone())),
            _ => (0, None),
        };
        let h = self.host;
        let cpu = h.world.cpu as usize;
        let maps = h
            .maps
            .iter()
            .map(|m| MapSnapshot {
                name: m.def.name.clone(),
                kind: m.kind(),
                entries: m.entries(cpu),
            })
            .collect();
        let packet_out = ctx::packet_out(h.prog_type, &self.input, &h.ctx, self.vm.memory());
        let result = RunResult {
            retval: r0 as u32,
            r0,
            packet_out,
            maps,
            printk: h.printk,
            redirect: h.redirect,
            tail_calls: h.tail_calls,
            insns_executed: self.vm.executed(),
            error,
        };
        (result, h.maps, h.world)
    }
}

/// Runs `prog` once on `input` with `maps` (updated in place) in `world`, with an
/// instruction budget. `Err` only for an unusable input.
pub fn run_program(
    prog: &Program,
    maps: &mut MapStore,
    prog_type: ProgType,
    input: &Input,
    world: &World,
    budget: u64,
) -> Result<RunResult, String> {
    run_programs(core::slice::from_ref(prog), maps, prog_type, input, world, budget)
}

/// [`run_program`] with tail-call targets: `programs[0]` runs, a prog_array slot holding `k`
/// names `programs[k]`.
pub fn run_programs(
    programs: &[Program],
    maps: &mut MapStore,
    prog_type: ProgType,
    input: &Input,
    world: &World,
    budget: u64,
) -> Result<RunResult, String> {
    let store = core::mem::take(maps);
    let mut s = match Session::new(programs, store, prog_type, input, world.clone(), budget) {
        Ok(s) => s,
        Err((e, store)) => {
            *maps = store;
            return Err(e);
        }
    };
    let _ = s.run();
    let (r, store, _) = s.finish();
    *maps = store;
    Ok(r)
}

#[cfg(test)]
mod tests;
