//! `BPF_PROG_TYPE_XDP`: a driver's receive hook. Context `struct xdp_md`
//! (net/core/filter.c `xdp_is_valid_access`) with direct packet access, reads and writes.
//! The return value is the XDP action.

use super::{CtxField, RunInput, Spec};
use crate::helpers::host::CtxInfo;
use crate::run::ctx::{put32, ETH_HLEN, XDP_HEADROOM};
use crate::run::Input;
use crate::vm::Memory;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

pub(super) const SPEC: Spec = Spec {
    name: "xdp",
    title: "XDP",
    sections: &["xdp"],
    section_prefixes: &["xdp/"],
    ctx_size: 24,
    ctx_btf: ("xdp_md", Some("xdp_buff")),
    ctx_access,
    helpers: HELPERS,
    retval,
    run_input: RunInput::Packet,
    build_ctx,
    packet_out,
    tracing: false,
    ld_abs: false,
    direct_packet: true,
    may_update_sockmap: true,
    private_stack: false,
    sk_buff: false,
};

// Measured on Linux 6.18 as root by tools/helper_matrix.py.
const HELPERS: &[u16] = &[
    1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 23, 25, 28, 35, 37, 42, 44, 51, 54, 55, 65, 69,
    80, 84, 85, 86, 87, 88, 89, 93, 94, 99, 100, 105, 106, 109, 110, 112, 113, 114, 115, 117, 118,
    120, 123, 125, 130, 131, 132, 133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156,
    157, 158, 160, 163, 164, 165, 169, 170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 188, 189,
    190, 191, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210,
    211,
];

fn retval(r0: u64) -> String {
    match r0 as u32 {
        0 => "XDP_ABORTED: drop, and count it as an error",
        1 => "XDP_DROP: drop the packet",
        2 => "XDP_PASS: hand the packet to the network stack",
        3 => "XDP_TX: send the packet back out of the same interface",
        4 => "XDP_REDIRECT: send the packet to another interface or CPU",
        _ => "unknown XDP action: the kernel treats it as XDP_ABORTED",
    }
    .to_string()
}

/// xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex.
fn ctx_access(off: u64, size: u64, write: bool) -> Option<CtxField> {
    if off == 20 || write || off >= 24 || !off.is_multiple_of(size) || size != 4 {
        return None;
    }
    Some(match off {
        0 => CtxField::PktData,
        4 => CtxField::PktEnd,
        8 => CtxField::PktMeta,
        _ => CtxField::Scalar,
    })
}

/// `BPF_PROG_TEST_RUN`'s xdp_buff: 256 bytes of headroom, then the whole frame, below 4 GiB;
/// `ingress_ifindex` 1, `rx_queue_index` 0.
fn build_ctx(input: &Input, _pid: u32, mem: &mut Memory) -> Result<CtxInfo, String> {
    let f = &input.packet;
    if f.len() < ETH_HLEN {
        return Err(format!("an XDP test frame needs at least {ETH_HLEN} bytes; got {}", f.len()));
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
    Ok(CtxInfo { packet: Some(id), ..CtxInfo::default() })
}

/// bpf_prog_test_run_xdp returns the frame from data_meta: metadata included.
fn packet_out(_input: &Input, info: &CtxInfo, mem: &Memory) -> Vec<u8> {
    crate::run::ctx::low_packet(info, mem, 8, 4)
}
