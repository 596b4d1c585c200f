//! `BPF_PROG_TYPE_TRACEPOINT`: a tracepoint's record (kernel/trace/bpf_trace.c
//! `tp_prog_is_valid_access`: read-only, past the 8 bytes of common fields). bpfplay's
//! record is a syscall entry's (`trace_event_raw_sys_enter`). The return value is ignored.

use super::{CtxField, RunInput, Spec};
use crate::helpers::host::CtxInfo;
use crate::run::ctx::{sys_enter_record, TRACEPOINT_CTX_SIZE};
use crate::run::Input;
use crate::vm::Memory;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

pub(super) const SPEC: Spec = Spec {
    name: "tracepoint",
    title: "Tracepoint",
    sections: &[],
    section_prefixes: &["tracepoint/", "tp/"],
    ctx_size: TRACEPOINT_CTX_SIZE as u32,
    // A tracepoint's context is `__u64 *`, never a struct.
    ctx_btf: ("", None),
    ctx_access,
    helpers: HELPERS,
    retval: |_| "tracepoints' return value is ignored by the kernel".to_string(),
    run_input: RunInput::Record,
    build_ctx,
    packet_out: |_, _, _| Vec::new(),
    tracing: true,
    ld_abs: false,
    direct_packet: false,
    may_update_sockmap: false,
    // bpf_enable_priv_stack: measured, tracepoints get private stacks, kprobes not.
    private_stack: true,
    sk_buff: false,
};

// Measured on Linux 6.18 as root by tools/helper_matrix.py.
const HELPERS: &[u16] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88, 89,
    93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134,
    141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177,
    180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
];

fn ctx_access(off: u64, size: u64, write: bool) -> Option<CtxField> {
    if !(8..TRACEPOINT_CTX_SIZE as u64).contains(&off) || write || !off.is_multiple_of(size) {
        return None;
    }
    Some(CtxField::Scalar)
}

/// The record given (raw context bytes) or a syscall entry's, zero-padded to 8 KiB.
fn build_ctx(input: &Input, pid: u32, mem: &mut Memory) -> Result<CtxInfo, String> {
    let mut c = match &input.raw_ctx {
        Some(b) => b.clone(),
        None => sys_enter_record(&input.syscall, pid),
    };
    if c.len() < TRACEPOINT_CTX_SIZE {
        c.resize(TRACEPOINT_CTX_SIZE, 0);
    }
    mem.set_input(&c);
    mem.set_input_writable(false);
    Ok(CtxInfo::default())
}
