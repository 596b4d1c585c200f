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
use bpfplay_tests::kernel::{
    self, map_create_named, prog_load, prog_test_run, Map, MapKind, ProgType,
};
use std::path::PathBuf;

fn c_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/c")
}

fn load(name: &str) -> Object {
    let bytes = std::fs::read(c_dir().join(format!("{name}.o")))
        .unwrap_or_else(|e| panic!("{name}.o: {e}"));
    elf::load(&bytes).unwrap_or_else(|e| panic!("{name}.o: {e}"))
}

fn examples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(c_dir())
        .unwrap()
        .filter_map(|e| {
            e.ok()?.file_name().into_string().ok()?.strip_suffix(".o").map(String::from)
        })
        .collect();
    v.sort();
    v
}

fn bverify(o: &Object, p: &ElfProgram) -> Verdict {
    verify(
        &p.raw,
        &o.map_defs(),
        &Options { prog_type: p.prog_type.expect("type"), ..Options::default() },
    )
}

fn kernel_maps(o: &Object) -> Vec<Map> {
    o.maps
        .iter()
        .map(|m| {
            let kind = MapKind::from_name(m.def.kind.name()).expect("kind");
            let km = map_create_named(
                kind,
                m.def.key_size,
                m.def.value_size,
                m.def.max_entries,
                m.def.flags,
                &m.def.name,
            )
            .unwrap_or_else(|e| panic!("map {}: {}", m.def.name, e.name()));
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
    if !kernel::require("kernel_agrees_on_every_example") {
        return;
    }
    let mut bad = Vec::new();
    // The examples, and a fixture with legacy `maps` definitions and two programs.
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/src/elf/testdata/legacy_two.o");
    let mut objects: Vec<(String, Object)> =
        examples().into_iter().map(|n| (n.clone(), load(&n))).collect();
    objects.push(("legacy_two".into(), elf::load(&std::fs::read(fixture).unwrap()).unwrap()));
    assert_eq!(objects.last().unwrap().1.programs.len(), 2);
    for (name, o) in objects {
        for p in &o.programs {
            let v = bverify(&o, p);
            let maps = kernel_maps(&o);
            let k = prog_load(ktype(p.prog_type.unwrap()), &p.raw, 1, &maps);
            println!(
                "{name}/{}: bpfplay {} {:?} {} | kernel {} {:?} {:?}",
                p.name,
                v.accepted,
                v.error.as_ref().map(|e| &e.message),
                v.processed,
                k.accepted,
                k.first_error(),
                k.processed_insns()
            );
            if !k.accepted {
                println!("{}", k.log);
            }
            if v.accepted != k.accepted
                || v.error.as_ref().map(|e| e.message.clone()) != k.first_error()
                || Some(v.processed) != k.processed_insns()
            {
                bad.push(format!("{name}/{}", p.name));
            }
        }
    }
    assert!(bad.is_empty(), "bpfplay and the kernel disagree on: {bad:?}");
}

// ---------------------------------------------------------------------------------------
// Runs with expected results.

/// An Ethernet + IPv4 frame (checksummed header) from `src` with `proto`, 64 bytes.
fn ipv4_frame(src: [u8; 4], proto: u8) -> Vec<u8> {
    let mut f = vec![0u8; 64];
    f[0..6].copy_from_slice(&[2, 0, 0, 0, 0, 2]);
    f[6..12].copy_from_slice(&[2, 0, 0, 0, 0, 1]);
    f[12..14].copy_from_slice(&[0x08, 0x00]);
    let ip = &mut f[14..34];
    ip[0] = 0x45;
    ip[2..4].copy_from_slice(&50u16.to_be_bytes());
    ip[8] = 64;
    ip[9] = proto;
    ip[12..16].copy_from_slice(&src);
    ip[16..20].copy_from_slice(&[10, 0, 0, 2]);
    let sum: u32 = ip.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]]) as u32).sum();
    let sum = (sum & 0xffff) + (sum >> 16);
    let sum = !((sum & 0xffff) + (sum >> 16)) as u16;
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    f
}

