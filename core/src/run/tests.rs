//! Runs of whole programs with contexts, maps and helpers. Expected values come from Linux
//! 6.18's BPF_PROG_TEST_RUN where a socket filter or XDP program can show them.

use super::*;
use crate::helpers::MemBlock;
use crate::maps::MapDef;
use crate::vm::VmErrorKind;
use alloc::string::ToString;
use alloc::vec;

/// The corpus's test frame: byte i = i, EtherType 0x88b5.
fn frame() -> Vec<u8> {
    let mut p: Vec<u8> = (0..64u8).collect();
    p[12] = 0x88;
    p[13] = 0xb5;
    p
}

fn build(src: &str) -> (Program, MapStore) {
    let a = crate::assemble(src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    let defs: Vec<MapDef> = a
        .maps
        .iter()
        .map(|n| {
            let d = a.map_decls.iter().find(|d| &d.name == n).unwrap();
            MapDef::parse_spec(&d.name, &d.spec).unwrap()
        })
        .collect();
    (a.program, MapStore::from_defs(&defs, 1).unwrap())
}

fn run_on(src: &str, ty: ProgType, input: &Input, world: &World) -> (RunResult, MapStore) {
    let (p, mut maps) = build(src);
    let r = run_program(&p, &mut maps, ty, input, world, 1_000_000).unwrap();
    (r, maps)
}

fn skb(src: &str) -> RunResult {
    run_on(src, ProgType::SocketFilter, &Input::packet(frame()), &World::default()).0
}

fn xdp(src: &str) -> RunResult {
    run_on(src, ProgType::Xdp, &Input::packet(frame()), &World::default()).0
}

#[test]
fn socket_filter_context() {
    // Measured: len 50, pkt_type 3, protocol 0xb588, ifindex 1.
    for (off, want) in [(0, 50), (4, 3), (8, 0), (16, 0xb588), (36, 0), (40, 1), (68, 0)] {
        let r = skb(&alloc::format!("r0 = *(u32 *)(r1 +{off})\nexit"));
        assert_eq!((r.retval, r.error.clone()), (want, None), "offset {off}");
    }
    // Narrow loads, LD_ABS in network byte order after the Ethernet header.
    assert_eq!(skb("r0 = *(u8 *)(r1 +17)\nexit").retval, 0xb5);
    assert_eq!(skb("r0 = *(u16 *)skb[0]\nexit").retval, 0x0e0f);
    assert_eq!(skb("r0 = *(u32 *)skb[46]\nexit").retval, 0x3c3d3e3f);
    assert_eq!(skb("r6 = r1\nr0 = 7\nr0 = *(u32 *)skb[47]\nexit").retval, 0);
    // cb[] is writable, and the packet comes back whole.
    let r = skb("*(u32 *)(r1 +48) = 9\nr0 = *(u32 *)(r1 +48)\nexit");
    let mut out = frame();
    out[..14].fill(0);
    assert_eq!((r.retval, r.packet_out.clone()), (9, out));
    // pkt_type of a frame whose destination `set` changes.
    let pkt_type = |set: fn(&mut Vec<u8>)| {
        let mut f = frame();
        set(&mut f);
        let r = run_on(
            "r0 = *(u32 *)(r1 +4)\nexit",
            ProgType::SocketFilter,
            &Input::packet(f),
            &World::default(),
        );
        r.0.retval
    };
    // A multicast destination; and ff:ff:ff:ff:ff:ff, which is not the loopback device's
    // broadcast address (all zeros): the kernel gives PACKET_MULTICAST (2) for it too.
    assert_eq!(pkt_type(|f| f[0] = 1), 2);
    assert_eq!(pkt_type(|f| f[..6].fill(0xff)), 2);
    let short = run_program(
        &build("exit").0,
        &mut MapStore::default(),
        ProgType::SocketFilter,
        &Input::packet(vec![0; 13]),
        &World::default(),
        10,
    );
    assert_eq!(
        short.err().as_deref(),
        Some("a socket filter's test frame needs at least 14 bytes (the Ethernet header); got 13")
    );
}

#[test]
fn skb_load_and_store_bytes() {
    let r = skb("r6 = r1\nr1 = r6\nr2 = 2\nr3 = r10\nr3 += -8\nr4 = 4\ncall bpf_skb_load_bytes\nr0 = *(u32 *)(r10 -8)\nexit");
    assert_eq!(r.retval, u32::from_le_bytes([16, 17, 18, 19]));
    let r = skb("r6 = r1\nr2 = 48\nr3 = r10\nr3 += -8\nr4 = 4\ncall bpf_skb_load_bytes\nexit");
    assert_eq!(r.r0 as i64, -14);
    let r = skb("r6 = r1\n*(u32 *)(r10 -8) = 0x11223344\nr2 = 1\nr3 = r10\nr3 += -8\nr4 = 4\nr5 = 0\ncall bpf_skb_store_bytes\nexit");
    assert_eq!(r.retval, 0);
    let mut want = frame();
    want[..14].fill(0);
    want[15..19].copy_from_slice(&[0x44, 0x33, 0x22, 0x11]);
    assert_eq!(r.packet_out, want);
}

#[test]
fn xdp_context_and_adjust_head() {
    let r = xdp("r2 = *(u32 *)(r1 +4)\nr1 = *(u32 *)(r1 +0)\nr0 = r2\nr0 -= r1\nexit");
    assert_eq!(r.retval, 64);
    assert_eq!(xdp("r0 = *(u32 *)(r1 +12)\nexit").retval, 1);
    assert_eq!(xdp("r0 = *(u32 *)(r1 +16)\nexit").retval, 0);
    // Direct packet access: read byte 12, write byte 0.
    let r = xdp("r2 = *(u32 *)(r1 +0)\nr0 = *(u8 *)(r2 +12)\n*(u8 *)(r2 +0) = 0xaa\nexit");
    let mut want = frame();
    want[0] = 0xaa;
    assert_eq!((r.retval, r.packet_out), (0x88, want));
    // Measured: -216 is the lowest offset (256 of headroom minus a 40-byte xdp_frame), 50
    // the highest for 64 bytes (14 must remain).
    for (d, rv) in [(-217, -22), (-216, 0), (-8, 0), (8, 0), (50, 0), (51, -22)] {
        let r = xdp(&alloc::format!("r2 = {d}\ncall bpf_xdp_adjust_head\nexit"));
        assert_eq!(r.r0 as i64, rv, "delta {d}");
        let want: Vec<u8> = if rv != 0 {
            frame()
        } else if d < 0 {
            let mut v = vec![0; (-d) as usize];
            v.extend(frame());
            v
        } else {
            frame()[d as usize..].to_vec()
        };
        assert_eq!(r.packet_out, want, "delta {d}");
    }
    assert_eq!(
        xdp("r1 = 3\nr2 = 0\ncall bpf_redirect\nexit").redirect,
        Some(Redirect { ifindex: 3, flags: 0 })
    );
    assert_eq!(xdp("r1 = 3\nr2 = 1\ncall bpf_redirect\nexit").retval, 0);
    assert_eq!(xdp("r1 = 3\nr2 = 0\ncall bpf_redirect\nexit").retval, 4);
}

const COUNTER: &str = "
map counts: hash key=4 value=8 max=4
    *(u32 *)(r10 -4) = 7
    r2 = r10
    r2 += -4
    r1 = map[counts] ll
    call bpf_map_lookup_elem
    if r0 != 0 goto found
    *(u64 *)(r10 -16) = 1
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r1 = map[counts] ll
    r4 = 0
    call bpf_map_update_elem
    r0 = 1
    exit
found:
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
    r0 = *(u64 *)(r0 +0)
    exit
";

#[test]
fn map_values_are_memory() {
    let (p, mut maps) = build(COUNTER);
    let w = World::default();
    let input = Input::packet(frame());
    for want in 1..=3u32 {
        let r = run_program(&p, &mut maps, ProgType::SocketFilter, &input, &w, 1000).unwrap();
        assert_eq!((r.retval, r.error), (want, None));
        assert_eq!(
            r.maps[0].entries,
            vec![(7u32.to_le_bytes().to_vec(), (want as u64).to_le_bytes().to_vec())]
        );
    }
    assert_eq!(maps.lookup(0, &7u32.to_le_bytes()), Ok(3u64.to_le_bytes().to_vec()));
}

#[test]
fn arrays_per_cpu_and_direct_values() {
    let src = "
map a: percpu_array key=4 value=8 max=2
map cfg: array key=4 value=16 max=1
    *(u32 *)(r10 -4) = 1
    r2 = r10
    r2 += -4
    r1 = map[a] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = 5
    *(u64 *)(r0 +0) = r1
    r1 = map_value[cfg]+8
    r2 = 0x77
    *(u64 *)(r1 +0) = r2
out:
    call bpf_get_smp_processor_id
    exit
";
    let (p, _) = build(src);
    let defs = [
        MapDef::parse_spec("a", "percpu_array key=4 value=8 max=2").unwrap(),
        MapDef::parse_spec("cfg", "array key=4 value=16 max=1").unwrap(),
    ];
    let mut maps = MapStore::from_defs(&defs, 2).unwrap();
    let w = World { cpu: 1, ..World::default() };
    let r = run_program(&p, &mut maps, ProgType::SocketFilter, &Input::packet(frame()), &w, 1000)
        .unwrap();
    assert_eq!(r.retval, 1);
    let mut want = vec![0u8; 16];
    want[8] = 5;
    assert_eq!(maps.lookup(0, &1u32.to_le_bytes()), Ok(want));
    assert_eq!(maps.lookup(1, &0u32.to_le_bytes()).unwrap()[8], 0x77);
    // The snapshot shows the CPU the program ran on.
    assert_eq!(r.maps[0].entries[1].1, 5u64.to_le_bytes().to_vec());
}

#[test]
fn deleted_elements_are_unreachable() {
    let src = "
map h: hash key=4 value=8 max=4
    *(u32 *)(r10 -4) = 1
    *(u64 *)(r10 -16) = 42
    r1 = map[h] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 0
    call bpf_map_update_elem
    r1 = map[h] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r6 = r0
    r1 = map[h] ll
    r2 = r10
    r2 += -4
    call bpf_map_delete_elem
    r0 = *(u64 *)(r6 +0)
out:
    exit
";
    let r = run_on(src, ProgType::SocketFilter, &Input::packet(frame()), &World::default()).0;
    let e = r.error.expect("the load through a deleted element faults");
    assert_eq!(e.pc, 22);
    assert!(matches!(e.kind, VmErrorKind::MemoryAccess { write: false, .. }), "{e}");
    assert!(r.maps[0].entries.is_empty());
}

#[test]
fn replaced_hash_elements_keep_the_old_value() {
    let src = "
map h: hash key=4 value=8 max=4
    *(u32 *)(r10 -4) = 1
    *(u64 *)(r10 -16) = 42
    r1 = map[h] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 0
    call bpf_map_update_elem
    r1 = map[h] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r6 = r0
    *(u64 *)(r10 -16) = 43
    r1 = map[h] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 0
    call bpf_map_update_elem
    *(u64 *)(r6 +0) = 99
    r0 = *(u64 *)(r6 +0)
out:
    exit
";
    let r = run_on(src, ProgType::SocketFilter, &Input::packet(frame()), &World::default()).0;
    assert_eq!((r.retval, r.error), (99, None));
    assert_eq!(r.maps[0].entries[0].1, 43u64.to_le_bytes().to_vec());
}

#[test]
fn helper_errors_are_negative_errno() {
    let src = "
map a: array key=4 value=8 max=2
    *(u32 *)(r10 -4) = 0
    *(u64 *)(r10 -16) = 1
    r1 = map[a] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 1
    call bpf_map_update_elem
    exit
";
    assert_eq!(skb(src).r0 as i64, -17);
    assert_eq!(skb(&src.replace("r4 = 1", "r4 = 3")).r0 as i64, -22);
    // NOEXIST|F_LOCK: the kernel checks NOEXIST first.
    assert_eq!(skb(&src.replace("r4 = 1", "r4 = 5")).r0 as i64, -17);
    assert_eq!(skb(&src.replace("= 0\n    *(u64", "= 9\n    *(u64")).r0 as i64, -7);
    let del = "
map a: array key=4 value=8 max=2
    *(u32 *)(r10 -4) = 0
    r1 = map[a] ll
    r2 = r10
    r2 += -4
    call bpf_map_delete_elem
    exit
";
    assert_eq!(skb(del).r0 as i64, -22);
    assert_eq!(skb(&del.replace("array", "hash")).r0 as i64, -2);
}

#[test]
fn trace_printk_lines() {
    let r = skb("r1 = 0x0a6425203d2078 ll\n*(u64 *)(r10 -8) = r1\nr1 = r10\nr1 += -8\nr2 = 8\nr3 = -5\ncall bpf_trace_printk\nexit");
    assert_eq!(r.printk, vec!["x = -5\n".to_string()]);
    assert_eq!(r.retval, 7);
    // Four conversions: -EINVAL, no line.
    let r = skb("r1 = 0x6425642564256425 ll\n*(u64 *)(r10 -16) = r1\n*(u64 *)(r10 -8) = 0\nr1 = r10\nr1 += -16\nr2 = 16\ncall bpf_trace_printk\nexit");
    assert_eq!((r.r0 as i64, r.printk.len()), (-22, 0));
}

#[test]
fn world_helpers() {
    let w = World {
        pid: 7,
        tgid: 8,
        uid: 9,
        gid: 10,
        comm: "curl".into(),
        ktime_ns: 100,
        ktime_step_ns: 5,
        ..World::default()
    };
    let input = Input::default();
    let one = |src: &str| run_on(src, ProgType::Kprobe, &input, &w).0.r0;
    assert_eq!(one("call bpf_get_current_pid_tgid\nexit"), 8 << 32 | 7);
    assert_eq!(one("call bpf_get_current_uid_gid\nexit"), 10 << 32 | 9);
    assert_eq!(one("call bpf_ktime_get_ns\nr6 = r0\ncall bpf_ktime_get_ns\nr0 -= r6\nr0 *= 1000\nr0 += r6\nexit"), 5000 + 100);
    assert_eq!(
        one(
            "r1 = r10\nr1 += -16\nr2 = 16\ncall bpf_get_current_comm\nr0 = *(u64 *)(r10 -16)\nexit"
        ),
        u64::from_le_bytes(*b"curl\0\0\0\0")
    );
    let a = one("call bpf_get_prandom_u32\nexit");
    assert_eq!(a, one("call bpf_get_prandom_u32\nexit"));
    assert_ne!(a, one("call bpf_get_prandom_u32\ncall bpf_get_prandom_u32\nexit"));
}

#[test]
fn kprobe_registers_and_probe_read() {
    let mut w = World::default();
    w.kernel_memory.push(MemBlock { addr: 0xffff_8880_0000_1000, data: b"kernel!\0".to_vec() });
    w.user_memory.push(MemBlock { addr: 0x7000_0000, data: b"user\0".to_vec() });
    let mut input = Input::default();
    input.regs.set("di", 0xffff_8880_0000_1000);
    input.regs.set("rsi", 0x7000_0000);
    // PT_REGS_PARM1 (di, offset 112) then bpf_probe_read_kernel.
    let src = "r3 = *(u64 *)(r1 +112)\nr1 = r10\nr1 += -8\nr2 = 8\ncall bpf_probe_read_kernel\nr0 = *(u64 *)(r10 -8)\nexit";
    assert_eq!(run_on(src, ProgType::Kprobe, &input, &w).0.r0, u64::from_le_bytes(*b"kernel!\0"));
    let src =
        "r3 = *(u64 *)(r1 +104)\nr1 = r10\nr1 += -8\nr2 = 8\ncall bpf_probe_read_user_str\nexit";
    assert_eq!(run_on(src, ProgType::Kprobe, &input, &w).0.r0, 5);
    // Unmapped kernel memory: -EFAULT and a zeroed buffer; a user address: -ERANGE.
    let src = "*(u64 *)(r10 -8) = -1\nr3 = 0xffff888000009000 ll\nr1 = r10\nr1 += -8\nr2 = 8\ncall bpf_probe_read_kernel\nr1 = *(u64 *)(r10 -8)\nr0 += r1\nexit";
    assert_eq!(run_on(src, ProgType::Kprobe, &input, &w).0.r0 as i64, -14);
    let src = "r3 = 0x1000\nr1 = r10\nr1 += -8\nr2 = 8\ncall bpf_probe_read_kernel\nexit";
    assert_eq!(run_on(src, ProgType::Kprobe, &input, &w).0.r0 as i64, -34);
}

#[test]
fn tracepoint_record() {
    let input = Input {
        syscall: SysEnter { event_type: 0, id: 59, args: [1, 2, 3, 4, 5, 6] },
        ..Input::default()
    };
    let r = run_on(
        "r0 = *(u64 *)(r1 +8)\nr2 = *(u64 *)(r1 +56)\nr0 += r2\nexit",
        ProgType::Tracepoint,
        &input,
        &World::default(),
    )
    .0;
    assert_eq!(r.r0, 59 + 6);
}

#[test]
fn ringbuf_reserve_submit_output() {
    let src = "
map rb: ringbuf max=4096
    r1 = map[rb] ll
    r2 = 8
    r3 = 0
    call bpf_ringbuf_reserve
    if r0 == 0 goto out
    r1 = 0x1122334455667788 ll
    *(u64 *)(r0 +0) = r1
    r1 = r0
    r2 = 0
    call bpf_ringbuf_submit
    *(u32 *)(r10 -4) = 0xabcd
    r1 = map[rb] ll
    r2 = r10
    r2 += -4
    r3 = 4
    r4 = 0
    call bpf_ringbuf_output
    r1 = map[rb] ll
    r2 = 0
    call bpf_ringbuf_query
out:
    exit
";
    let r = skb(src);
    assert_eq!((r.r0, r.error), (16 + 16, None));
    assert_eq!(
        r.maps[0].entries,
        vec![
            (0u32.to_le_bytes().to_vec(), 0x1122334455667788u64.to_le_bytes().to_vec()),
            (1u32.to_le_bytes().to_vec(), 0xabcdu32.to_le_bytes().to_vec())
        ]
    );
}

#[test]
fn tail_calls() {
    let main = "
map progs: prog_array key=4 value=4 max=4
    r6 = r1
    r1 = r6
    r2 = map[progs] ll
    r3 = 1
    call bpf_tail_call
    r0 = 77
    exit
";
    let (p0, mut maps) = build(main);
    // Program 1 counts in cb[0] and tail-calls itself.
    let again = "
map progs: prog_array key=4 value=4 max=4
    r2 = *(u32 *)(r1 +48)
    r2 += 1
    *(u32 *)(r1 +48) = r2
    r6 = r1
    r1 = r6
    r2 = map[progs] ll
    r3 = 1
    call bpf_tail_call
    r0 = *(u32 *)(r6 +48)
    exit
";
    let (p1, _) = build(again);
    let input = Input::packet(frame());
    let w = World::default();
    // An empty slot falls through.
    let r = run_programs(
        &[p0.clone(), p1.clone()],
        &mut maps,
        ProgType::SocketFilter,
        &input,
        &w,
        100_000,
    )
    .unwrap();
    assert_eq!(r.retval, 77);
    maps.update(0, &1u32.to_le_bytes(), &1u32.to_le_bytes(), 0).unwrap();
    let r =
        run_programs(&[p0, p1], &mut maps, ProgType::SocketFilter, &input, &w, 100_000).unwrap();
    // 33 tail calls: the main program's and 32 of program 1's; program 1 ran 33 times.
    assert_eq!((r.retval, r.tail_calls, r.error), (33, 33, None));
}

#[test]
fn lru_eviction_kills_regions() {
    // Both keys are looked up, but key 1's reference bit is spent when the lists rotate at
    // key 2's insertion: inserting key 3 into the full map evicts key 1 (as the kernel does,
    // see tests/tests/run_diff.rs), and the pointer to key 1's value faults.
    let upd = |k: u32| {
        alloc::format!(
            "*(u32 *)(r10 -4) = {k}\nr1 = map[l] ll\nr2 = r10\nr2 += -4\nr3 = r10\nr3 += -16\nr4 = 0\ncall bpf_map_update_elem\n"
        )
    };
    let look = |k: u32, reg: u8| {
        alloc::format!("*(u32 *)(r10 -4) = {k}\nr1 = map[l] ll\nr2 = r10\nr2 += -4\ncall bpf_map_lookup_elem\nr{reg} = r0\n")
    };
    let src = alloc::format!(
        "map l: lru_hash key=4 value=8 max=2\n*(u64 *)(r10 -16) = 5\n{}{}{}{}{}r0 = *(u64 *)(r6 +0)\nr0 = *(u64 *)(r7 +0)\nexit\n",
        upd(1),
        look(1, 6),
        upd(2),
        look(2, 7),
        upd(3)
    );
    let (p, _) = build(&src);
    let r = skb(&src);
    let keys: Vec<Vec<u8>> = r.maps[0].entries.iter().map(|e| e.0.clone()).collect();
    assert_eq!(keys, vec![2u32.to_le_bytes().to_vec(), 3u32.to_le_bytes().to_vec()]);
    let e = r.error.unwrap();
    assert_eq!(e.pc, p.insns.len() - 3);
    assert!(matches!(e.kind, VmErrorKind::MemoryAccess { write: false, .. }));
}

/// Unverified programs may pass helpers any size: a huge one is a failed helper call, not a
/// 4 GiB buffer (fuzzing found `bpf_probe_read_kernel` with size 0xfffe0ffe aborting the
/// process on the allocation).
#[test]
fn helpers_with_huge_sizes_fail_cleanly() {
    for (helper, ty) in [
        ("bpf_probe_read_kernel", ProgType::Kprobe),
        ("bpf_probe_read_kernel_str", ProgType::Kprobe),
        ("bpf_probe_read", ProgType::Kprobe),
        ("bpf_get_current_comm", ProgType::Kprobe),
        ("bpf_skb_load_bytes", ProgType::SocketFilter),
    ] {
        let args = if helper == "bpf_get_current_comm" {
            "r1 = r10\nr1 += -8\nr2 = 0xfffe0ffe ll\n"
        } else if helper == "bpf_skb_load_bytes" {
            "r2 = 0\nr3 = r10\nr3 += -8\nr4 = 0xfffe0ffe ll\n"
        } else {
            "r1 = r10\nr1 += -8\nr2 = 0xfffe0ffe ll\nr3 = 0\n"
        };
        let src = alloc::format!("{args}call {helper}\nr0 = 0\nexit");
        let input =
            if ty == ProgType::SocketFilter { Input::packet(frame()) } else { Input::default() };
        let (r, _) = run_on(&src, ty, &input, &World::default());
        let e = r.error.unwrap_or_else(|| panic!("{helper}: no error"));
        assert!(matches!(e.kind, VmErrorKind::HelperFailed { .. }), "{helper}: {e}");
        assert!(e.to_string().contains("cannot write 4294840318 bytes"), "{helper}: {e}");
    }
}

#[test]
fn socket_cookie_comes_from_the_world() {
    let w = World { socket_cookie: 77, ..World::default() };
    let r = run_on(
        "call bpf_get_socket_cookie\nexit",
        ProgType::SocketFilter,
        &Input::packet(frame()),
        &w,
    )
    .0;
    assert_eq!(r.retval, 77);
}

#[test]
fn stack_helpers_see_the_worlds_call_chain() {
    let w = World::default();
    let input = Input::default();
    // bpf_get_stackid twice on the same chain gives the same bucket, which holds the chain
    // (value of 3 addresses: the innermost 3, after skipping 1 with flags & 0xff).
    let src = "
map stacks: stack_trace key=4 value=24 max=8
    r6 = r1
    r1 = r6
    r2 = map[stacks] ll
    r3 = 1
    call bpf_get_stackid
    r7 = r0
    r1 = r6
    r2 = map[stacks] ll
    r3 = 1
    call bpf_get_stackid
    if r0 != r7 goto bad
    exit
bad:
    r0 = -1
    exit";
    let (r, maps) = run_on(src, ProgType::Kprobe, &input, &w);
    let id = r.r0 as u32;
    assert!(id < 8, "a bucket id: {}", r.r0 as i64);
    let v = maps.lookup(0, &id.to_le_bytes()).unwrap();
    let want: Vec<u8> = w.kernel_stack[1..4].iter().flat_map(|ip| ip.to_le_bytes()).collect();
    assert_eq!(v, want);
    // Bad flags: EINVAL; skipping the whole chain: EFAULT.
    let with_flags = |f: u64| {
        src.replace(
            "r3 = 1\n    call bpf_get_stackid\n    r7 = r0",
            &alloc::format!("r3 = {f}\n    call bpf_get_stackid\n    exit\n    r7 = r0"),
        )
    };
    assert_eq!(run_on(&with_flags(1 << 20), ProgType::Kprobe, &input, &w).0.r0 as i64, -22);
    assert_eq!(run_on(&with_flags(200), ProgType::Kprobe, &input, &w).0.r0 as i64, -14);
    // bpf_get_stack: the user chain into a 32-byte buffer: 3 addresses (24 bytes) and zeros.
    let src = "
    r2 = r10
    r2 += -32
    r3 = 32
    r4 = 256
    call bpf_get_stack
    r1 = *(u64 *)(r10 -32)
    r2 = *(u64 *)(r10 -8)
    r0 <<= 32
    r0 |= r2
    exit";
    let r = run_on(src, ProgType::Kprobe, &input, &w).0;
    assert_eq!(r.r0, 24 << 32, "24 bytes copied, the last slot zeroed");
    // A size that is not a multiple of 8: EINVAL.
    let r = run_on(&src.replace("r3 = 32", "r3 = 31"), ProgType::Kprobe, &input, &w).0;
    assert_eq!((r.r0 >> 32) as i32, -22);
}
