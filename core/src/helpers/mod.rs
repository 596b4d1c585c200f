//! Helper functions: availability per program type (measured on the kernel) and the
//! prototypes the verifier checks calls against (kernel `struct bpf_func_proto`s in
//! kernel/bpf/helpers.c, net/core/filter.c, kernel/trace/bpf_trace.c, kernel/bpf/ringbuf.c).

pub(crate) mod avail;
pub(crate) mod host;
pub(crate) mod prandom;
pub(crate) mod printk;
pub(crate) mod strtox;
pub(crate) mod world;

/// The kernel's nr_cpu_ids as bpfplay models it: the verifier bounds
/// `bpf_get_smp_processor_id` below it. Two, as on the machine whose kernel the
/// differential tests compare with (../shared/KERNEL.md).
pub const POSSIBLE_CPUS: u32 = 2;

pub use host::KernelHost;
pub use world::{MemBlock, World};

use crate::progtype::ProgType;

/// Argument kinds (`enum bpf_arg_type`), as far as bpfplay's helpers need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Not an argument (ARG_DONTCARE): not checked.
    DontCare,
    Anything,
    ConstMapPtr,
    MapKey,
    MapValue,
    /// ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE: `value_size` bytes the helper writes
    /// (`bpf_map_pop_elem`, `bpf_map_peek_elem`).
    MapValueUninit,
    /// Readable memory of the size in the next argument (ARG_PTR_TO_MEM | MEM_RDONLY).
    MemRdonly,
    /// Memory the helper writes (ARG_PTR_TO_UNINIT_MEM), size in the next argument.
    UninitMem,
    ConstSize,
    ConstSizeOrZero,
    ConstAllocSizeOrZero,
    Ctx,
    /// ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE.
    RingbufMemRelease,
    /// ARG_PTR_TO_FIXED_SIZE_MEM | MEM_UNINIT | MEM_WRITE | MEM_ALIGNED of 8 bytes: where
    /// the helper writes a 64-bit result (the former ARG_PTR_TO_LONG).
    WriteLong,
    /// ARG_PTR_TO_FUNC: a callback (`LD_IMM64` of a static subprogram).
    Func,
    /// ARG_PTR_TO_STACK_OR_NULL: a stack pointer or 0 (a callback's context).
    StackOrNull,
    /// ARG_PTR_TO_BTF_ID_SOCK_COMMON: any socket pointer (a socket map's value, which
    /// `resolve_map_arg_type` makes of ARG_PTR_TO_MAP_VALUE).
    SockCommon,
    /// ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE (`bpf_sk_release`).
    SockCommonRelease,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Integer,
    Void,
    MapValueOrNull,
    RingbufMemOrNull,
}

#[derive(Clone, Copy, Debug)]
pub struct Proto {
    pub id: i32,
    pub ret: Ret,
    pub args: [Arg; 5],
}

use Arg::*;

const fn p(id: i32, ret: Ret, args: [Arg; 5]) -> Proto {
    Proto { id, ret, args }
}
const NONE: [Arg; 5] = [DontCare; 5];