/// The corpus's raw test frame: byte i = i, EtherType 0x88b5, of `len` bytes.
fn raw_frame(len: usize) -> Vec<u8> {
    let mut p: Vec<u8> = (0..len).map(|i| i as u8).collect();
    p[12] = 0x88;
    p[13] = 0xb5;
    p
}

fn prog(o: &Object) -> (&ElfProgram, Program) {
    let p = &o.programs[0];
    let v = bverify(o, p);
    assert!(v.accepted, "{}: {:?}", p.name, v.error);
    (p, o.assembled(p).unwrap().program)
}

fn run(o: &Object, store: &mut MapStore, input: &Input, world: &World) -> RunResult {
    let (p, program) = prog(o);
    let r = run_program(&program, store, p.prog_type.unwrap(), input, world, 1_000_000).unwrap();
    assert_eq!(r.error, None, "{}", p.name);
    r
}

fn u64_at(store: &MapStore, map: &str, key: u32) -> u64 {
    let m = store.index_of(map).unwrap_or_else(|| panic!("no map {map}"));
    let v = store.lookup(m, &key.to_le_bytes()).unwrap();
    u64::from_le_bytes(v[..8].try_into().unwrap())
}

#[test]
fn kprobe_walks_the_simulated_task_tree() {
    let o = load("kprobe_ancestors");
    let mut store = o.map_store(1).unwrap();
    let mut world = World::default();
    world.add_task_tree();
    let r = run(&o, &mut store, &Input::default(), &world);
    assert_eq!(r.retval, 0);
    let m = store.index_of("ancestors").unwrap();
    let pids: Vec<u32> = (0..8u32)
        .map(|k| {
            u32::from_le_bytes(store.lookup(m, &k.to_le_bytes()).unwrap()[..4].try_into().unwrap())
        })
        .collect();
    // bpfplay (1000) -> bash (812) -> systemd (1) -> swapper/0 (0): the walk stops at pid 0.
    assert_eq!(pids, [1000, 812, 1, 0, 0, 0, 0, 0]);
    assert_eq!(r.printk, vec!["parent: bash".to_string()]);
    // Without kernel memory the first probe_read fails and the walk stops at once.
    let mut store = o.map_store(1).unwrap();
    let r = run(&o, &mut store, &Input::default(), &World::default());
    assert!(r.printk.is_empty());
    assert_eq!(
        store.entries(m, 0).unwrap().iter().filter(|(_, v)| v.iter().any(|b| *b != 0)).count(),
        0
    );
}

#[test]
fn histogram_counts_reads_by_log2_size() {
    let o = load("syscall_histogram");
    let mut store = o.map_store(1).unwrap();
    for count in [1u64, 4096, 4096, 5000, 65536, 100] {
        let mut input = Input::default();
        input.syscall.args[2] = count;
        run(&o, &mut store, &input, &World::default());
    }
    let hist: Vec<u64> = (0..32).map(|k| u64_at(&store, "read_sizes", k)).collect();
    let mut want = vec![0u64; 32];
    want[0] = 1; // 1
    want[12] = 3; // 4096, 4096, 5000
    want[16] = 1; // 65536
    want[6] = 1; // 100
    assert_eq!(hist, want);
}

#[test]
fn ringbuf_logs_one_record_per_exec() {
    let o = load("ringbuf_events");
    let mut store = o.map_store(1).unwrap();
    let mut input = Input::default();
    input.syscall.id = 59;
    let r = run(&o, &mut store, &input, &World::default());
    assert_eq!(r.retval, 0);
    let events = r.maps.iter().find(|m| m.name == "events").unwrap();
    assert_eq!(events.entries.len(), 1);
    let rec = &events.entries[0].1;
    assert_eq!(rec.len(), 32);
    assert_eq!(u32::from_le_bytes(rec[0..4].try_into().unwrap()), 1000); // tgid
    assert_eq!(u32::from_le_bytes(rec[4..8].try_into().unwrap()), 59);
    assert_eq!(u64::from_le_bytes(rec[8..16].try_into().unwrap()), World::default().ktime_ns);
    assert_eq!(&rec[16..24], b"bpfplay\0");
}

