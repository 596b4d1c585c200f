//! `BPF_PROG_TYPE_SOCKET_FILTER`: a socket's packet filter. Context `struct __sk_buff`
//! (net/core/filter.c `sk_filter_is_valid_access`, `bpf_skb_is_valid_access`), `LD_ABS` and
//! `LD_IND`, no direct packet access. The return value is how many bytes to keep.

use super::{CtxField, RunInput, Spec};
use crate::helpers::host::CtxInfo;
use crate::run::ctx::{pkt_type, protocol, put32, skb, test_run_socket, ETH_HLEN};
use crate::run::Input;
use crate::vm::Memory;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

pub(super) const SPEC: Spec = Spec {
    name: "socket_filter",
    title: "Socket filter",
    sections: &["socket"],
    section_prefixes: &["socket/"],
    ctx_size: 192,
    ctx_btf: ("__sk_buff", Some("sk_buff")),
    ctx_access,
    helpers: HELPERS,
    retval,
    run_input: RunInput::Packet,
    build_ctx,
    packet_out,
    tracing: false,
    ld_abs: true,
    direct_packet: false,
    may_update_sockmap: true,
    private_stack: false,
    sk_buff: true,
};

// Measured on Linux 6.18 as root by tools/helper_matrix.py.
const HELPERS: &[u16] = &[
    1, 2, 3, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 26, 35, 37, 42, 46, 47, 55, 68, 80, 87, 88,
    89, 93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 122, 123, 125, 130, 131, 132,
    133, 134, 136, 137, 138, 139, 140, 141, 148, 149, 153, 154, 156, 157, 158, 160, 164, 165, 169,
    170, 171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 194, 195, 196, 197, 198, 199, 200, 201,
    202, 203, 208, 209, 210, 211,
];

fn retval(r0: u64) -> String {
    match r0 as u32 {
        0 => "drop the packet (keep 0 bytes)".to_string(),
        n => format!("keep the packet, trimmed to at most {n} bytes"),
    }
}

/// `sk_filter_is_valid_access`: no tc_classid, packet pointers, socket addresses,
/// timestamps or wire_len; writes to cb[] only.
fn ctx_access(o: u64, size: u64, write: bool) -> Option<CtxField> {
    use super::skb::off::{CB, CB_END};
    // tc_classid, data, data_end; family..local_port, data_meta; tstamp, wire_len; hwtstamp.
    let denied = matches!(o, 72..=83 | 88..=143 | 152..=163 | 184..=191);
    if denied || (write && !(CB..CB_END).contains(&o)) {
        return None;
    }
    super::skb::is_valid_access(o, size, write)
}

/// `BPF_PROG_TEST_RUN`'s skb (measured on 6.18): `len` = frame length - 14, `pkt_type` from
/// the destination address, `protocol` the EtherType as the kernel stores it, `ifindex` 1,
/// `sk` a dummy socket, everything else 0; `skb->data` after the Ethernet header.
fn build_ctx(input: &Input, _pid: u32, mem: &mut Memory) -> Result<CtxInfo, String> {
    let f = &input.packet;
    if f.len() < ETH_HLEN {
        return Err(format!(
            "a socket filter's test frame needs at least {ETH_HLEN} bytes (the Ethernet header); got {}",
            f.len()
        ));
    }
    let mut c = vec![0u8; skb::SIZE];
    put32(&mut c, skb::LEN, (f.len() - ETH_HLEN) as u32);
    put32(&mut c, skb::PKT_TYPE, pkt_type(&f[..6]));
    c[skb::PROTOCOL..skb::PROTOCOL + 2].copy_from_slice(&protocol(f));
    put32(&mut c, skb::IFINDEX, 1);
    let (_, sk) =
        mem.add_region("socket", test_run_socket(), false).ok_or("no room for the socket")?;
    c[skb::SK..skb::SK + 8].copy_from_slice(&sk.to_le_bytes());
    mem.set_input(&c);
    mem.set_input_writable(true);
    let (id, _) =
        mem.add_region("packet", f[ETH_HLEN..].to_vec(), true).ok_or("packet too large")?;
    mem.set_packet(id);
    // eth_type_trans leaves the frame's Ethernet header in front of skb->data, where
    // LD_ABS/LD_IND from SKF_LL_OFF read it.
    mem.set_link_header(&f[..ETH_HLEN]);
    Ok(CtxInfo { packet: Some(id), ..CtxInfo::default() })
}

/// bpf_prog_test_run_skb pushes the link-layer header back as zeros (measured).
fn packet_out(_input: &Input, info: &CtxInfo, mem: &Memory) -> Vec<u8> {
    let Some(pkt) = info.packet.and_then(|id| mem.region(id)) else { return Vec::new() };
    let mut out = vec![0u8; ETH_HLEN];
    out.extend_from_slice(&pkt.data);
    out
}