/// The prototypes bpfplay implements.
pub const PROTOS: &[Proto] = &[
    p(1, Ret::MapValueOrNull, [ConstMapPtr, MapKey, DontCare, DontCare, DontCare]),
    p(2, Ret::Integer, [ConstMapPtr, MapKey, MapValue, Anything, DontCare]),
    p(3, Ret::Integer, [ConstMapPtr, MapKey, DontCare, DontCare, DontCare]),
    p(4, Ret::Integer, [UninitMem, ConstSizeOrZero, Anything, DontCare, DontCare]),
    p(5, Ret::Integer, NONE),
    p(6, Ret::Integer, [MemRdonly, ConstSize, DontCare, DontCare, DontCare]),
    p(7, Ret::Integer, NONE),
    p(8, Ret::Integer, NONE),
    p(9, Ret::Integer, [Ctx, Anything, MemRdonly, ConstSize, Anything]),
    p(12, Ret::Void, [Ctx, ConstMapPtr, Anything, DontCare, DontCare]),
    p(14, Ret::Integer, NONE),
    p(15, Ret::Integer, NONE),
    p(16, Ret::Integer, [UninitMem, ConstSize, DontCare, DontCare, DontCare]),
    p(23, Ret::Integer, [Anything, Anything, DontCare, DontCare, DontCare]),
    p(25, Ret::Integer, [Ctx, ConstMapPtr, Anything, MemRdonly, ConstSizeOrZero]),
    p(26, Ret::Integer, [Ctx, Anything, UninitMem, ConstSize, DontCare]),
    // bpf_get_stackid, bpf_get_stack (kernel/bpf/stackmap.c, the pt_regs variants).
    p(27, Ret::Integer, [Ctx, ConstMapPtr, Anything, DontCare, DontCare]),
    p(67, Ret::Integer, [Ctx, UninitMem, ConstSizeOrZero, Anything, DontCare]),
    p(35, Ret::Integer, NONE),
    p(44, Ret::Integer, [Ctx, Anything, DontCare, DontCare, DontCare]),
    // bpf_fib_lookup (net/core/filter.c, the XDP variant): the parameters are memory the
    // helper reads and fills (ARG_PTR_TO_MEM), checked here as readable memory.
    p(69, Ret::Integer, [Ctx, MemRdonly, ConstSize, Anything, DontCare]),
    // bpf_xdp_adjust_meta (net/core/filter.c).
    p(54, Ret::Integer, [Ctx, Anything, DontCare, DontCare, DontCare]),
    // bpf_get_socket_cookie (net/core/filter.c, the skb variant).
    p(46, Ret::Integer, [Ctx, DontCare, DontCare, DontCare, DontCare]),
    p(45, Ret::Integer, [UninitMem, ConstSizeOrZero, Anything, DontCare, DontCare]),
    // bpf_map_push_elem, bpf_map_pop_elem, bpf_map_peek_elem (kernel/bpf/helpers.c).
    p(87, Ret::Integer, [ConstMapPtr, MapValue, Anything, DontCare, DontCare]),
    p(88, Ret::Integer, [ConstMapPtr, MapValueUninit, DontCare, DontCare, DontCare]),
    p(89, Ret::Integer, [ConstMapPtr, MapValueUninit, DontCare, DontCare, DontCare]),
    // bpf_strtol, bpf_strtoul (kernel/bpf/helpers.c).
    p(105, Ret::Integer, [MemRdonly, ConstSize, Anything, WriteLong, DontCare]),
    p(106, Ret::Integer, [MemRdonly, ConstSize, Anything, WriteLong, DontCare]),
    p(112, Ret::Integer, [UninitMem, ConstSizeOrZero, Anything, DontCare, DontCare]),
    p(113, Ret::Integer, [UninitMem, ConstSizeOrZero, Anything, DontCare, DontCare]),
    p(114, Ret::Integer, [UninitMem, ConstSizeOrZero, Anything, DontCare, DontCare]),
    p(115, Ret::Integer, [UninitMem, ConstSizeOrZero, Anything, DontCare, DontCare]),
    // bpf_jiffies64
    p(118, Ret::Integer, NONE),
    // bpf_loop(nr_loops, callback_fn, callback_ctx, flags)
    p(181, Ret::Integer, [Anything, Func, StackOrNull, Anything, DontCare]),
    p(125, Ret::Integer, NONE),
    p(130, Ret::Integer, [ConstMapPtr, MemRdonly, ConstSizeOrZero, Anything, DontCare]),
    p(
        131,
        Ret::RingbufMemOrNull,
        [ConstMapPtr, ConstAllocSizeOrZero, Anything, DontCare, DontCare],
    ),
    p(132, Ret::Void, [RingbufMemRelease, Anything, DontCare, DontCare, DontCare]),
    p(133, Ret::Void, [RingbufMemRelease, Anything, DontCare, DontCare, DontCare]),
    p(134, Ret::Integer, [ConstMapPtr, Anything, DontCare, DontCare, DontCare]),
    p(160, Ret::Integer, NONE),
    // bpf_redirect_map (net/core/filter.c, the XDP variant)
    p(51, Ret::Integer, [ConstMapPtr, Anything, Anything, DontCare, DontCare]),
    // bpf_sk_release (net/core/filter.c)
    p(86, Ret::Integer, [SockCommonRelease, DontCare, DontCare, DontCare, DontCare]),
];

pub fn proto(id: i32) -> Option<&'static Proto> {
    PROTOS.iter().find(|p| p.id == id)
}

/// May a program of `ty` call helper `id` (the kernel's `get_func_proto` is non-NULL)?
pub fn available(ty: ProgType, id: i32) -> bool {
    let table = match ty {
        ProgType::SocketFilter => avail::SOCKET_FILTER,
        ProgType::Xdp => avail::XDP,
        ProgType::Kprobe => avail::KPROBE,
        ProgType::Tracepoint => avail::TRACEPOINT,
    };
    u16::try_from(id).map(|i| table.binary_search(&i).is_ok()).unwrap_or(false)
}