#[test]
fn packet_examples_give_the_expected_verdicts() {
    // Socket filter, counting by protocol: UDP twice, ICMP once.
    let o = load("socket_protocols");
    let mut store = o.map_store(1).unwrap();
    for proto in [17, 17, 1] {
        let r = run(
            &o,
            &mut store,
            &Input::packet(ipv4_frame([10, 0, 0, 1], proto)),
            &World::default(),
        );
        assert_eq!(r.retval, 50, "keeps the whole packet (64 - 14)");
    }
    assert_eq!(
        (
            u64_at(&store, "proto_count", 17),
            u64_at(&store, "proto_count", 1),
            u64_at(&store, "proto_count", 6)
        ),
        (2, 1, 0)
    );

    // Bounded loop: the sum of the 16 bytes after the Ethernet header (14 + ... + 29).
    let o = load("bounded_loop");
    let r = run(&o, &mut o.map_store(1).unwrap(), &Input::packet(raw_frame(64)), &World::default());
    assert_eq!(r.retval, (14..30).sum::<u32>());

    // XDP firewall: 10.0.0.1 is blocked (dropped and counted), 10.0.0.7 passes.
    let o = load("xdp_firewall");
    let mut store = o.map_store(1).unwrap();
    let bl = store.index_of("blocklist").unwrap();
    store.update(bl, &[10, 0, 0, 1], &0u64.to_le_bytes(), 0).unwrap();
    let r = run(&o, &mut store, &Input::packet(ipv4_frame([10, 0, 0, 1], 6)), &World::default());
    assert_eq!(r.retval, 1, "XDP_DROP");
    let r = run(&o, &mut store, &Input::packet(ipv4_frame([10, 0, 0, 7], 6)), &World::default());
    assert_eq!(r.retval, 2, "XDP_PASS");
    assert_eq!(
        u64::from_le_bytes(store.lookup(bl, &[10, 0, 0, 1]).unwrap()[..8].try_into().unwrap()),
        1
    );
    assert_eq!(u64_at(&store, ".bss", 0), 1, "`passed` in .bss");

    // bpf-to-bpf calls: frames of 60 bytes or more pass; counters in .bss.
    let o = load("subprog_calls");
    let mut store = o.map_store(1).unwrap();
    let r = run(&o, &mut store, &Input::packet(raw_frame(64)), &World::default());
    assert_eq!(r.retval, 2);
    let r = run(&o, &mut store, &Input::packet(raw_frame(40)), &World::default());
    assert_eq!(r.retval, 1);
    let bss = store.lookup(store.index_of(".bss").unwrap(), &0u32.to_le_bytes()).unwrap();
    assert_eq!(
        u64::from_le_bytes(bss[0..8].try_into().unwrap())
            + u64::from_le_bytes(bss[8..16].try_into().unwrap()),
        3,
        "packets 2 + long_frames 1"
    );
}

// ---------------------------------------------------------------------------------------
// The kernel runs the packet examples too.

