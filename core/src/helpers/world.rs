//! The "world" a program runs in: what the kernel would know about the current task, the
//! clock, the CPU, the random generator and kernel/user memory. The caller sets it (the UI
//! lets people edit it); a run is deterministic for a given world.

use alloc::string::String;
use alloc::vec::Vec;

/// A block of simulated memory at an address, for `bpf_probe_read*` and `%s` in
/// `bpf_trace_printk`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemBlock {
    pub addr: u64,
    pub data: Vec<u8>,
}

/// x86-64's `TASK_SIZE_MAX`: addresses below are user space.
pub const TASK_SIZE: u64 = 0x0000_7fff_ffff_f000;
/// The first address `copy_from_kernel_nofault` accepts (`TASK_SIZE_MAX + PAGE_SIZE`).
pub const KERNEL_MIN: u64 = TASK_SIZE + 4096;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct World {
    /// `bpf_ktime_get_ns` (also `ktime_get_boot_ns`, `ktime_get_coarse_ns`) returns this,
    /// then the clock advances by `ktime_step_ns`.
    pub ktime_ns: u64,
    pub ktime_step_ns: u64,
    /// The current task: `bpf_get_current_pid_tgid` is `tgid << 32 | pid`.
    pub pid: u32,
    pub tgid: u32,
    /// `bpf_get_current_uid_gid` is `gid << 32 | uid`.
    pub uid: u32,
    pub gid: u32,
    /// `bpf_get_current_comm` (at most 15 bytes are used, as `TASK_COMM_LEN` is 16).
    pub comm: String,
    /// `bpf_get_current_task`: the address of the current `task_struct` (in `kernel_memory`
    /// if the program is to read it).
    pub current_task: u64,
    /// The CPU the program runs on (`bpf_get_smp_processor_id`, per-CPU map values).
    pub cpu: u32,
    /// Seed of `bpf_get_prandom_u32` (the kernel's Tausworthe generator, `prandom_u32_state`).
    pub prandom_seed: u64,
    /// Kernel memory (addresses at or above `KERNEL_MIN`); the program's own memory
    /// (stack, context, map values) counts as kernel memory too.
    pub kernel_memory: Vec<MemBlock>,
    /// User memory of the current task (addresses below `TASK_SIZE`).
    pub user_memory: Vec<MemBlock>,
    /// `bpf_get_socket_cookie` of the packet's socket. The kernel's test run gives its dummy
    /// socket the next value of a global counter, so no fixed value is the kernel's.
    pub socket_cookie: u64,
    /// The call chain `bpf_get_stack`/`bpf_get_stackid` see, innermost first: kernel return
    /// addresses, and the current task's user-space ones (`BPF_F_USER_STACK`).
    pub kernel_stack: Vec<u64>,
    pub user_stack: Vec<u64>,
}

impl Default for World {
    fn default() -> Self {
        World {
            ktime_ns: 1_000_000_000,
            ktime_step_ns: 1_000,
            pid: 1000,
            tgid: 1000,
            uid: 0,
            gid: 0,
            comm: String::from("bpfplay"),
            current_task: 0xffff_8880_0420_0000,
            cpu: 0,
            prandom_seed: 1,
            kernel_memory: Vec::new(),
            user_memory: Vec::new(),
            socket_cookie: 4096,
            // A made-up chain: a syscall's handler under entry_SYSCALL_64.
            kernel_stack: alloc::vec![
                0xffff_ffff_8114_2a40,
                0xffff_ffff_8114_3b18,
                0xffff_ffff_8100_5d2c,
                0xffff_ffff_81e0_0134,
                0xffff_ffff_8200_0130,
            ],
            user_stack: alloc::vec![
                0x0000_7f3a_1c2e_91d7,
                0x0000_5612_a0c0_14b2,
                0x0000_7f3a_1c22_9d90
            ],
        }
    }
}

/// `len` bytes at `addr` from `blocks`, when one block holds them all.
pub fn read_blocks(blocks: &[MemBlock], addr: u64, len: usize) -> Option<&[u8]> {
    blocks.iter().find_map(|b| {
        let off = usize::try_from(addr.checked_sub(b.addr)?).ok()?;
        b.data.get(off..off.checked_add(len)?)
    })
}

/// The bytes from `addr` to the end of the block holding it.
pub fn block_tail(blocks: &[MemBlock], addr: u64) -> Option<&[u8]> {
    blocks.iter().find_map(|b| {
        let off = usize::try_from(addr.checked_sub(b.addr)?).ok()?;
        b.data.get(off..).filter(|s| !s.is_empty())
    })
}

/// bpfplay's simulated `task_struct`: a simplified layout (not the kernel's, whose offsets
/// vary by version and configuration; real programs get them from BTF with CO-RE), enough
/// for a kprobe to walk the task tree with `bpf_probe_read_kernel`. The C examples declare
/// it as `struct task_struct { int pid; int tgid; char comm[16]; struct task_struct
/// *real_parent; }` (static/c/bpfplay.h).
pub mod sim_task {
    pub const PID: usize = 0;
    pub const TGID: usize = 4;
    pub const COMM: usize = 8;
    pub const REAL_PARENT: usize = 24;
    pub const SIZE: usize = 32;
    /// Distance between the simulated tasks in kernel memory.
    pub const STRIDE: u64 = 0x1000;
}

impl World {
    /// Puts a small task tree in `kernel_memory` (replacing an earlier one): the current
    /// task (this world's pid, tgid and comm, at `current_task`), its parent `bash` (pid
    /// 812), `systemd` (pid 1) and `swapper/0` (pid 0, its own parent), in the
    /// `sim_task` layout.
    pub fn add_task_tree(&mut self) {
        let base = self.current_task;
        let tasks: [(u32, u32, &str); 4] = [
            (self.pid, self.tgid, self.comm.as_str()),
            (812, 812, "bash"),
            (1, 1, "systemd"),
            (0, 0, "swapper/0"),
        ];
        let mut blocks = Vec::new();
        for (i, (pid, tgid, comm)) in tasks.iter().enumerate() {
            let addr = base.wrapping_add(i as u64 * sim_task::STRIDE);
            let parent = if i + 1 < tasks.len() {
                base.wrapping_add((i as u64 + 1) * sim_task::STRIDE)
            } else {
                addr
            };
            let mut d = alloc::vec![0u8; sim_task::SIZE];
            d[sim_task::PID..sim_task::PID + 4].copy_from_slice(&pid.to_le_bytes());
            d[sim_task::TGID..sim_task::TGID + 4].copy_from_slice(&tgid.to_le_bytes());
            let c = comm.as_bytes();
            let n = c.len().min(15);
            d[sim_task::COMM..sim_task::COMM + n].copy_from_slice(&c[..n]);
            d[sim_task::REAL_PARENT..sim_task::REAL_PARENT + 8]
                .copy_from_slice(&parent.to_le_bytes());
            blocks.push(MemBlock { addr, data: d });
        }
        let end = base.wrapping_add(tasks.len() as u64 * sim_task::STRIDE);
        self.kernel_memory.retain(|b| b.addr < base || b.addr >= end);
        self.kernel_memory.extend(blocks);
    }
}
