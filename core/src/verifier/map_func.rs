//! `check_map_func_compatibility` (kernel/bpf/verifier.c): which helpers a map kind may be
//! passed to, checked both ways: from the map's side (the helpers its kind allows) and
//! from the helper's side (the map kinds it takes).

use crate::maps::MapKind;
use crate::progtype::ProgType;

// Helper ids (include/uapi/linux/bpf.h).
const MAP_LOOKUP_ELEM: i32 = 1;
const MAP_UPDATE_ELEM: i32 = 2;
const MAP_DELETE_ELEM: i32 = 3;
const TAIL_CALL: i32 = 12;
const PERF_EVENT_READ: i32 = 22;
const PERF_EVENT_OUTPUT: i32 = 25;
const GET_STACKID: i32 = 27;
const SKB_UNDER_CGROUP: i32 = 33;
const CURRENT_TASK_UNDER_CGROUP: i32 = 37;
const REDIRECT_MAP: i32 = 51;
const SK_REDIRECT_MAP: i32 = 52;
const SOCK_MAP_UPDATE: i32 = 53;
const PERF_EVENT_READ_VALUE: i32 = 55;
const MSG_REDIRECT_MAP: i32 = 60;
const SOCK_HASH_UPDATE: i32 = 70;
const MSG_REDIRECT_HASH: i32 = 71;
const SK_REDIRECT_HASH: i32 = 72;
const GET_LOCAL_STORAGE: i32 = 81;
const SK_SELECT_REUSEPORT: i32 = 82;
const MAP_PUSH_ELEM: i32 = 87;
const MAP_POP_ELEM: i32 = 88;
const MAP_PEEK_ELEM: i32 = 89;
const SK_STORAGE_GET: i32 = 107;
const SK_STORAGE_DELETE: i32 = 108;
const SKB_OUTPUT: i32 = 111;
const XDP_OUTPUT: i32 = 121;
const RINGBUF_OUTPUT: i32 = 130;
const RINGBUF_RESERVE: i32 = 131;
const RINGBUF_QUERY: i32 = 134;
const INODE_STORAGE_GET: i32 = 145;
const INODE_STORAGE_DELETE: i32 = 146;
const TASK_STORAGE_GET: i32 = 156;
const TASK_STORAGE_DELETE: i32 = 157;
const KPTR_XCHG: i32 = 194;
const MAP_LOOKUP_PERCPU_ELEM: i32 = 195;
const RINGBUF_RESERVE_DYNPTR: i32 = 198;
const RINGBUF_SUBMIT_DYNPTR: i32 = 199;
const RINGBUF_DISCARD_DYNPTR: i32 = 200;
const USER_RINGBUF_DRAIN: i32 = 209;
const CGRP_STORAGE_GET: i32 = 210;
const CGRP_STORAGE_DELETE: i32 = 211;

/// Why a map cannot go to a helper.
pub(crate) struct Incompatible {
    /// `may_update_sockmap` printed "cannot update sockmap in this context" before the
    /// general "cannot pass map_type" line (so it is the program's first error).
    pub sockmap_context: bool,
}

/// `may_update_sockmap`: map updates and deletes on socket maps, from program types that
/// cannot hold a locked socket.
fn may_update_sockmap(prog_type: ProgType, id: i32) -> bool {
    (id == MAP_UPDATE_ELEM || id == MAP_DELETE_ELEM)
        && matches!(prog_type, ProgType::SocketFilter | ProgType::Xdp)
}