fn kernel_entries(m: &Map) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out: Vec<(Vec<u8>, Vec<u8>)> = m
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| {
            let v = m.lookup(&k).unwrap().unwrap_or_default();
            (k, v)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn kernel_runs_the_packet_examples_alike() {
    if !kernel::require("kernel_runs_the_packet_examples_alike") {
        return;
    }
    let frames = [
        ipv4_frame([10, 0, 0, 1], 17),
        ipv4_frame([10, 0, 0, 7], 6),
        ipv4_frame([10, 0, 0, 1], 1),
        raw_frame(64),
        raw_frame(40),
        raw_frame(20),
    ];
    for name in ["socket_protocols", "bounded_loop", "xdp_firewall", "subprog_calls"] {
        let o = load(name);
        let (p, program) = prog(&o);
        let kmaps = kernel_maps(&o);
        let mut store = o.map_store(1).unwrap();
        if let Some(bl) = store.index_of("blocklist") {
            store.update(bl, &[10, 0, 0, 1], &5u64.to_le_bytes(), 0).unwrap();
            kmaps[bl].update(&[10, 0, 0, 1], &5u64.to_le_bytes(), 0).unwrap();
        }
        let k = prog_load(ktype(p.prog_type.unwrap()), &p.raw, 1, &kmaps);
        assert!(k.accepted, "{name}: {}", k.log);
        let fd = k.fd.as_ref().unwrap();
        for (i, f) in frames.iter().enumerate() {
            // socket filters: a raw frame's EtherType is not IP, so any frame is usable.
            let (kret, _) = prog_test_run(fd, f, 1)
                .unwrap_or_else(|e| panic!("{name} frame {i}: test_run {}", e.name()));
            let r = run_program(
                &program,
                &mut store,
                p.prog_type.unwrap(),
                &Input::packet(f.clone()),
                &World::default(),
                1_000_000,
            )
            .unwrap();
            assert_eq!(r.retval, kret, "{name} frame {i}: return value");
        }
        for (mi, m) in o.maps.iter().enumerate() {
            let mut mine = store.entries(mi, 0).unwrap();
            mine.sort();
            assert_eq!(mine, kernel_entries(&kmaps[mi]), "{name}: map {}", m.def.name);
        }
        println!("{name}: {} frames, return values and maps as the kernel's", frames.len());
    }
}

#[test]
fn rodata_is_read_only_for_programs_in_both() {
    // A store into .rodata (BPF_F_RDONLY_PROG), made by patching the firewall's load of
    // `blocked_verdict` into a store: `r1 = .rodata ll; *(u32 *)(r1 + 0) = 1`.
    let o = load("xdp_firewall");
    let p = &o.programs[0];
    let ro = o.maps.iter().position(|m| m.def.name == ".rodata").unwrap();
    let i = p
        .raw
        .iter()
        .position(|r| r.code == 0x18 && r.src == 2 && r.imm == ro as i32)
        .expect("LD_IMM64 of .rodata");
    let mut raw = p.raw.clone();
    raw[i + 2] = bpfplay_core::RawInsn::new(0x62, 1, 0, 0, 1); // *(u32 *)(r1 + 0) = 1
    let v =
        verify(&raw, &o.map_defs(), &Options { prog_type: CoreType::Xdp, ..Options::default() });
    assert!(!v.accepted);
    assert_eq!(
        v.error.as_ref().unwrap().message,
        "write into map forbidden, value_size=4 off=0 size=4"
    );
    if !kernel::require("rodata_is_read_only_for_programs_in_both (kernel part)") {
        return;
    }
    let k = prog_load(ProgType::Xdp, &raw, 1, &kernel_maps(&o));
    assert_eq!(k.first_error(), Some(v.error.unwrap().message));
    assert_eq!(k.processed_insns(), Some(v.processed));
}

// ---------------------------------------------------------------------------------------
// Malformed objects.

#[test]
fn truncated_and_damaged_examples_give_errors_not_panics() {
    let start = std::time::Instant::now();
    let mut errors = 0;
    for name in examples() {
        let bytes = std::fs::read(c_dir().join(format!("{name}.o"))).unwrap();
        for cut in (0..bytes.len()).step_by(7) {
            if elf::load(&bytes[..cut]).is_err() {
                errors += 1;
            }
        }
    }
    assert!(errors > 1000, "truncations must fail: {errors}");
    assert!(start.elapsed().as_secs() < 60);
}
