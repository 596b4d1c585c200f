//! Program contexts as the kernel shows them to a program: the values, not the layout, of
//! kernel memory (the kernel rewrites context loads into loads from its own structures;
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

use super::{Input, SysEnter};
use crate::helpers::host::CtxInfo;
use crate::progtype::ProgType;
use crate::vm::{Memory, RegionId, LOW_BASE};
use alloc::string::String;
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
fn test_run_socket() -> Vec<u8> {
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
fn pkt_type(dst: &[u8]) -> u32 {
    if dst[0] & 1 != 0 {
        2 // PACKET_MULTICAST
    } else if dst.iter().all(|&b| b == 0) {
        0 // PACKET_HOST
    } else {
        3 // PACKET_OTHERHOST
    }
}

/// `skb->protocol` as `eth_type_trans` sets it, as the two bytes in memory.
fn protocol(frame: &[u8]) -> [u8; 2] {
    let t = u16::from_be_bytes([frame[12], frame[13]]);
    if t >= 0x0600 {
        [frame[12], frame[13]]
    } else if frame.get(14..16) == Some(&[0xff, 0xff]) {
        0x0001u16.to_be_bytes() // ETH_P_802_3
    } else {
        0x0004u16.to_be_bytes() // ETH_P_802_2
    }
}

fn put32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

/// Builds the context of `prog_type` from `input` in `mem` (its input region is the context)
/// and says where the packet is.
pub(crate) fn build(
    prog_type: ProgType,
    input: &Input,
    pid: u32,
    mem: &mut Memory,
) -> Result<CtxInfo, String> {
    let mut info = CtxInfo::default();
    match prog_type {
        ProgType::SocketFilter => {
            let f = &input.packet;
            if f.len() < ETH_HLEN {
                return Err(alloc::format!("a socket filter's test frame needs at least {ETH_HLEN} bytes (the Ethernet header); got {}", f.len()));
            }
            let mut c = vec![0u8; skb::SIZE];
            put32(&mut c, skb::LEN, (f.len() - ETH_HLEN) as u32);
            put32(&mut c, skb::PKT_TYPE, pkt_type(&f[..6]));
            c[skb::PROTOCOL..skb::PROTOCOL + 2].copy_from_slice(&protocol(f));
            put32(&mut c, skb::IFINDEX, 1);
            let (_, sk) = mem
                .add_region("socket", test_run_socket(), false)
                .ok_or("no room for the socket")?;
            c[skb::SK..skb::SK + 8].copy_from_slice(&sk.to_le_bytes());
            mem.set_input(&c);
            mem.set_input_writable(true);
            let (id, _) =
                mem.add_region("packet", f[ETH_HLEN..].to_vec(), true).ok_or("packet too large")?;
            mem.set_packet(id);
            // eth_type_trans leaves the frame's Ethernet header in front of skb->data, where
            // LD_ABS/LD_IND from SKF_LL_OFF read it.
            mem.set_link_header(&f[..ETH_HLEN]);
            info.packet = Some(id);
        }
        ProgType::Xdp => {
            let f = &input.packet;
            if f.len() < ETH_HLEN {
                return Err(alloc::format!(
                    "an XDP test frame needs at least {ETH_HLEN} bytes; got {}",
                    f.len()
                ));
            }
            let mut buf = vec![0u8; XDP_HEADROOM];
            buf.extend_from_slice(f);
            let (id, _) = mem.add_region("packet", buf, true).ok_or("packet too large")?;
            let base = mem.set_low_region(id).ok_or("packet too large")?;
            let data = base + XDP_HEADROOM as u64;
            let mut c = vec![0u8; 24];
            put32(&mut c, 0, data as u32);
            put32(&mut c, 4, (data + f.len() as u64) as u32);
            put32(&mut c, 8, data as u32);
            put32(&mut c, 12, 1); // ingress_ifindex
            mem.set_input(&c);
            mem.set_input_writable(false);
            info.packet = Some(id);
        }
        ProgType::Kprobe => {
            let mut c = match &input.raw_ctx {
                Some(b) => b.clone(),
                None => input.regs.to_bytes(),
            };
            c.resize(168, 0);
            mem.set_input(&c);
            mem.set_input_writable(false);
        }
        ProgType::Tracepoint => {
            let mut c = match &input.raw_ctx {
                Some(b) => b.clone(),
                None => sys_enter_record(&input.syscall, pid),
            };
            if c.len() < TRACEPOINT_CTX_SIZE {
                c.resize(TRACEPOINT_CTX_SIZE, 0);
            }
            mem.set_input(&c);
            mem.set_input_writable(false);
        }
    }
    info.ctx = Some(RegionId::INPUT);
    Ok(info)
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

/// The packet as `BPF_PROG_TEST_RUN` gives it back: for a socket filter the Ethernet header
/// comes back zeroed (measured), then the packet as the program left it.
pub(crate) fn packet_out(
    prog_type: ProgType,
    input: &Input,
    info: &CtxInfo,
    mem: &Memory,
) -> Vec<u8> {
    let Some(pkt) = info.packet.and_then(|id| mem.region(id)) else { return Vec::new() };
    match prog_type {
        ProgType::SocketFilter => {
            // bpf_prog_test_run_skb pushes the link-layer header back as zeros.
            let _ = input;
            let mut out = vec![0u8; ETH_HLEN];
            out.extend_from_slice(&pkt.data);
            out
        }
        ProgType::Xdp => {
            // bpf_prog_test_run_xdp returns the frame from data_meta: metadata included.
            let c = mem.input();
            let data = u32::from_le_bytes([c[8], c[9], c[10], c[11]]) as u64;
            let end = u32::from_le_bytes([c[4], c[5], c[6], c[7]]) as u64;
            let (a, b) = ((data - LOW_BASE) as usize, (end - LOW_BASE) as usize);
            pkt.data.get(a..b).map(|s| s.to_vec()).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}
