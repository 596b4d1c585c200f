extern crate std;

use super::*;
use crate::isa::opcode::*;
use crate::maps::{flags, MapKind};
use crate::verifier::{verify, Options};
use alloc::vec::Vec;
use proptest::prelude::*;

/// The checked-in C examples (static/c), as the tests and the UI see them.
pub(crate) fn example(name: &str) -> &'static [u8] {
    match name {
        "bounded_loop" => include_bytes!("../../../static/c/bounded_loop.o"),
        "kprobe_ancestors" => include_bytes!("../../../static/c/kprobe_ancestors.o"),
        "ringbuf_events" => include_bytes!("../../../static/c/ringbuf_events.o"),
        "socket_protocols" => include_bytes!("../../../static/c/socket_protocols.o"),
        "subprog_calls" => include_bytes!("../../../static/c/subprog_calls.o"),
        "syscall_histogram" => include_bytes!("../../../static/c/syscall_histogram.o"),
        "xdp_firewall" => include_bytes!("../../../static/c/xdp_firewall.o"),
        _ => panic!("no example {name}"),
    }
}

fn fixture(name: &str) -> &'static [u8] {
    match name {
        "legacy_two" => include_bytes!("testdata/legacy_two.o"),
        "core_reloc" => include_bytes!("testdata/core_reloc.o"),
        "extern_kconfig" => include_bytes!("testdata/extern_kconfig.o"),
        "btf_maps_three" => include_bytes!("testdata/btf_maps_three.o"),
        "btf_maps_keyless" => include_bytes!("testdata/btf_maps_keyless.o"),
        _ => panic!("no fixture {name}"),
    }
}

fn verified(o: &Object, p: &ElfProgram) -> bool {
    verify(
        &p.raw,
        &o.map_defs(),
        &Options { prog_type: p.prog_type.unwrap(), ..Options::default() },
    )
    .accepted
}