pub(crate) fn check(kind: MapKind, id: i32, prog_type: ProgType) -> Result<(), Incompatible> {
    let mut sockmap_context = false;
    let in_list = |l: &[i32]| l.contains(&id);
    let mut socket = |l: &[i32]| {
        if in_list(l) {
            return true;
        }
        let ok = may_update_sockmap(prog_type, id);
        // The kernel says why for an update or delete the program type may not make.
        sockmap_context = !ok && (id == MAP_UPDATE_ELEM || id == MAP_DELETE_ELEM);
        ok
    };
    // ... first from the map's side ...
    let map_ok = match kind {
        MapKind::ProgArray => id == TAIL_CALL,
        MapKind::PerfEventArray => in_list(&[
            PERF_EVENT_READ,
            PERF_EVENT_OUTPUT,
            SKB_OUTPUT,
            PERF_EVENT_READ_VALUE,
            XDP_OUTPUT,
        ]),
        MapKind::Ringbuf => in_list(&[
            RINGBUF_OUTPUT,
            RINGBUF_RESERVE,
            RINGBUF_QUERY,
            RINGBUF_RESERVE_DYNPTR,
            RINGBUF_SUBMIT_DYNPTR,
            RINGBUF_DISCARD_DYNPTR,
        ]),
        MapKind::UserRingbuf => id == USER_RINGBUF_DRAIN,
        MapKind::StackTrace => id == GET_STACKID,
        MapKind::CgroupArray => in_list(&[SKB_UNDER_CGROUP, CURRENT_TASK_UNDER_CGROUP]),
        MapKind::CgroupStorage | MapKind::PercpuCgroupStorage => id == GET_LOCAL_STORAGE,
        MapKind::Devmap | MapKind::DevmapHash | MapKind::Xskmap => {
            in_list(&[REDIRECT_MAP, MAP_LOOKUP_ELEM])
        }
        MapKind::Cpumap => id == REDIRECT_MAP,
        MapKind::ArrayOfMaps | MapKind::HashOfMaps => id == MAP_LOOKUP_ELEM,
        MapKind::Sockmap => socket(&[
            SK_REDIRECT_MAP,
            SOCK_MAP_UPDATE,
            MSG_REDIRECT_MAP,
            SK_SELECT_REUSEPORT,
            MAP_LOOKUP_ELEM,
        ]),
        MapKind::Sockhash => socket(&[
            SK_REDIRECT_HASH,
            SOCK_HASH_UPDATE,
            MSG_REDIRECT_HASH,
            SK_SELECT_REUSEPORT,
            MAP_LOOKUP_ELEM,
        ]),
        MapKind::ReuseportSockarray => id == SK_SELECT_REUSEPORT,
        MapKind::Queue | MapKind::Stack => in_list(&[MAP_PEEK_ELEM, MAP_POP_ELEM, MAP_PUSH_ELEM]),
        MapKind::SkStorage => in_list(&[SK_STORAGE_GET, SK_STORAGE_DELETE, KPTR_XCHG]),
        MapKind::InodeStorage => in_list(&[INODE_STORAGE_GET, INODE_STORAGE_DELETE, KPTR_XCHG]),
        MapKind::TaskStorage => in_list(&[TASK_STORAGE_GET, TASK_STORAGE_DELETE, KPTR_XCHG]),
        MapKind::CgrpStorage => in_list(&[CGRP_STORAGE_GET, CGRP_STORAGE_DELETE, KPTR_XCHG]),
        MapKind::BloomFilter => in_list(&[MAP_PEEK_ELEM, MAP_PUSH_ELEM]),
        MapKind::Hash
        | MapKind::Array
        | MapKind::PercpuHash
        | MapKind::PercpuArray
        | MapKind::LruHash
        | MapKind::LruPercpuHash
        | MapKind::LpmTrie
        | MapKind::Arena => true,
    };
    // ... and second from the helper's.
    use MapKind as K;
    let func_ok = match id {
        TAIL_CALL => kind == K::ProgArray,
        PERF_EVENT_READ | PERF_EVENT_OUTPUT | PERF_EVENT_READ_VALUE | SKB_OUTPUT | XDP_OUTPUT => {
            kind == K::PerfEventArray
        }
        RINGBUF_OUTPUT
        | RINGBUF_RESERVE
        | RINGBUF_QUERY
        | RINGBUF_RESERVE_DYNPTR
        | RINGBUF_SUBMIT_DYNPTR
        | RINGBUF_DISCARD_DYNPTR => kind == K::Ringbuf,
        USER_RINGBUF_DRAIN => kind == K::UserRingbuf,
        GET_STACKID => kind == K::StackTrace,
        CURRENT_TASK_UNDER_CGROUP | SKB_UNDER_CGROUP => kind == K::CgroupArray,
        REDIRECT_MAP => matches!(kind, K::Devmap | K::DevmapHash | K::Cpumap | K::Xskmap),
        SK_REDIRECT_MAP | MSG_REDIRECT_MAP | SOCK_MAP_UPDATE => kind == K::Sockmap,
        SK_REDIRECT_HASH | MSG_REDIRECT_HASH | SOCK_HASH_UPDATE => kind == K::Sockhash,
        GET_LOCAL_STORAGE => matches!(kind, K::CgroupStorage | K::PercpuCgroupStorage),
        SK_SELECT_REUSEPORT => matches!(kind, K::ReuseportSockarray | K::Sockmap | K::Sockhash),
        MAP_POP_ELEM => matches!(kind, K::Queue | K::Stack),
        MAP_PEEK_ELEM | MAP_PUSH_ELEM => matches!(kind, K::Queue | K::Stack | K::BloomFilter),
        MAP_LOOKUP_PERCPU_ELEM => matches!(kind, K::PercpuArray | K::PercpuHash | K::LruPercpuHash),
        SK_STORAGE_GET | SK_STORAGE_DELETE => kind == K::SkStorage,
        INODE_STORAGE_GET | INODE_STORAGE_DELETE => kind == K::InodeStorage,
        TASK_STORAGE_GET | TASK_STORAGE_DELETE => kind == K::TaskStorage,
        CGRP_STORAGE_GET | CGRP_STORAGE_DELETE => kind == K::CgrpStorage,
        _ => true,
    };
    if map_ok && func_ok {
        Ok(())
    } else {
        Err(Incompatible { sockmap_context })
    }
}
