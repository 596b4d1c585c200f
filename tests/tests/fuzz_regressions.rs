//! Inputs that fuzzing (tests/src/bin/fuzz.rs) found crashing bpfplay, kept as regression
//! tests. This test binary caps its own address space (RLIMIT_AS, 1 GiB) as the fuzzer does,
//! so an allocation of the size these inputs used to ask for fails here, as it does in a
//! browser's 32-bit wasm memory, and aborts the test.

use bpfplay_core::helpers::World;
use bpfplay_core::maps::{Map, MapDef, MapDefError, MapError, MapStore};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::run::{run_program, Input};
use bpfplay_core::vm::VmErrorKind;

fn cap_memory() {
    let lim = libc::rlimit { rlim_cur: 1 << 30, rlim_max: libc::RLIM_INFINITY };
    // SAFETY: setrlimit with a valid struct.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

/// fuzz mapspec: `x:lru_hash:4:4:2147483648` preallocated 2^31 LRU nodes.
#[test]
fn huge_lru_map_is_refused() {
    cap_memory();
    let too_big = MapDefError {
        error: MapError::NoMem,
        message: "LRU hash larger than bpfplay's 64 MiB cap (LRU maps are preallocated)".into(),
    };
    assert_eq!(MapDef::parse_cli("x:lru_hash:4:4:2147483648").unwrap_err(), too_big);
    let d = MapDef::new("x", bpfplay_core::maps::MapKind::LruHash, 4, 4, 1 << 31);
    assert_eq!(Map::create(&d, 2).err(), Some(too_big.clone()));
    let a = bpfplay_core::assemble(
        "map x: lru_hash key=4 value=4 max=2147483648\nr1 = map[x] ll\nr0 = 0\nexit",
    )
    .unwrap();
    assert_eq!(MapDef::parse_spec("x", &a.map_decls[0].spec).unwrap_err(), too_big);
}

/// fuzz bytes: an (unverified) program calling `bpf_probe_read_kernel` with size 0xfffe0ffe
/// made the helper allocate that many bytes.
#[test]
fn helper_with_huge_size_fails_cleanly() {
    cap_memory();
    for helper in ["bpf_probe_read_kernel", "bpf_probe_read_user_str", "bpf_get_current_comm"] {
        let src =
            format!("r1 = r10\nr1 += -8\nr2 = 0xfffe0ffe ll\nr3 = 0\ncall {helper}\nr0 = 0\nexit");
        let p = bpfplay_core::assemble(&src).unwrap().program;
        let r = run_program(
            &p,
            &mut MapStore::default(),
            ProgType::Kprobe,
            &Input::default(),
            &World::default(),
            1000,
        )
        .unwrap();
        let e = r.error.expect("the helper fails");
        assert!(matches!(e.kind, VmErrorKind::HelperFailed { .. }), "{helper}: {e}");
    }
}