#[test]
fn every_example_loads_with_its_programs_and_maps() {
    // (example, program, section, type, maps as (name, kind, key, value, max, flags))
    type Maps<'a> = &'a [(&'a str, MapKind, u32, u32, u32, u32)];
    let want: [(&str, &str, &str, ProgType, Maps); 7] = [
        ("bounded_loop", "sum_bytes", "socket", ProgType::SocketFilter, &[]),
        (
            "kprobe_ancestors",
            "walk_tasks",
            "kprobe/do_nanosleep",
            ProgType::Kprobe,
            &[
                ("ancestors", MapKind::Array, 4, 4, 8, 0),
                (".rodata", MapKind::Array, 4, 11, 1, flags::RDONLY_PROG),
            ],
        ),
        (
            "ringbuf_events",
            "log_exec",
            "tracepoint/syscalls/sys_enter_execve",
            ProgType::Tracepoint,
            &[("events", MapKind::Ringbuf, 0, 0, 4096, 0)],
        ),
        (
            "socket_protocols",
            "count_protocols",
            "socket",
            ProgType::SocketFilter,
            &[("proto_count", MapKind::Array, 4, 8, 256, 0)],
        ),
        (
            "subprog_calls",
            "count_frames",
            "xdp",
            ProgType::Xdp,
            &[(".bss", MapKind::Array, 4, 16, 1, 0)],
        ),
        (
            "syscall_histogram",
            "count_read",
            "tracepoint/syscalls/sys_enter_read",
            ProgType::Tracepoint,
            &[("read_sizes", MapKind::Array, 4, 8, 32, 0)],
        ),
        (
            "xdp_firewall",
            "xdp_firewall",
            "xdp",
            ProgType::Xdp,
            &[
                ("blocklist", MapKind::Hash, 4, 8, 1024, 0),
                (".rodata", MapKind::Array, 4, 4, 1, flags::RDONLY_PROG),
                (".bss", MapKind::Array, 4, 8, 1, 0),
            ],
        ),
    ];
    for (ex, name, section, ty, maps) in want {
        let o = load(example(ex)).unwrap_or_else(|e| panic!("{ex}: {e}"));
        assert_eq!(o.license.as_deref(), Some("GPL"), "{ex}");
        assert_eq!(o.programs.len(), 1, "{ex}");
        let p = o.program(None).unwrap();
        assert_eq!(
            (p.name.as_str(), p.section.as_str(), p.prog_type),
            (name, section, Some(ty)),
            "{ex}"
        );
        let got: Vec<_> = o
            .maps
            .iter()
            .map(|m| {
                (
                    m.def.name.as_str(),
                    m.def.kind,
                    m.def.key_size,
                    m.def.value_size,
                    m.def.max_entries,
                    m.def.flags,
                )
            })
            .collect();
        assert_eq!(got, maps, "{ex}");
        assert!(verified(&o, p), "{ex} verifies");
        // Line info: every instruction has a line of the example's C file.
        assert_eq!(o.files, [alloc::format!("./{ex}.c")], "{ex}");
        assert!(p.lines.iter().all(|l| l.is_some()), "{ex}: every instruction has a C line");
        let a = o.assembled(p).unwrap();
        assert_eq!(a.program.len(), p.raw.len());
        assert_eq!(a.maps.len(), o.maps.len());
    }
}

#[test]
fn line_info_names_the_c_lines() {
    let o = load(example("socket_protocols")).unwrap();
    let p = &o.programs[0];
    let src = include_str!("../../../static/c/socket_protocols.c");
    let line_of = |needle: &str| src.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1;
    // The LD_ABS is the `load_byte` line; the lock add is `__sync_fetch_and_add`.
    let ld_abs = p.raw.iter().position(|r| r.code == CLS_LD | MODE_ABS | SZ_B).unwrap();
    assert_eq!(p.lines[ld_abs].unwrap().line, line_of("proto = load_byte"));
    let atomic = p.raw.iter().position(|r| r.code == CLS_STX | MODE_ATOMIC | SZ_DW).unwrap();
    let l = p.lines[atomic].unwrap();
    assert_eq!(l.line, line_of("__sync_fetch_and_add"));
    assert!(o.line_text(l).unwrap().contains("__sync_fetch_and_add(count, 1)"));
}

#[test]
fn global_data_becomes_map_values() {
    let o = load(example("xdp_firewall")).unwrap();
    let ro = o.maps.iter().position(|m| m.def.name == ".rodata").unwrap();
    assert_eq!(o.maps[ro].data.as_deref(), Some(&[1u8, 0, 0, 0][..]), "blocked_verdict = XDP_DROP");
    let p = &o.programs[0];
    let refs: Vec<(u8, i32, i32)> = p
        .raw
        .windows(2)
        .filter(|w| w[0].code == CLS_LD | MODE_IMM | SZ_DW)
        .map(|w| (w[0].src, w[0].imm, w[1].imm))
        .collect();
    // blocklist (a map), blocked_verdict (.rodata + 0), passed (.bss + 0)
    assert_eq!(
        refs,
        [(PSEUDO_MAP_FD, 0, 0), (PSEUDO_MAP_VALUE, ro as i32, 0), (PSEUDO_MAP_VALUE, 2, 0)]
    );
    let store = o.map_store(1).unwrap();
    assert_eq!(store.lookup(ro, &0u32.to_le_bytes()).unwrap(), [1, 0, 0, 0]);
}

#[test]
fn subprograms_are_appended_and_calls_fixed() {
    let o = load(example("subprog_calls")).unwrap();
    let p = &o.programs[0];
    let names: Vec<&str> = p.funcs.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, ["count_frames", "classify", "is_long"]);
    for (i, r) in p.raw.iter().enumerate() {
        if r.code == CLS_JMP | JMP_CALL && r.src == PSEUDO_CALL {
            let target = (i as i64 + 1 + r.imm as i64) as usize;
            assert!(
                p.funcs[1..].iter().any(|f| f.1 == target),
                "call at {i} goes to a function start ({target})"
            );
        }
    }
    assert_eq!(p.raw.len(), 13 + 16 + 6);
}

/// clang gives every variable of the `.maps` DATASEC offset 0; where each map sits comes from
/// the symbol table, so a reference to the third map finds the third map.
#[test]
fn btf_maps_are_placed_by_their_symbols() {
    let o = load(fixture("btf_maps_three")).unwrap();
    // Where clang put them (the symbols' values), not the DATASEC's zeros.
    let mut at: Vec<(u64, &str)> =
        o.maps.iter().map(|m| (m.sec_offset, m.def.name.as_str())).collect();
    at.sort();
    assert_eq!(at, [(0, "third"), (32, "first"), (64, "second")]);
    let third = o.maps.iter().position(|m| m.def.name == "third").unwrap() as i32;
    let p = o.program(Some("use_third")).unwrap();
    let refs: Vec<i32> = p
        .raw
        .iter()
        .filter(|r| r.code == CLS_LD | MODE_IMM | SZ_DW && r.src == PSEUDO_MAP_FD)
        .map(|r| r.imm)
        .collect();
    assert_eq!(refs, [third]);
    assert!(verified(&o, p));
}

/// `map_extra` and the newer kinds in `.maps`: a bloom filter's hash-function count.
#[test]
fn btf_maps_of_the_newer_kinds() {
    let o = load(fixture("btf_maps_keyless")).unwrap();
    let mut got: Vec<_> = o
        .maps
        .iter()
        .map(|m| {
            let d = &m.def;
            (d.name.as_str(), d.kind, d.key_size, d.value_size, d.max_entries, d.flags, d.map_extra)
        })
        .collect();
    got.sort_by_key(|m| m.0);
    assert_eq!(
        got,
        [
            ("lens", MapKind::Queue, 0, 8, 8, 0, 0),
            ("routes", MapKind::LpmTrie, 8, 4, 16, 1, 0),
            ("seen", MapKind::BloomFilter, 0, 4, 64, 64, 3),
        ]
    );
    let p = o.program(None).unwrap();
    assert!(verified(&o, p));
}

#[test]
fn legacy_maps_and_several_programs() {
    let o = load(fixture("legacy_two")).unwrap();
    assert_eq!(o.license.as_deref(), Some("Dual MIT/GPL"));
    let got: Vec<_> = o
        .maps
        .iter()
        .map(|m| {
            (m.def.name.as_str(), m.def.kind, m.def.key_size, m.def.value_size, m.def.max_entries)
        })
        .collect();
    assert_eq!(got, [("counters", MapKind::Array, 4, 8, 4), ("seen", MapKind::Hash, 4, 4, 16)]);
    let names: Vec<(&str, Option<ProgType>)> =
        o.programs.iter().map(|p| (p.name.as_str(), p.prog_type)).collect();
    assert_eq!(
        names,
        [("first", Some(ProgType::SocketFilter)), ("second", Some(ProgType::Kprobe))]
    );
    match o.program(None) {
        Err(e @ ElfError::NoSuchProgram { .. }) => {
            assert_eq!(e.to_string(), "the object has several programs; pick one of: first, second")
        }
        r => panic!("{r:?}"),
    }
    assert_eq!(
        o.program(Some("nope")).unwrap_err().to_string(),
        "no program `nope` in the object; it has: first, second"
    );
    for p in &o.programs {
        assert!(verified(&o, p), "{}", p.name);
    }
    // The second program's map reference is `seen`, index 1.
    let p = o.program(Some("second")).unwrap();
    assert!(p
        .raw
        .iter()
        .any(|r| r.code == CLS_LD | MODE_IMM | SZ_DW && r.src == PSEUDO_MAP_FD && r.imm == 1));
}

#[test]
fn unsupported_features_are_named() {
    let e = load(fixture("core_reloc")).unwrap_err().to_string();
    assert!(e.contains("CO-RE relocations"), "{e}");
    // A program that uses an extern does not load; the error names the extern.
    let e = load(fixture("extern_kconfig")).unwrap_err().to_string();
    assert!(e.contains("uses `LINUX_KERNEL_VERSION`, an extern"), "{e}");
}

/// Overwrites `len` bytes at `off`.
fn patched(src: &[u8], off: usize, bytes: &[u8]) -> Vec<u8> {
    let mut b = src.to_vec();
    b[off..off + bytes.len()].copy_from_slice(bytes);
    b
}

/// The file range of section `name` (64-bit little-endian ELF).
fn section_range(b: &[u8], name: &str) -> (usize, usize) {
    let u64_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap()) as usize;
    let u16_at = |o: usize| u16::from_le_bytes(b[o..o + 2].try_into().unwrap()) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap()) as usize;
    let (shoff, shnum, shstrndx) = (u64_at(0x28), u16_at(0x3c), u16_at(0x3e));
    let sh = |i: usize| shoff + i * 64;
    let strtab = u64_at(sh(shstrndx) + 24);
    for i in 0..shnum {
        let n = u32_at(sh(i));
        let s = &b[strtab + n..];
        let end = s.iter().position(|&c| c == 0).unwrap();
        if &s[..end] == name.as_bytes() {
            return (u64_at(sh(i) + 24), u64_at(sh(i) + 32));
        }
    }
    panic!("no section {name}");
}

