//! `BPF_PROG_TYPE_SCHED_CLS` and `BPF_PROG_TYPE_SCHED_ACT`: tc classifiers and actions
//! (net/core/filter.c `tc_cls_act_is_valid_access`, `tc_cls_act_func_proto`). Context
//! `struct __sk_buff` with direct packet access from the Ethernet header on, reads and
//! writes; `LD_ABS`/`LD_IND`; writes to mark, tc_index, priority, tc_classid, cb[], tstamp
//! and queue_mapping. The return value is the tc action (or a class id).

use super::{CtxField, RunInput, Spec};
use crate::helpers::host::CtxInfo;
use crate::run::ctx::{pkt_type, protocol, put32, skb, test_run_socket, ETH_HLEN};
use crate::run::Input;
use crate::vm::Memory;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

pub(super) const SCHED_CLS: Spec = Spec {
    name: "sched_cls",
    title: "tc classifier",
    sections: &["tc", "classifier", "tc/ingress", "tc/egress", "tcx/ingress", "tcx/egress"],
    section_prefixes: &["classifier/"],
    ..SCHED_ACT
};

pub(super) const SCHED_ACT: Spec = Spec {
    name: "sched_act",
    title: "tc action",
    sections: &["action"],
    section_prefixes: &["action/"],
    ctx_size: skb::SIZE as u32,
    ctx_btf: ("__sk_buff", Some("sk_buff")),
    ctx_access,
    helpers: HELPERS,
    retval,
    run_input: RunInput::Packet,
    build_ctx,
    packet_out,
    tracing: false,
    ld_abs: true,
    direct_packet: true,
    may_update_sockmap: true,
    private_stack: false,
    sk_buff: true,
};

// Measured on Linux 6.18 as root (tools/helper_matrix.py): the same for both types.
const HELPERS: &[u16] = &[
    1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28,
    29, 30, 31, 32, 33, 34, 35, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 50, 55, 66, 68, 69, 79, 80,
    83, 84, 85, 86, 87, 88, 89, 93, 94, 95, 96, 97, 98, 99, 100, 105, 106, 107, 108, 109, 110, 112,
    113, 114, 115, 117, 118, 120, 122, 123, 124, 125, 130, 131, 132, 133, 134, 135, 136, 137, 138,
    139, 140, 141, 148, 149, 151, 152, 153, 154, 155, 156, 157, 158, 160, 163, 164, 165, 169, 170,
    171, 172, 175, 176, 177, 178, 180, 181, 182, 191, 192, 194, 195, 196, 197, 198, 199, 200, 201,
    202, 203, 204, 205, 206, 207, 208, 209, 210, 211,
];

/// include/uapi/linux/pkt_cls.h `TC_ACT_*`.
fn retval(r0: u64) -> String {
    match r0 as i32 {
        -1 => "TC_ACT_UNSPEC: the qdisc's default action",
        0 => "TC_ACT_OK: let the packet through",
        1 => "TC_ACT_RECLASSIFY: classify the packet again",
        2 => "TC_ACT_SHOT: drop the packet",
        3 => "TC_ACT_PIPE: go on to the next action",
        4 => "TC_ACT_STOLEN: the packet was consumed",
        5 => "TC_ACT_QUEUED: the packet was queued",
        6 => "TC_ACT_REPEAT: run the action again",
        7 => "TC_ACT_REDIRECT: send the packet where bpf_redirect said",
        8 => "TC_ACT_TRAP: hand the packet to the host",
        _ => return format!("{r0:#x}: no TC_ACT_* action (as a classifier in direct-action mode, the kernel treats it as TC_ACT_UNSPEC)"),
    }
    .to_string()
}

/// `tc_cls_act_is_valid_access`.
fn ctx_access(o: u64, size: u64, write: bool) -> Option<CtxField> {
    use super::skb::off::*;
    const QUEUE_MAPPING_END: u64 = QUEUE_MAPPING + 4;
    // mark, queue_mapping, priority, tc_index, cb[], tc_classid, tstamp.
    let writable = matches!(o, MARK..QUEUE_MAPPING_END | PRIORITY..36 | TC_INDEX..CB_END | TC_CLASSID..DATA)
        || (TSTAMP..WIRE_LEN).contains(&o);
    if write && !writable {
        return None;
    }
    let ptr = match o {
        DATA..DATA_END => Some(CtxField::PktData),
        DATA_END..84 => Some(CtxField::PktEnd),
        DATA_META..FLOW_KEYS => Some(CtxField::PktMeta),
        FAMILY..LOCAL_PORT_END => return None,
        TSTAMP_TYPE => return (size == 1).then_some(CtxField::Scalar),
        _ => None,
    };
    let f = super::skb::is_valid_access(o, size, write)?;
    Some(ptr.unwrap_or(f))
}

/// `BPF_PROG_TEST_RUN`'s skb for tc (measured on 6.18): `skb->data` at the Ethernet header
/// (the frame below 4 GiB, as bpfplay's u32 `data` fields need), `len` the frame's length,
/// `pkt_type` and `protocol` from the header, `ifindex` 1, `sk` the dummy socket,
/// everything else 0.
fn build_ctx(input: &Input, _pid: u32, mem: &mut Memory) -> Result<CtxInfo, String> {
    use super::skb::off;
    let f = &input.packet;
    if f.len() < ETH_HLEN {
        return Err(format!(
            "a tc program's test frame needs at least {ETH_HLEN} bytes (the Ethernet header); got {}",
            f.len()
        ));
    }
    let (id, _) = mem.add_region("packet", f.clone(), true).ok_or("packet too large")?;
    let data = mem.set_low_region(id).ok_or("packet too large")?;
    mem.set_packet(id);
    let mut c = vec![0u8; skb::SIZE];
    put32(&mut c, skb::LEN, f.len() as u32);
    put32(&mut c, skb::PKT_TYPE, pkt_type(&f[..6]));
    c[skb::PROTOCOL..skb::PROTOCOL + 2].copy_from_slice(&protocol(f));
    put32(&mut c, skb::IFINDEX, 1);
    put32(&mut c, off::DATA as usize, data as u32);
    put32(&mut c, off::DATA_END as usize, (data + f.len() as u64) as u32);
    put32(&mut c, off::DATA_META as usize, data as u32);
    let (_, sk) =
        mem.add_region("socket", test_run_socket(), false).ok_or("no room for the socket")?;
    c[skb::SK..skb::SK + 8].copy_from_slice(&sk.to_le_bytes());
    mem.set_input(&c);
    mem.set_input_writable(true);
    Ok(CtxInfo { packet: Some(id), ..CtxInfo::default() })
}

/// The frame as the program left it, from `skb->data` to `data_end`.
fn packet_out(_input: &Input, info: &CtxInfo, mem: &Memory) -> Vec<u8> {
    use super::skb::off::{DATA, DATA_END};
    crate::run::ctx::low_packet(info, mem, DATA as usize, DATA_END as usize)
}
