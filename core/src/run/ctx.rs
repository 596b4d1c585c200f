//! What program contexts are made of; each type's module in [`crate::progtype`] builds its
//! own from these. Contexts are as the kernel shows them to a program: the values, not the
//! layout, of kernel memory (the kernel rewrites context loads into loads from its own structures;
//! bpfplay presents the UAPI structure with the values those loads give).
//!
//! | type | context (`r1`) | packet |
//! |---|---|---|
//! | socket_filter | `struct __sk_buff` (192 bytes) | the frame after its 14-byte Ethernet header, for `LD_ABS`/`LD_IND` and `bpf_skb_load_bytes` |
//! | xdp | `struct xdp_md` (24 bytes): `data`, `data_end`, `data_meta` are 32-bit addresses of the packet | 256 bytes of headroom then the whole frame, below 4 GiB |
//! | kprobe | x86-64 `struct pt_regs` (168 bytes) | none |
//! | tracepoint | a syscall-entry record (`trace_event_raw_sys_enter`: common fields, `id`, `args[6]`), zero-padded to 8 KiB | none |
//!
//! Socket filter values are those of `BPF_PROG_TEST_RUN` on Linux 6.18 (measured): `len` =
//! frame length - 14, `pkt_type` from the destination address (3, PACKET_OTHERHOST, for
//! an address that is not the device's), `protocol` the EtherType as the kernel stores it
//! (network byte order), `ifindex` 1, `sk` a dummy socket ([`test_run_socket`]), everything else 0.

use super::SysEnter;
use crate::helpers::host::CtxInfo;
use crate::vm::{Memory, LOW_BASE};
use alloc::vec;
use alloc::vec::Vec;

pub const ETH_HLEN: usize = 14;
/// `XDP_PACKET_HEADROOM`.
pub const XDP_HEADROOM: usize = 256;
/// Size of the tracepoint context region.
pub const TRACEPOINT_CTX_SIZE: usize = 8192;

/// `__sk_buff` offsets.
pub mod skb {
    pub const LEN: usize = 0;
    pub const PKT_TYPE: usize = 4;
    pub const PROTOCOL: usize = 16;
    pub const IFINDEX: usize = 40;
    /// `struct bpf_sock *sk` (8 bytes).
    pub const SK: usize = 168;
    pub const SIZE: usize = 192;
}

/// The `struct bpf_sock` that `skb->sk` points to in a socket filter's test run: the
/// kernel's dummy socket (`bpf_prog_test_run_skb`), all zeros but `state` 7 (TCP_CLOSE) and
/// `rx_queue_mapping` -1 (measured on 6.18 through every field a socket filter may read).
pub(crate) fn test_run_socket() -> Vec<u8> {
    let mut b = vec![0u8; 80];
    put32(&mut b, 72, 7);
    put32(&mut b, 76, u32::MAX);
    b
}

/// x86-64 `struct pt_regs`, in memory order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PtRegs {
    pub regs: [u64; 21],
}

impl PtRegs {
    pub const NAMES: [&'static str; 21] = [
        "r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si",
        "di", "orig_ax", "ip", "cs", "flags", "sp", "ss",
    ];

    /// The byte offset of a register by name (`di`, `rdi` and `si`... as in `PT_REGS_PARM1`).
    pub fn offset(name: &str) -> Option<usize> {
        let n = name
            .strip_prefix('r')
            .filter(|s| !s.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(name);
        Self::NAMES.iter().position(|&x| x == n || x == name).map(|i| i * 8)
    }

    pub fn set(&mut self, name: &str, v: u64) -> bool {
        match Self::offset(name) {
            Some(o) => {
                self.regs[o / 8] = v;
                true
            }
            None => false,
        }
    }

    pub fn get(&self, name: &str) -> Option<u64> {
        Self::offset(name).map(|o| self.regs[o / 8])
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.regs.iter().flat_map(|r| r.to_le_bytes()).collect()
    }
}

/// `pkt_type` as `eth_type_trans` sets it on the test run's loopback device, whose address
/// and broadcast address are both all zeros: PACKET_BROADCAST only for a destination equal
/// to the device's broadcast address, so ff:ff:ff:ff:ff:ff is just multicast (measured: 2).
pub(crate) fn pkt_type(dst: &[u8]) -> u32 {
    if dst[0] & 1 != 0 {
        2 // PACKET_MULTICAST
    } else if dst.iter().all(|&b| b == 0) {
        0 // PACKET_HOST
    } else {
        3 // PACKET_OTHERHOST
    }
}

/// `skb->protocol` as `eth_type_trans` sets it, as the two bytes in memory.
pub(crate) fn protocol(frame: &[u8]) -> [u8; 2] {
    let t = u16::from_be_bytes([frame[12], frame[13]]);
    if t >= 0x0600 {
        [frame[12], frame[13]]
    } else if frame.get(14..16) == Some(&[0xff, 0xff]) {
        0x0001u16.to_be_bytes() // ETH_P_802_3
    } else {
        0x0004u16.to_be_bytes() // ETH_P_802_2
    }
}

pub(crate) fn put32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

/// `struct trace_event_raw_sys_enter`: `type` (u16), `flags`, `preempt_count` (u8), `pid`
/// (i32), then `id` (i64) and `args[6]`.
pub fn sys_enter_record(s: &SysEnter, pid: u32) -> Vec<u8> {
    let mut b = vec![0u8; 64];
    b[0..2].copy_from_slice(&s.event_type.to_le_bytes());
    b[4..8].copy_from_slice(&pid.to_le_bytes());
    b[8..16].copy_from_slice(&s.id.to_le_bytes());
    for (i, a) in s.args.iter().enumerate() {
        b[16 + i * 8..24 + i * 8].copy_from_slice(&a.to_le_bytes());
    }
    b
}

/// The packet a low-region program (XDP, tc) leaves: its region's bytes between the 32-bit
/// addresses at context offsets `from` and `to` (`data_meta` or `data`, and `data_end`).
pub(crate) fn low_packet(info: &CtxInfo, mem: &Memory, from: usize, to: usize) -> Vec<u8> {
    let Some(pkt) = info.packet.and_then(|id| mem.region(id)) else { return Vec::new() };
    let c = mem.input();
    let rd = |o: usize| c.get(o..o + 4).map_or(0, |w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
    let (a, b) = (rd(from) as u64, rd(to) as u64);
    let (a, b) = (a.saturating_sub(LOW_BASE) as usize, b.saturating_sub(LOW_BASE) as usize);
    pkt.data.get(a..b).map(|s| s.to_vec()).unwrap_or_default()
}