#[test]
fn malformed_objects_get_clear_errors() {
    let good = example("xdp_firewall");
    let err = |b: &[u8]| load(b).unwrap_err().to_string();
    assert!(err(b"").starts_with("not a BPF object: no ELF header"));
    assert!(err(b"int main() { return 0; }").starts_with("not a BPF object: no ELF header"));
    assert!(err(&patched(good, 4, &[1])).contains("32-bit"));
    assert!(err(&patched(good, 5, &[2])).contains("big-endian"));
    assert_eq!(
        err(&patched(good, 18, &62u16.to_le_bytes())),
        "not a BPF object: machine 62 is not BPF (247)"
    );
    assert!(err(&patched(good, 16, &2u16.to_le_bytes())).contains("not a relocatable object"));
    // Section headers past the end of the file.
    assert!(err(&patched(good, 0x28, &u64::MAX.to_le_bytes())).starts_with("malformed ELF object"));
    assert!(err(&good[..good.len() - 10]).starts_with("malformed ELF object"));
    // BTF: a bad magic, a type section length past the end, a map type that does not exist.
    let (btf, _) = section_range(good, ".BTF");
    assert_eq!(
        err(&patched(good, btf, &[0x12, 0x34])),
        "bad BTF: .BTF has magic 0x3412, expected 0xeb9f"
    );
    assert!(
        err(&patched(good, btf + 12, &u32::MAX.to_le_bytes())).contains("lies outside the section")
    );
    let (ext, _) = section_range(good, ".BTF.ext");
    assert!(err(&patched(good, ext + 20, &0x7fff_0000u32.to_le_bytes()))
        .contains(".BTF.ext: line info lies outside"));
    // A relocation offset past the code.
    let (rel, _) = section_range(good, ".relxdp");
    assert!(err(&patched(good, rel, &0x10_0000u64.to_le_bytes())).contains("past the section's"));
    // A relocation naming a symbol that does not exist.
    assert!(err(&patched(good, rel + 12, &0xffffu32.to_le_bytes()))
        .contains("symbol 65535 does not exist"));
    assert_eq!(
        load(&alloc::vec![0u8; MAX_OBJECT_BYTES + 1]).unwrap_err(),
        ElfError::TooLarge(MAX_OBJECT_BYTES + 1)
    );
}

