//! `BPF_PROG_TYPE_KPROBE`: kprobes and uprobes. Context the probed task's `struct pt_regs`
//! (kernel/trace/bpf_trace.c `kprobe_prog_is_valid_access`), read-only. The return value
//! is ignored.

use super::{CtxField, RunInput, Spec};
use crate::helpers::host::CtxInfo;
use crate::run::Input;
use crate::vm::Memory;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

pub(super) const SPEC: Spec = Spec {
    name: "kprobe",
    title: "kprobe",
    sections: &["kprobe", "kretprobe"],
    section_prefixes: &["kprobe/", "kretprobe/", "uprobe", "uretprobe"],
    ctx_size: CTX_SIZE,
    ctx_btf: ("pt_regs", None),
    ctx_access,
    helpers: HELPERS,
    retval: |_| "kprobes' return value is ignored by the kernel".to_string(),
    run_input: RunInput::Regs,
    build_ctx,
    packet_out: |_, _, _| Vec::new(),
    tracing: true,
    ld_abs: false,
    direct_packet: false,
    may_update_sockmap: false,
    private_stack: false,
    sk_buff: false,
};

/// x86-64 `struct pt_regs`.
const CTX_SIZE: u32 = 168;

// Measured on Linux 6.18 as root by tools/helper_matrix.py.
const HELPERS: &[u16] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 12, 14, 15, 16, 17, 22, 25, 27, 35, 37, 42, 45, 55, 67, 80, 87, 88, 89,
    93, 94, 105, 106, 109, 112, 113, 114, 115, 117, 118, 120, 123, 125, 130, 131, 132, 133, 134,
    141, 148, 149, 153, 154, 156, 157, 158, 164, 165, 169, 170, 171, 172, 173, 174, 175, 176, 177,
    180, 181, 182, 191, 194, 195, 197, 198, 199, 200, 201, 202, 203, 208, 209, 210, 211,
];

fn ctx_access(off: u64, size: u64, write: bool) -> Option<CtxField> {
    let end = CTX_SIZE as u64;
    if off >= end || write || !off.is_multiple_of(size) || off + size > end {
        return None;
    }
    Some(CtxField::Scalar)
}

/// The registers given, or raw context bytes, zero-padded to the struct.
fn build_ctx(input: &Input, _pid: u32, mem: &mut Memory) -> Result<CtxInfo, String> {
    let mut c = match &input.raw_ctx {
        Some(b) => b.clone(),
        None => input.regs.to_bytes(),
    };
    c.resize(CTX_SIZE as usize, 0);
    mem.set_input(&c);
    mem.set_input_writable(false);
    Ok(CtxInfo::default())
}