#[test]
fn a_map_type_bpfplay_lacks_is_named() {
    // The `type` of `ancestors` is `int (*)[2]` (BPF_MAP_TYPE_ARRAY); make it 26
    // (BPF_MAP_TYPE_STRUCT_OPS), which bpfplay does not model.
    let good = example("kprobe_ancestors");
    let (btf, len) = section_range(good, ".BTF");
    // Type [3] is `int [2]`, the array whose nelems is the map type: find its nelems field
    // (type 2, index type 4, nelems 2) in the type section.
    let pat: Vec<u8> = [2u32, 4, 2].iter().flat_map(|v| v.to_le_bytes()).collect();
    let at =
        good[btf..btf + len].windows(12).position(|w| w == pat.as_slice()).expect("the array type")
            + btf;
    let e = load(&patched(good, at + 8, &26u32.to_le_bytes())).unwrap_err().to_string();
    assert!(e.starts_with("map `ancestors`: map type 26 is not supported"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Damaged objects: random bytes overwritten, or cut short. Loading gives a result or an
    /// error, never a panic, in bounded time.
    #[test]
    fn damaged_objects_never_panic(ex in 0usize..7, edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>(), do_cut in any::<bool>()) {
        const NAMES: [&str; 7] = ["bounded_loop", "kprobe_ancestors", "ringbuf_events", "socket_protocols", "subprog_calls", "syscall_histogram", "xdp_firewall"];
        let mut b = example(NAMES[ex]).to_vec();
        for (i, v) in edits {
            let k = i.index(b.len());
            b[k] = v;
        }
        if do_cut {
            b.truncate(cut.index(b.len()));
        }
        let start = std::time::Instant::now();
        if let Ok(o) = load(&b) {
            for p in &o.programs {
                let _ = o.assembled(p);
            }
        }
        prop_assert!(start.elapsed().as_millis() < 500, "loading took {:?}", start.elapsed());
    }
}

#[test]
fn annotated_source_assembles_back_to_the_program() {
    for ex in [
        "bounded_loop",
        "kprobe_ancestors",
        "ringbuf_events",
        "socket_protocols",
        "subprog_calls",
        "syscall_histogram",
        "xdp_firewall",
    ] {
        let o = load(example(ex)).unwrap();
        let p = &o.programs[0];
        let text = source::annotated(&o, p, &alloc::format!("{ex}.o")).unwrap();
        let a = crate::assemble(&text).unwrap_or_else(|e| panic!("{ex}: {e}\n{text}"));
        assert_eq!(a.program.to_raw(), p.raw, "{ex}:\n{text}");
        // The declarations give the same maps, global data with its initial value.
        for (i, d) in a.map_decls.iter().enumerate() {
            let (def, init) = crate::maps::MapDef::parse_spec_init(&d.name, &d.spec).unwrap();
            let m = &o.maps[i].def;
            assert_eq!(
                (def.kind, def.key_size, def.value_size, def.max_entries, def.flags),
                (m.kind, m.key_size, m.value_size, m.max_entries, m.flags)
            );
            match &o.maps[i].data {
                Some(data) => assert_eq!(
                    init.unwrap_or_else(|| alloc::vec![0; m.value_size as usize]),
                    *data,
                    "{ex}: {}",
                    m.name
                ),
                None => assert_eq!(init, None),
            }
        }
        // Every instruction line maps to the C line that line info gives.
        let loaded = crate::program::from_source(&text, &[]).unwrap();
        for slot in 0..a.lines.len() {
            if matches!(a.program.insns[slot], crate::isa::Insn::Imm64Tail) {
                continue;
            }
            let want = p.lines[slot].map(|l| l.line);
            assert_eq!(loaded.c_lines[slot].map(|c| c.line), want, "{ex}: slot {slot}");
        }
    }
    let o = load(example("xdp_firewall")).unwrap();
    let text = source::annotated(&o, &o.programs[0], "xdp_firewall.o").unwrap();
    std::eprintln!("{text}");
    assert!(text
        .contains("map rodata: array key=4 value=4 max=1 flags=128 init=01000000    // .rodata\n"));
    assert!(
        text.contains("; drops = bpf_map_lookup_elem(&blocklist, &ip->saddr); @ xdp_firewall.c:")
    );
}
