//! Differential tests of bpfplay's interpreter, maps and helpers against Linux 6.18.
//!
//! 1. Anywhere: every accepted socket filter and XDP program of the verifier corpus runs on
//!    `corpus::test_packet()` with fresh maps, and its return value must be the `retval`
//!    that `BPF_PROG_TEST_RUN` gave (recorded in the `.expected` files).
//! 2. Where `bpf()` works: hand-written and seeded random programs that read the packet and
//!    write maps run through both `BPF_PROG_TEST_RUN` and bpfplay, several times each, on
//!    several frames; return values, packets out and the contents of every map (per-CPU
//!    values of all CPUs, ring-buffer records) must be equal. Skipped, with the reason
//!    printed, where `bpf()` is unavailable.
//!
//! The test thread runs on CPU 0 (per-CPU values and LRU lists depend on the CPU), and
//! bpfplay's maps have as many CPUs as the kernel's possible CPUs.

use bpfplay_core::helpers::World;
use bpfplay_core::hex::encode as hex;
use bpfplay_core::isa::{decode_with, Dialect};
use bpfplay_core::maps::{MapDef, MapKind as CoreKind, MapStore};
use bpfplay_core::progtype::ProgType as CoreType;
use bpfplay_core::run::{run_programs, Input};
use bpfplay_core::{Program, RawInsn};
use bpfplay_tests::corpus::{case_paths, test_packet, Case, MapSpec};
use bpfplay_tests::kernel::{
    self, possible_cpus, prog_load, prog_test_run, Map, MapKind, ProgType,
};
use std::fmt::Write as _;
use std::path::Path;

fn core_type(t: ProgType) -> CoreType {
    CoreType::parse(t.name()).expect("program type")
}

fn core_def(m: &MapSpec) -> MapDef {
    MapDef {
        name: m.name.clone(),
        kind: CoreKind::parse(m.kind.name()).expect("map kind"),
        key_size: m.key_size,
        value_size: m.value_size,
        max_entries: m.max_entries,
        flags: m.flags,
        inner: None,
        record: Default::default(),
        map_extra: m.map_extra,
    }
}

fn decode(raw: &[RawInsn]) -> Result<Program, String> {
    decode_with(raw, Dialect::Kernel).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------
// 1. The corpus's recorded return values.

#[test]
fn corpus_retvals_match_the_kernel() {
    let (mut agree, mut total) = (0, 0);
    let mut bad = Vec::new();
    for path in case_paths() {
        let case = Case::load(&path).unwrap();
        let exp = case.expected().unwrap();
        let Some(want) = exp.retval else { continue };
        total += 1;
        let defs: Vec<MapDef> = case.maps.iter().map(core_def).collect();
        let mut store = MapStore::from_defs(&defs, 2).unwrap();
        let prog = match decode(&case.raw) {
            Ok(p) => p,
            Err(e) => {
                bad.push(format!("{}: does not decode: {e}", case.name));
                continue;
            }
        };
        let input = Input::packet(test_packet());
        let r = run_programs(
            &[prog],
            &mut store,
            core_type(case.prog_type),
            &input,
            &World::default(),
            1_000_000,
        )
        .unwrap();
        if r.error.is_none() && r.retval == want {
            agree += 1;
        } else {
            bad.push(format!(
                "{}: kernel retval {want}, bpfplay {} (error {:?})",
                case.name,
                r.retval,
                r.error.map(|e| e.to_string())
            ));
        }
    }
    println!("run_diff: corpus return values: {agree}/{total} agree with BPF_PROG_TEST_RUN");
    assert!(total > 50, "expected the corpus's accepted socket filters and XDP programs");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ---------------------------------------------------------------------------------------
// 2. Both machines, live.

/// Runs the current thread on CPU 0 only.
fn pin_cpu0() -> Result<(), String> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; sched_setaffinity reads it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(0, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            return Err(format!("sched_setaffinity: {}", std::io::Error::last_os_error()));
        }
    }
    Ok(())
}

/// The committed records of a kernel ring buffer, read through its mmap()ed pages as a
/// consumer would (without consuming them).
fn kernel_ringbuf_records(m: &Map) -> Result<Vec<Vec<u8>>, String> {
    let page = 4096usize;
    let size = m.max_entries as usize;
    // Consumer page at offset 0; producer page then the data, mapped twice, at one page.
    // SAFETY: mapping a BPF ring buffer read-only as the kernel documents; the mappings are
    // read within their lengths and unmapped before returning.
    unsafe {
        let cons = libc::mmap(
            std::ptr::null_mut(),
            page,
            libc::PROT_READ,
            libc::MAP_SHARED,
            m.fd.raw(),
            0,
        );
        if cons == libc::MAP_FAILED {
            return Err(format!("mmap consumer page: {}", std::io::Error::last_os_error()));
        }
        let len = page + 2 * size;
        let prod = libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_SHARED,
            m.fd.raw(),
            page as libc::off_t,
        );
        if prod == libc::MAP_FAILED {
            libc::munmap(cons, page);
            return Err(format!("mmap producer pages: {}", std::io::Error::last_os_error()));
        }
        let cons_pos = std::ptr::read_volatile(cons as *const u64);
        let prod_pos = std::ptr::read_volatile(prod as *const u64);
        let data = std::slice::from_raw_parts((prod as *const u8).add(page), 2 * size);
        let mut out = Vec::new();
        let mut pos = cons_pos;
        while pos < prod_pos {
            let at = (pos as usize) & (size - 1);
            let hdr = u32::from_le_bytes(data[at..at + 4].try_into().unwrap());
            if hdr & (1 << 31) != 0 {
                break;
            }
            let n = (hdr & !(3 << 30)) as usize;
            if hdr & (1 << 30) == 0 {
                out.push(data[at + 8..at + 8 + n].to_vec());
            }
            pos += ((n + 8 + 7) & !7) as u64;
        }
        libc::munmap(prod, len);
        libc::munmap(cons, page);
        Ok(out)
    }
}

/// A map's contents as (key, value) sorted by key; ring buffers as their records keyed by
/// sequence number; prog_arrays are left out (their values are fds in the kernel).
type Contents = Vec<(Vec<u8>, Vec<u8>)>;

/// How many values a bloom filter's contents test: value i is i as 4 little-endian bytes,
/// zero-padded to `value_size`. The answers (present or not, false positives included) are
/// what is compared.
const BLOOM_PROBES: u32 = 512;

fn bloom_probe(i: u32, value_size: u32) -> Vec<u8> {
    let mut v = vec![0u8; value_size as usize];
    let b = i.to_le_bytes();
    let n = v.len().min(4);
    v[..n].copy_from_slice(&b[..n]);
    v
}

fn kernel_contents(m: &Map) -> Result<Option<Contents>, String> {
    match m.kind {
        MapKind::ProgArray => Ok(None),
        // Pop every element (the order is the comparison), then push them back so the map
        // is as it was.
        MapKind::Queue | MapKind::Stack => {
            let mut els = Vec::new();
            while let Some(v) = m.lookup_and_delete(&[]).map_err(|e| e.to_string())? {
                els.push(v);
                if els.len() > m.max_entries as usize {
                    return Err("a queue that does not empty".into());
                }
            }
            let back: Vec<&Vec<u8>> = if m.kind == MapKind::Stack {
                els.iter().rev().collect()
            } else {
                els.iter().collect()
            };
            for v in back {
                m.update(&[], v, 0).map_err(|e| format!("push back: {e}"))?;
            }
            Ok(Some(
                els.into_iter()
                    .enumerate()
                    .map(|(i, v)| ((i as u32).to_le_bytes().to_vec(), v))
                    .collect(),
            ))
        }
        MapKind::BloomFilter => {
            let mut v = Vec::new();
            for i in 0..BLOOM_PROBES {
                let p = bloom_probe(i, m.value_size);
                if m.lookup_value(&[], &p).map_err(|e| e.to_string())? {
                    v.push((i.to_le_bytes().to_vec(), p));
                }
            }
            Ok(Some(v))
        }
        MapKind::Ringbuf => Ok(Some(
            kernel_ringbuf_records(m)?
                .into_iter()
                .enumerate()
                .map(|(i, r)| ((i as u32).to_le_bytes().to_vec(), r))
                .collect(),
        )),
        _ => {
            let mut v = Vec::new();
            for k in m.keys().map_err(|e| e.to_string())? {
                if let Some(val) = m.lookup(&k).map_err(|e| e.to_string())? {
                    v.push((k, val));
                }
            }
            // An LPM trie's iteration order is the kernel's post-order: compared as it is.
            if m.kind != MapKind::LpmTrie {
                v.sort();
            }
            Ok(Some(v))
        }
    }
}

fn ours_contents(store: &MapStore, i: usize) -> Option<Contents> {
    let m = store.get(i)?;
    match m.kind() {
        CoreKind::ProgArray => None,
        CoreKind::Ringbuf | CoreKind::Queue | CoreKind::Stack => Some(m.entries(0)),
        CoreKind::BloomFilter => Some(
            (0..BLOOM_PROBES)
                .filter_map(|i| {
                    let p = bloom_probe(i, m.def.value_size);
                    m.lookup_value(&[], &p).ok().map(|v| (i.to_le_bytes().to_vec(), v))
                })
                .collect(),
        ),
        _ => {
            let mut v: Contents =
                m.keys().into_iter().map(|k| (k.clone(), m.lookup(&k).unwrap())).collect();
            if m.kind() != CoreKind::LpmTrie {
                v.sort();
            }
            Some(v)
        }
    }
}

fn show(c: &Contents) -> String {
    c.iter().map(|(k, v)| format!("{}={}", hex(k), hex(v))).collect::<Vec<_>>().join(" ")
}

/// Frames for the runs: the corpus frame, a short one, a longer one with other bytes.
fn frames() -> Vec<Vec<u8>> {
    let mut a = test_packet();
    let mut b: Vec<u8> = (0..20u8).map(|i| i.wrapping_mul(37)).collect();
    b[12] = 0x88;
    b[13] = 0xb5;
    let mut c: Vec<u8> = (0..150u32).map(|i| (i * 7 + 3) as u8).collect();
    c[12] = 0x88;
    c[13] = 0xb5;
    a[20] = 0xff;
    // Addressed to ff:ff:ff:ff:ff:ff: pkt_type 2 on the test run's loopback device.
    let mut d = test_packet();
    d[..6].fill(0xff);
    vec![test_packet(), b, c, a, d]
}

#[derive(Debug)]
enum Outcome {
    /// With the number of map entries (and ring-buffer records) compared.
    Agree(usize),
    KernelRejected(String),
    Differ(String),
}

/// A program group: `sources[0]` runs; the others are tail-call targets placed in
/// prog_array `tail_map` slot i (for sources[i]) on both sides. `prefill` are user-space
/// updates made before the runs.
struct Diff<'a> {
    name: &'a str,
    sources: Vec<String>,
    prefill: Vec<(usize, Vec<u8>, Vec<u8>)>,
    tail_map: Option<usize>,
}

fn run_diff(d: &Diff) -> Outcome {
    let cases: Vec<Case> = match d
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| Case::parse(&format!("{}#{i}", d.name), Path::new("gen.s"), s))
        .collect()
    {
        Ok(c) => c,
        Err(e) => return Outcome::Differ(format!("does not assemble: {e}")),
    };
    let main = &cases[0];
    let ncpus = possible_cpus();
    // Kernel side.
    let mut kmaps = Vec::new();
    for m in &main.maps {
        match m.create() {
            Ok(x) => kmaps.push(x),
            Err(e) => return Outcome::KernelRejected(format!("map {}: {e}", m.name)),
        }
    }
    let defs: Vec<MapDef> = main.maps.iter().map(core_def).collect();
    let mut store = MapStore::from_defs(&defs, ncpus).unwrap();
    for (mi, k, v) in &d.prefill {
        let kr = kmaps[*mi].update(k, v, 0).map_err(|e| e.to_string());
        let or = store.update(*mi, k, v, 0).map_err(|e| e.to_string());
        if kr.is_err() != or.is_err() {
            return Outcome::Differ(format!("prefill of map {mi}: kernel {kr:?}, bpfplay {or:?}"));
        }
    }
    let mut fds = Vec::new();
    let mut progs = Vec::new();
    for c in &cases {
        let r = prog_load(c.prog_type, &c.raw, 1, &kmaps);
        let Some(fd) = r.fd else {
            return Outcome::KernelRejected(r.first_error().unwrap_or_else(|| r.errno_name()));
        };
        fds.push(fd);
        match decode(&c.raw) {
            Ok(p) => progs.push(p),
            Err(e) => {
                return Outcome::Differ(format!("accepted by the kernel but does not decode: {e}"))
            }
        }
    }
    if let Some(t) = d.tail_map {
        for (i, fd) in fds.iter().enumerate().skip(1) {
            let key = (i as u32).to_le_bytes();
            let kr = kmaps[t].update(&key, &(fd.raw() as u32).to_le_bytes(), 0);
            let or = store.update(t, &key, &(i as u32).to_le_bytes(), 0);
            if kr.is_err() || or.is_err() {
                return Outcome::Differ(format!(
                    "prog_array update: kernel {kr:?}, bpfplay {or:?}"
                ));
            }
        }
    }
    let ty = core_type(main.prog_type);
    let mut log = String::new();
    let mut compared = 0;
    for (run, frame) in frames().iter().enumerate() {
        let (krv, kout) = match prog_test_run(&fds[0], frame, 1) {
            Ok(x) => x,
            Err(e) => return Outcome::KernelRejected(format!("test run: {e}")),
        };
        let r = run_programs(
            &progs,
            &mut store,
            ty,
            &Input::packet(frame.clone()),
            &World::default(),
            1_000_000,
        )
        .unwrap();
        if let Some(e) = &r.error {
            return Outcome::Differ(format!(
                "run {run}: bpfplay stopped: {e} (kernel retval {krv})"
            ));
        }
        if r.retval != krv {
            let _ = write!(log, "run {run}: retval kernel {krv:#x}, bpfplay {:#x}; ", r.retval);
        }
        if r.packet_out != kout {
            let _ = write!(
                log,
                "run {run}: packet out kernel {}, bpfplay {}; ",
                hex(&kout),
                hex(&r.packet_out)
            );
        }
        for (i, km) in kmaps.iter().enumerate() {
            let kc = match kernel_contents(km) {
                Ok(c) => c,
                Err(e) => return Outcome::KernelRejected(e),
            };
            let oc = ours_contents(&store, i);
            compared += kc.as_ref().map_or(0, |c| c.len());
            if kc != oc {
                let _ = write!(
                    log,
                    "run {run}: map {} kernel [{}] bpfplay [{}]; ",
                    main.maps[i].name,
                    kc.as_ref().map(show).unwrap_or_default(),
                    oc.as_ref().map(show).unwrap_or_default()
                );
            }
        }
        if !log.is_empty() {
            return Outcome::Differ(log);
        }
    }
    Outcome::Agree(compared)
}

// ---- Hand-written programs. ----

const COUNT_BY_LEN: &str = "// type: socket_filter
map counts: hash key=4 value=8 max=3
    r6 = r1
    r1 = *(u32 *)(r6 +0)
    *(u32 *)(r10 -4) = r1
    r2 = r10
    r2 += -4
    r1 = map[counts] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto new
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
    r0 = *(u64 *)(r0 +0)
    exit
new:
    *(u64 *)(r10 -16) = 1
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r1 = map[counts] ll
    r4 = 1
    call bpf_map_update_elem
    exit
";

const ARRAY_ATOMICS: &str = "// type: socket_filter
map a: array key=4 value=16 max=4
    r6 = r1
    *(u32 *)(r10 -4) = 2
    r2 = r10
    r2 += -4
    r1 = map[a] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r7 = r0
    r1 = *(u32 *)(r6 +0)
    lock *(u64 *)(r7 +0) += r1
    r2 = 0xff
    r2 = atomic64_fetch_add((u64 *)(r7 +8), r2)
    r3 = 7
    r3 = atomic64_xchg((u64 *)(r7 +8), r3)
    r0 = r2
    r0 += r3
    r1 = 0xf0
    lock *(u32 *)(r7 +4) |= r1
    r1 = 0x3c
    lock *(u32 *)(r7 +4) ^= r1
    r1 = r0
    r0 = 7
    r0 = atomic64_cmpxchg((u64 *)(r7 +8), r0, r1)
    exit
out:
    r0 = 0
    exit
";

/// bpf_strtol/bpf_strtoul on a string on the stack (" -0x1fz"): bases 0 and 10, signed and
/// not, and a buffer length taken from the packet; returns and results into a map.
const STRTOX: &str = "// type: socket_filter
map res: array key=4 value=64 max=1
    r6 = r1
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[res] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r7 = r0
    r1 = 0x7a663178302d20 ll
    *(u64 *)(r10 -16) = r1
    r1 = r10
    r1 += -16
    r2 = 8
    r3 = 0
    r4 = r10
    r4 += -24
    call bpf_strtol
    *(u64 *)(r7 +0) = r0
    r1 = *(u64 *)(r10 -24)
    *(u64 *)(r7 +8) = r1
    r1 = r10
    r1 += -16
    r2 = 8
    r3 = 0
    r4 = r10
    r4 += -24
    call bpf_strtoul
    *(u64 *)(r7 +16) = r0
    r1 = *(u64 *)(r10 -24)
    *(u64 *)(r7 +24) = r1
    r1 = r10
    r1 += -16
    r2 = 8
    r3 = 10
    r4 = r10
    r4 += -24
    call bpf_strtol
    *(u64 *)(r7 +32) = r0
    r1 = 0x3837363534333231 ll
    *(u64 *)(r10 -16) = r1
    r2 = *(u32 *)(r6 +0)
    r2 &= 7
    r2 += 1
    r1 = r10
    r1 += -16
    r3 = 0
    r4 = r10
    r4 += -24
    call bpf_strtoul
    *(u64 *)(r7 +40) = r0
    r1 = *(u64 *)(r10 -24)
    *(u64 *)(r7 +48) = r1
    r0 = 1
out:
    exit
";

/// LD_ABS/LD_IND with the negative offsets of classic BPF: from SKF_LL_OFF (-0x200000) the
/// Ethernet header, from SKF_NET_OFF (-0x100000) the network header, a load that straddles
/// the two, and one past the end (the program then ends with 0).
const LD_NEGATIVE: &str = "// type: socket_filter
map res: array key=4 value=64 max=1
    r6 = r1
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[res] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r7 = r0
    r0 = *(u32 *)skb[-2097152]
    *(u64 *)(r7 +0) = r0
    r0 = *(u16 *)skb[-2097140]
    *(u64 *)(r7 +8) = r0
    r0 = *(u8 *)skb[-1048576]
    *(u64 *)(r7 +16) = r0
    r8 = 12
    r0 = *(u32 *)skb[r8 + -2097152]
    *(u64 *)(r7 +24) = r0
    r8 = 9
    r0 = *(u16 *)skb[r8 + -1048576]
    *(u64 *)(r7 +32) = r0
    r8 = *(u32 *)(r6 +0)
    r8 += 10
    r0 = *(u32 *)skb[r8 + -2097152]
    *(u64 *)(r7 +40) = r0
    r8 += 1
    r0 = *(u32 *)skb[r8 + -2097152]
    *(u64 *)(r7 +48) = r0
    r0 = 1
out:
    exit
";

const PERCPU: &str = "// type: socket_filter
map pa: percpu_array key=4 value=12 max=2
map ph: percpu_hash key=8 value=8 max=2
    r6 = r1
    *(u32 *)(r10 -4) = 1
    r2 = r10
    r2 += -4
    r1 = map[pa] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = *(u32 *)(r6 +0)
    r2 = *(u32 *)(r0 +8)
    r2 += r1
    *(u32 *)(r0 +8) = r2
    *(u64 *)(r10 -16) = 5
    r1 = *(u32 *)(r6 +0)
    *(u64 *)(r10 -24) = r1
    r2 = r10
    r2 += -24
    r3 = r10
    r3 += -16
    r1 = map[ph] ll
    r4 = 0
    call bpf_map_update_elem
    r0 += 100
out:
    exit
";

/// A small LRU map filled by keys derived from the packet, with lookups that set the
/// reference bit of some of them: the evicted keys must be the kernel's.
fn lru_source(max: u32, n: u32) -> String {
    lru_source_flags(max, n, 0)
}

/// [`lru_source`] with map flags (2: `BPF_F_NO_COMMON_LRU`, one LRU list per CPU).
fn lru_source_flags(max: u32, n: u32, flags: u32) -> String {
    format!(
        "// type: socket_filter
map l: lru_hash key=4 value=8 max={max} flags={flags}
    r6 = r1
    r7 = 0
    r8 = *(u32 *)(r6 +0)
loop:
    r1 = r8
    r1 *= 7
    r1 += r7
    r1 &= 63
    *(u32 *)(r10 -4) = r1
    *(u64 *)(r10 -16) = r7
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r1 = map[l] ll
    r4 = 0
    call bpf_map_update_elem
    r1 = r7
    r1 &= 3
    if r1 != 0 goto skip
    r1 = r8
    r1 *= 7
    r1 += r7
    r1 += -4
    r1 &= 63
    *(u32 *)(r10 -4) = r1
    r2 = r10
    r2 += -4
    r1 = map[l] ll
    call bpf_map_lookup_elem
skip:
    r7 += 1
    if r7 < {n} goto loop
    r0 = r7
    exit
"
    )
}

/// A queue or stack (`kind`) of 8-byte values, max 4: pushes past full (E2BIG), a push
/// with BPF_EXIST (overwrites the oldest), bad flags (EINVAL), pop and peek (into a result
/// array), on a map that stays full across the runs. Every helper's return code goes into
/// r9, 6 bits each.
fn queue_source(kind: &str) -> String {
    format!(
        "// type: socket_filter
map q: {kind} key=0 value=8 max=4
map res: array key=4 value=8 max=2
    r6 = r1
    r8 = *(u32 *)(r6 +0)
    r7 = 0
    r9 = 0
push:
    r1 = r8
    r1 *= 10
    r1 += r7
    *(u64 *)(r10 -8) = r1
    r1 = map[q] ll
    r2 = r10
    r2 += -8
    r3 = 0
    call bpf_map_push_elem
    r9 <<= 6
    r0 &= 63
    r9 |= r0
    r7 += 1
    if r7 < 5 goto push
    *(u64 *)(r10 -8) = 777
    r1 = map[q] ll
    r2 = r10
    r2 += -8
    r3 = 2
    call bpf_map_push_elem
    r9 <<= 6
    r0 &= 63
    r9 |= r0
    r1 = map[q] ll
    r2 = r10
    r2 += -8
    r3 = 1
    call bpf_map_push_elem
    r9 <<= 6
    r0 &= 63
    r9 |= r0
    r1 = map[q] ll
    r2 = r10
    r2 += -16
    call bpf_map_pop_elem
    r9 <<= 6
    r0 &= 63
    r9 |= r0
    r1 = map[q] ll
    r2 = r10
    r2 += -24
    call bpf_map_peek_elem
    r9 <<= 6
    r0 &= 63
    r9 |= r0
    *(u32 *)(r10 -4) = 0
    r1 = map[res] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = *(u64 *)(r10 -16)
    *(u64 *)(r0 +0) = r1
    *(u32 *)(r10 -4) = 1
    r1 = map[res] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = *(u64 *)(r10 -24)
    *(u64 *)(r0 +0) = r1
out:
    r0 = r9
    exit
"
    )
}

/// Pops a queue or stack until it is empty: the last pop's ENOENT zeroes the buffer.
fn drain_source(kind: &str) -> String {
    format!(
        "// type: socket_filter
map q: {kind} key=0 value=8 max=3
    r9 = 0
    r7 = 0
loop:
    *(u64 *)(r10 -8) = -1
    r1 = map[q] ll
    r2 = r10
    r2 += -8
    call bpf_map_pop_elem
    r1 = *(u64 *)(r10 -8)
    r9 += r1
    r9 += r0
    r7 += 1
    if r7 < 5 goto loop
    r0 = r9
    exit
"
    )
}

/// A bloom filter (BPF_F_ZERO_SEED, `extra` hash functions, `value` bytes, `max` entries):
/// 16 values from the packet length pushed, 64 absent ones peeked; returns the number of
/// (false-positive) hits after the EINVAL of a push with BPF_EXIST.
fn bloom_source(value: u32, max: u32, extra: u32) -> String {
    format!(
        "// type: socket_filter
map b: bloom_filter key=0 value={value} max={max} flags=64 extra={extra}
    r6 = r1
    r8 = *(u32 *)(r6 +0)
    *(u64 *)(r10 -16) = 0
    *(u64 *)(r10 -8) = 0
    r1 = map[b] ll
    r2 = r10
    r2 += -16
    r3 = 2
    call bpf_map_push_elem
    r9 = r0
    r7 = 0
push:
    r1 = r8
    r1 += r7
    *(u32 *)(r10 -16) = r1
    r1 = map[b] ll
    r2 = r10
    r2 += -16
    r3 = 0
    call bpf_map_push_elem
    r7 += 1
    if r7 < 16 goto push
    r7 = 0
peek:
    r1 = r7
    r1 += 1000
    *(u32 *)(r10 -16) = r1
    r1 = map[b] ll
    r2 = r10
    r2 += -16
    call bpf_map_peek_elem
    if r0 != 0 goto miss
    r9 += 1
miss:
    r7 += 1
    if r7 < 64 goto peek
    r0 = r9
    exit
"
    )
}

/// An LPM trie (key 4-byte prefixlen + 4 data bytes, `max` entries): 12 prefixes made from
/// the packet length inserted (ENOSPC once full), a /32 lookup after each insertion whose
/// value is read and then incremented through the pointer, and every other prefix deleted
/// again; the return codes and values found are summed.
fn lpm_source(max: u32) -> String {
    let key = "    r1 = r8
    r1 *= 0x1e3779b1
    r2 = r7
    r2 *= 0x01000193
    r1 += r2
    r1 <<= 32
    r1 >>= 32
    *(u32 *)(r10 -4) = r1
    r1 >>= 24
    r1 &= 31
    r1 += 1
    *(u32 *)(r10 -8) = r1
";
    format!(
        "// type: socket_filter
map t: lpm_trie key=8 value=8 max={max} flags=1
    r6 = r1
    r8 = *(u32 *)(r6 +0)
    r7 = 0
    r9 = 0
ins:
{key}    *(u64 *)(r10 -16) = r7
    r1 = map[t] ll
    r2 = r10
    r2 += -8
    r3 = r10
    r3 += -16
    r4 = 0
    call bpf_map_update_elem
    r9 += r0
    *(u32 *)(r10 -8) = 32
    r1 = *(u32 *)(r10 -4)
    r1 ^= 0x100
    *(u32 *)(r10 -4) = r1
    r1 = map[t] ll
    r2 = r10
    r2 += -8
    call bpf_map_lookup_elem
    if r0 == 0 goto nf
    r1 = *(u64 *)(r0 +0)
    r9 += r1
    r1 += 100
    *(u64 *)(r0 +0) = r1
nf:
    r7 += 1
    if r7 < 12 goto ins
    r7 = 0
del:
{key}    r1 = map[t] ll
    r2 = r10
    r2 += -8
    call bpf_map_delete_elem
    r9 += r0
    r7 += 2
    if r7 < 12 goto del
    r0 = r9
    exit
"
    )
}

const FLAGS_AND_ERRORS: &str = "// type: socket_filter
map h: hash key=4 value=8 max=2
map res: array key=4 value=8 max=8
    r6 = r1
    r7 = 0
    r8 = *(u32 *)(r6 +0)
loop:
    r1 = r8
    r1 += r7
    r1 &= 3
    *(u32 *)(r10 -4) = r1
    *(u64 *)(r10 -16) = r7
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r1 = map[h] ll
    r4 = r7
    r4 %= 4
    call bpf_map_update_elem
    *(u32 *)(r10 -8) = r7
    *(u64 *)(r10 -24) = r0
    r2 = r10
    r2 += -8
    r3 = r10
    r3 += -24
    r1 = map[res] ll
    r4 = 0
    call bpf_map_update_elem
    r7 += 1
    if r7 < 8 goto loop
    *(u32 *)(r10 -4) = 1
    r2 = r10
    r2 += -4
    r1 = map[h] ll
    call bpf_map_delete_elem
    r7 = r0
    r2 = r10
    r2 += -4
    r1 = map[res] ll
    call bpf_map_delete_elem
    r0 <<= 8
    r0 |= r7
    exit
";

const SKB_BYTES: &str = "// type: socket_filter
map res: array key=4 value=16 max=4
    r6 = r1
    r0 = *(u16 *)skb[2]
    r7 = r0
    r8 = 5
    r0 = *(u8 *)skb[r8 + 1]
    r7 <<= 8
    r7 |= r0
    r1 = r6
    r2 = 3
    r3 = r10
    r3 += -16
    r4 = 16
    call bpf_skb_load_bytes
    r9 = r0
    *(u32 *)(r10 -20) = 0
    r2 = r10
    r2 += -20
    r3 = r10
    r3 += -16
    r1 = map[res] ll
    r4 = 0
    call bpf_map_update_elem
    r1 = r6
    r2 = 40
    r3 = r10
    r3 += -16
    r4 = 16
    call bpf_skb_load_bytes
    r9 <<= 8
    r9 ^= r0
    *(u32 *)(r10 -20) = 1
    r2 = r10
    r2 += -20
    r3 = r10
    r3 += -16
    r1 = map[res] ll
    r4 = 0
    call bpf_map_update_elem
    r0 = *(u32 *)(r6 +4)
    r0 <<= 16
    r1 = *(u32 *)(r6 +16)
    r0 ^= r1
    r0 ^= r7
    r0 += r9
    r8 = r0
    r0 = *(u32 *)skb[40]
    r0 += r8
    exit
";

/// bpf_xdp_adjust_meta: room for 8 bytes of metadata, written and read back through
/// data_meta, then offsets the kernel refuses (not a multiple of 4: EACCES; past data: EINVAL;
/// more than 32 bytes: EACCES); the return codes go to a map.
const XDP_META: &str = "// type: xdp
map res: array key=4 value=32 max=1
    r6 = r1
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[res] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r7 = r0
    r1 = r6
    r2 = -8
    call bpf_xdp_adjust_meta
    *(u32 *)(r7 +0) = r0
    r2 = *(u32 *)(r6 +8)
    r3 = *(u32 *)(r6 +0)
    r4 = r2
    r4 += 8
    if r4 > r3 goto skip
    *(u64 *)(r2 +0) = 0x1234
    r1 = *(u32 *)(r2 +0)
    *(u32 *)(r7 +4) = r1
skip:
    r1 = r6
    r2 = -3
    call bpf_xdp_adjust_meta
    *(u32 *)(r7 +8) = r0
    r1 = r6
    r2 = 16
    call bpf_xdp_adjust_meta
    *(u32 *)(r7 +12) = r0
    r1 = r6
    r2 = -28
    call bpf_xdp_adjust_meta
    *(u32 *)(r7 +16) = r0
    r1 = r6
    r2 = 8
    call bpf_xdp_adjust_meta
    *(u32 *)(r7 +20) = r0
    r0 = 2
    exit
out:
    r0 = 1
    exit
";

/// bpf_fib_lookup's checks before a route is looked up: too short a parameter block and
/// unknown flags (EINVAL), an address family that is neither IPv4 nor IPv6 (EAFNOSUPPORT).
const XDP_FIB_ERRORS: &str = "// type: xdp
map res: array key=4 value=16 max=1
    r6 = r1
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[res] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r7 = r0
    r1 = 0
    *(u64 *)(r10 -72) = r1
    *(u64 *)(r10 -64) = r1
    *(u64 *)(r10 -56) = r1
    *(u64 *)(r10 -48) = r1
    *(u64 *)(r10 -40) = r1
    *(u64 *)(r10 -32) = r1
    *(u64 *)(r10 -24) = r1
    *(u64 *)(r10 -16) = r1
    r1 = r6
    r2 = r10
    r2 += -72
    r3 = 64
    r4 = 0
    call bpf_fib_lookup
    *(u32 *)(r7 +0) = r0
    r1 = r6
    r2 = r10
    r2 += -72
    r3 = 8
    r4 = 0
    call bpf_fib_lookup
    *(u32 *)(r7 +4) = r0
    r1 = r6
    r2 = r10
    r2 += -72
    r3 = 64
    r4 = 64
    call bpf_fib_lookup
    *(u32 *)(r7 +8) = r0
out:
    r0 = 2
    exit
";

const XDP_REWRITE: &str = "// type: xdp
map seen: hash key=4 value=8 max=8
    r6 = r1
    r2 = *(u32 *)(r6 +0)
    r3 = *(u32 *)(r6 +4)
    r4 = r2
    r4 += 18
    if r4 > r3 goto out
    r1 = *(u32 *)(r2 +14)
    *(u32 *)(r10 -4) = r1
    r1 = *(u8 *)(r2 +0)
    r1 += 1
    *(u8 *)(r2 +0) = r1
    r1 = *(u16 *)(r2 +16)
    *(u64 *)(r10 -16) = r1
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r1 = map[seen] ll
    r4 = 0
    call bpf_map_update_elem
    r1 = r6
    r2 = 4
    call bpf_xdp_adjust_head
    if r0 != 0 goto out
    r1 = r6
    r2 = -10
    call bpf_xdp_adjust_head
    r2 = *(u32 *)(r6 +0)
    r3 = *(u32 *)(r6 +4)
    r4 = r2
    r4 += 8
    if r4 > r3 goto out
    *(u64 *)(r2 +0) = 0x5a5a
    r0 = 2
    exit
out:
    r0 = 1
    exit
";

const XDP_REDIRECT: &str = "// type: xdp
    r2 = *(u32 *)(r1 +0)
    r3 = *(u32 *)(r1 +4)
    r3 -= r2
    r1 = 3
    r2 = 0
    if r3 > 30 goto go
    r2 = 1
go:
    call bpf_redirect
    exit
";

const RINGBUF: &str = "// type: socket_filter
map rb: ringbuf key=0 value=0 max=4096
    r6 = r1
    r7 = *(u32 *)(r6 +0)
    r1 = map[rb] ll
    r2 = 24
    r3 = 0
    call bpf_ringbuf_reserve
    if r0 == 0 goto skip
    *(u64 *)(r0 +0) = r7
    r1 = 0x1122334455667788 ll
    *(u64 *)(r0 +8) = r1
    *(u64 *)(r0 +16) = 0
    r1 = r0
    r2 = 0
    r3 = r7
    r3 &= 1
    if r3 == 0 goto submit
    call bpf_ringbuf_discard
    goto skip
submit:
    call bpf_ringbuf_submit
skip:
    *(u32 *)(r10 -4) = r7
    r1 = map[rb] ll
    r2 = r10
    r2 += -4
    r3 = 4
    r4 = 0
    call bpf_ringbuf_output
    r7 = r0
    r1 = map[rb] ll
    r2 = 0
    call bpf_ringbuf_query
    r0 <<= 8
    r0 += r7
    exit
";

const PRINTK: &str = "// type: socket_filter
    r6 = r1
    r1 = 0x0a7825206425 ll
    *(u64 *)(r10 -8) = r1
    r1 = r10
    r1 += -8
    r2 = 7
    r3 = *(u32 *)(r6 +0)
    r4 = -1
    call bpf_trace_printk
    r7 = r0
    r1 = 0x6425206425206425 ll
    *(u64 *)(r10 -16) = r1
    r1 = 0x642520 ll
    *(u64 *)(r10 -8) = r1
    r1 = r10
    r1 += -16
    r2 = 16
    r3 = 1
    r4 = 2
    r5 = 3
    call bpf_trace_printk
    r0 <<= 16
    r0 += r7
    exit
";

const TAIL_MAIN: &str = "// type: socket_filter
map progs: prog_array key=4 value=4 max=4
map hits: array key=4 value=8 max=4
    r6 = r1
    *(u32 *)(r6 +48) = 0
    r1 = r6
    r2 = map[progs] ll
    r3 = 1
    call bpf_tail_call
    r0 = 0x77
    exit
";

const TAIL_TARGET: &str = "// type: socket_filter
map progs: prog_array key=4 value=4 max=4
map hits: array key=4 value=8 max=4
    r6 = r1
    r7 = *(u32 *)(r6 +48)
    r7 += 1
    *(u32 *)(r6 +48) = r7
    *(u32 *)(r10 -4) = 1
    r2 = r10
    r2 += -4
    r1 = map[hits] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
out:
    r1 = r6
    r2 = map[progs] ll
    r3 = 1
    r4 = r7
    r4 &= 7
    if r4 != 5 goto call
    r3 = 2
call:
    call bpf_tail_call
    r0 = *(u32 *)(r6 +48)
    exit
";

// ---- Random programs. ----

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

/// A random program that computes on packet-derived values in r7..r9 and writes maps of
/// every kind bpfplay models (array, hash, percpu_array, percpu_hash, lru_hash), with
/// forward branches, 32- and 64-bit ALU (divisions by registers that may be zero),
/// sign-extending moves, byte swaps, atomics on map values, deletes, and helper results
/// folded into the return value.
fn random_program(seed: u64, xdp: bool) -> String {
    let mut g = Rng(seed);
    let mut s = String::new();
    let _ = writeln!(s, "// type: {}", if xdp { "xdp" } else { "socket_filter" });
    s.push_str(
        "map arr: array key=4 value=8 max=8
map h: hash key=4 value=8 max=5
map pa: percpu_array key=4 value=8 max=4
map ph: percpu_hash key=4 value=8 max=3
map l: lru_hash key=4 value=8 max=4
",
    );
    s.push_str("    r6 = r1\n");
    if xdp {
        s.push_str("    r2 = *(u32 *)(r6 +0)\n    r3 = *(u32 *)(r6 +4)\n    r4 = r2\n    r4 += 20\n    if r4 > r3 goto bail\n");
        let _ = writeln!(s, "    r7 = *(u32 *)(r2 +{})", g.below(4) * 4);
        let _ = writeln!(s, "    r8 = *(u64 *)(r2 +{})", g.below(3) * 4);
        let _ = writeln!(s, "    r9 = *(u16 *)(r2 +{})", g.below(9) * 2);
        s.push_str(
            "    r1 = *(u32 *)(r6 +4)\n    r2 = *(u32 *)(r6 +0)\n    r1 -= r2\n    r9 ^= r1\n",
        );
    } else {
        let _ = writeln!(s, "    r0 = *(u32 *)skb[{}]", g.below(4) * 2);
        s.push_str("    r7 = r0\n");
        let _ = writeln!(s, "    r0 = *(u16 *)skb[{}]", g.below(5));
        s.push_str("    r8 = r0\n    r9 = *(u32 *)(r6 +0)\n");
        let _ = writeln!(s, "    r1 = {}\n    r0 = *(u8 *)skb[r1 + 1]\n    r9 ^= r0", g.below(4));
    }
    let regs = ["r7", "r8", "r9"];
    let maps = ["arr", "h", "pa", "ph", "l"];
    let alu64 =
        ["+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "<<=", ">>=", "s>>=", "s/=", "s%="];
    let nblocks = 4 + g.below(8);
    for label in 0..nblocks {
        let skip = g.below(4) == 0;
        if skip {
            let (a, b) = (g.pick(&regs), g.pick(&regs));
            let cond = g.pick(&["==", "!=", ">", "<", ">=", "s<", "s>", "&"]);
            let w = if g.below(3) == 0 { "w" } else { "r" };
            let _ = writeln!(s, "    if {}{} {cond} {}{} goto l{label}", w, &a[1..], w, &b[1..]);
        }
        match g.below(10) {
            0..=3 => {
                for _ in 0..1 + g.below(4) {
                    let d = g.pick(&regs);
                    let op = g.pick(&alu64);
                    let wide = g.below(3) != 0;
                    let (dn, sn) =
                        (if wide { d.to_string() } else { format!("w{}", &d[1..]) }, g.pick(&regs));
                    let src = if g.below(2) == 0 {
                        if wide {
                            sn.to_string()
                        } else {
                            format!("w{}", &sn[1..])
                        }
                    } else if op.contains("<<") || op.contains(">>") {
                        g.below(if wide { 64 } else { 32 }).to_string()
                    } else {
                        let c = [1i64, 3, 7, 0xff, -1, -8, 0x7fff_ffff, 13, 1 << 20];
                        g.pick(&c).to_string()
                    };
                    let op =
                        if !wide && (op.starts_with('s') && *op != "s>>=") { "+=" } else { *op };
                    let _ = writeln!(s, "    {dn} {op} {src}");
                }
            }
            4 => {
                let d = g.pick(&regs);
                let f = *g.pick(&["be16", "be32", "be64", "le16", "le32", "bswap16", "bswap64"]);
                let _ = writeln!(s, "    {d} = {f} {d}");
                let (d2, s2) = (g.pick(&regs), g.pick(&regs));
                let bits = g.pick(&["s8", "s16", "s32"]);
                let _ = writeln!(s, "    {d2} = ({bits}){s2}");
                let d3 = g.pick(&regs);
                let _ = writeln!(s, "    {d3} = -{d3}");
            }
            5..=7 => {
                // Update: key from a register, value from another, random flags.
                let m = g.pick(&maps);
                let (k, v) = (g.pick(&regs), g.pick(&regs));
                let mask = if *m == "arr" { 7 } else { 7 + 8 * g.below(2) };
                let flags = g.pick(&[0, 0, 0, 1, 2, 3]);
                let _ = writeln!(
                    s,
                    "    r1 = {k}\n    r1 &= {mask}\n    *(u32 *)(r10 -4) = r1\n    *(u64 *)(r10 -16) = {v}\n    r2 = r10\n    r2 += -4\n    r3 = r10\n    r3 += -16\n    r1 = map[{m}] ll\n    r4 = {flags}\n    call bpf_map_update_elem\n    r9 += r0"
                );
            }
            8 => {
                // Lookup and modify in place (plain store or atomic add), or fold the value in.
                let m = g.pick(&maps);
                let k = g.pick(&regs);
                let v = g.pick(&regs);
                let _ = writeln!(s, "    r1 = {k}\n    r1 &= 7\n    *(u32 *)(r10 -4) = r1\n    r2 = r10\n    r2 += -4\n    r1 = map[{m}] ll\n    call bpf_map_lookup_elem\n    if r0 == 0 goto m{label}");
                match g.below(3) {
                    0 => {
                        let _ = writeln!(s, "    lock *(u64 *)(r0 +0) += {v}");
                    }
                    1 => {
                        let _ = writeln!(s, "    *(u32 *)(r0 +4) = w{}", &v[1..]);
                    }
                    _ => {
                        let _ = writeln!(s, "    r1 = *(u64 *)(r0 +0)\n    {v} ^= r1");
                    }
                }
                let _ = writeln!(s, "m{label}:");
            }
            _ => {
                let m = g.pick(&["h", "ph", "l", "arr"]);
                let k = g.pick(&regs);
                let _ = writeln!(s, "    r1 = {k}\n    r1 &= 7\n    *(u32 *)(r10 -4) = r1\n    r2 = r10\n    r2 += -4\n    r1 = map[{m}] ll\n    call bpf_map_delete_elem\n    r8 += r0");
            }
        }
        if skip {
            let _ = writeln!(s, "l{label}:");
        }
    }
    s.push_str("    r0 = r7\n    r0 ^= r8\n    r0 += r9\n    exit\n");
    if xdp {
        s.push_str("bail:\n    r0 = 2\n    exit\n");
    }
    s
}

#[test]
fn programs_agree_with_the_kernel() {
    if !kernel::require("run_diff")
        || !kernel::require_that(
            "run_diff",
            pin_cpu0().map_err(|e| format!("cannot run on CPU 0 only: {e}")),
        )
    {
        return;
    }
    let tail = (0..3).map(|_| TAIL_TARGET.to_string());
    let hand: Vec<Diff> = vec![
        Diff {
            name: "count_by_len",
            sources: vec![COUNT_BY_LEN.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "count_by_len_prefilled",
            sources: vec![COUNT_BY_LEN.into()],
            prefill: vec![
                (0, 50u32.to_le_bytes().to_vec(), 40u64.to_le_bytes().to_vec()),
                (0, 9u32.to_le_bytes().to_vec(), 1u64.to_le_bytes().to_vec()),
            ],
            tail_map: None,
        },
        Diff {
            name: "array_atomics",
            sources: vec![ARRAY_ATOMICS.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff { name: "percpu", sources: vec![PERCPU.into()], prefill: vec![], tail_map: None },
        Diff { name: "strtox", sources: vec![STRTOX.into()], prefill: vec![], tail_map: None },
        Diff {
            name: "ld_negative",
            sources: vec![LD_NEGATIVE.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_4_40",
            sources: vec![lru_source(4, 40)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_8_30",
            sources: vec![lru_source(8, 30)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_16_64",
            sources: vec![lru_source(16, 64)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_3_20",
            sources: vec![lru_source(3, 20)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_percpu_lists_8_30",
            sources: vec![lru_source_flags(8, 30, 2)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_percpu_lists_5_40",
            sources: vec![lru_source_flags(5, 40, 2)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_percpu_hash_8_30",
            sources: vec![lru_source(8, 30).replace("lru_hash", "lru_percpu_hash")],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_percpu_hash_lists_5_40",
            sources: vec![lru_source_flags(5, 40, 2).replace("lru_hash", "lru_percpu_hash")],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "lru_percpu_hash_prefilled",
            sources: vec![lru_source(4, 12).replace("lru_hash", "lru_percpu_hash")],
            prefill: (0..3u32)
                .map(|i| {
                    let key = (i * 7).to_le_bytes().to_vec();
                    let vals: Vec<u8> = (0..possible_cpus() as u64)
                        .flat_map(|c| (c * 1000 + i as u64).to_le_bytes())
                        .collect();
                    (0, key, vals)
                })
                .collect(),
            tail_map: None,
        },
        Diff {
            name: "queue",
            sources: vec![queue_source("queue")],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "stack",
            sources: vec![queue_source("stack")],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "queue_drain",
            sources: vec![drain_source("queue")],
            prefill: vec![
                (0, vec![], 5u64.to_le_bytes().to_vec()),
                (0, vec![], 6u64.to_le_bytes().to_vec()),
            ],
            tail_map: None,
        },
        Diff {
            name: "stack_drain",
            sources: vec![drain_source("stack")],
            prefill: vec![
                (0, vec![], 5u64.to_le_bytes().to_vec()),
                (0, vec![], 6u64.to_le_bytes().to_vec()),
            ],
            tail_map: None,
        },
        Diff {
            name: "bloom_4_4_1",
            sources: vec![bloom_source(4, 4, 1)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "bloom_13_10_3",
            sources: vec![bloom_source(13, 10, 3)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "bloom_6_20_0",
            sources: vec![bloom_source(6, 20, 0)],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "bloom_16_3_2_prefilled",
            sources: vec![bloom_source(16, 3, 2)],
            prefill: (0..20u32).map(|i| (0, vec![], bloom_probe(i * 3, 16))).collect(),
            tail_map: None,
        },
        Diff { name: "lpm_6", sources: vec![lpm_source(6)], prefill: vec![], tail_map: None },
        Diff { name: "lpm_64", sources: vec![lpm_source(64)], prefill: vec![], tail_map: None },
        Diff {
            name: "hash_no_prealloc",
            sources: vec![COUNT_BY_LEN.replace("max=3", "max=3 flags=1")],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "flags_and_errors",
            sources: vec![FLAGS_AND_ERRORS.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "skb_bytes",
            sources: vec![SKB_BYTES.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff { name: "xdp_meta", sources: vec![XDP_META.into()], prefill: vec![], tail_map: None },
        Diff {
            name: "xdp_fib_errors",
            sources: vec![XDP_FIB_ERRORS.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "xdp_rewrite",
            sources: vec![XDP_REWRITE.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "xdp_redirect",
            sources: vec![XDP_REDIRECT.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff { name: "ringbuf", sources: vec![RINGBUF.into()], prefill: vec![], tail_map: None },
        Diff {
            name: "printk_retvals",
            sources: vec![PRINTK.into()],
            prefill: vec![],
            tail_map: None,
        },
        Diff {
            name: "tail_calls",
            sources: std::iter::once(TAIL_MAIN.to_string()).chain(tail).collect(),
            prefill: vec![],
            tail_map: Some(0),
        },
    ];
    let (mut agree, mut rejected, mut differ, mut entries) = (0, 0, Vec::new(), 0);
    for d in &hand {
        match run_diff(d) {
            Outcome::Agree(n) => {
                agree += 1;
                entries += n;
            }
            Outcome::KernelRejected(why) => {
                rejected += 1;
                println!("run_diff: {}: the kernel refused it: {why}", d.name);
            }
            Outcome::Differ(why) => differ.push(format!("{}: {why}", d.name)),
        }
    }
    println!("run_diff: hand-written programs: {agree}/{} agree ({rejected} refused by the kernel; {entries} map entries compared)", hand.len());
    let n: u64 = std::env::var("RUN_DIFF_RANDOM").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let (mut ragree, mut rrejected, mut rentries) = (0, 0, 0);
    for seed in 0..n {
        let xdp = seed % 3 == 2;
        let src = random_program(seed, xdp);
        let d =
            Diff { name: "random", sources: vec![src.clone()], prefill: vec![], tail_map: None };
        match run_diff(&d) {
            Outcome::Agree(n) => {
                ragree += 1;
                rentries += n;
            }
            Outcome::KernelRejected(why) => {
                rrejected += 1;
                if rrejected <= 3 {
                    println!("run_diff: random seed {seed} refused by the kernel: {why}");
                }
            }
            Outcome::Differ(why) => differ.push(format!("random seed {seed}: {why}\n{src}")),
        }
    }
    println!(
        "run_diff: random programs: {ragree}/{} agree, {rrejected} refused by the kernel, {} differ ({rentries} map entries compared; 4 runs each)",
        n - rrejected,
        differ.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
    assert_eq!(rejected, 0, "a hand-written program was refused by the kernel");
}

// ---------------------------------------------------------------------------------------
// 3. Maps of maps (their values are maps: the Diff machinery creates plain maps only).

/// Looks up through an array_of_maps (a filled and an empty slot) and a hash_of_maps, adds 1
/// to an inner map's value and returns a sum of what it read.
const MAP_IN_MAP: &str = "
map outer: array_of_maps max=2 inner=tmpl
map houter: hash_of_maps key=4 max=4 inner=tmpl
map tmpl: array key=4 value=8 max=2
    r6 = 0
    *(u32 *)(r10 -4) = 0
    r2 = r10
    r2 += -4
    r1 = map[outer] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto none0
    r1 = r0
    *(u32 *)(r10 -4) = 1
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto none0
    r1 = *(u64 *)(r0 +0)
    r1 += 1
    *(u64 *)(r0 +0) = r1
    r6 += r1
none0:
    *(u32 *)(r10 -4) = 1
    r2 = r10
    r2 += -4
    r1 = map[outer] ll
    call bpf_map_lookup_elem
    if r0 != 0 goto has1
    r6 += 1000
has1:
    *(u32 *)(r10 -4) = 9
    r2 = r10
    r2 += -4
    r1 = map[houter] ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = r0
    *(u32 *)(r10 -4) = 1
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = *(u64 *)(r0 +0)
    r1 *= 100
    r6 += r1
out:
    r0 = r6
    exit
";

#[test]
fn maps_of_maps_agree_with_the_kernel() {
    use bpfplay_core::program::from_source;
    use bpfplay_core::verifier::{verify, Options};
    use bpfplay_tests::kernel::{fd_map_update, map_create, map_create_of_maps};
    if !kernel::require("maps_of_maps_agree_with_the_kernel") {
        return;
    }
    let l = from_source(MAP_IN_MAP, &[]).unwrap();
    let names: Vec<&str> = l.maps.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["outer", "houter", "tmpl"], "the program's maps");
    let v = verify(&l.raw, &l.maps, &Options::default());
    assert!(v.accepted, "bpfplay refuses it: {:?}", v.error);

    // Kernel: two inner arrays, the first also the template; outer[0] = the second,
    // houter[9] = the first.
    let k = |x: u64| x.to_le_bytes().to_vec();
    let inner0 = map_create(MapKind::Array, 4, 8, 2, 0).unwrap();
    let inner1 = map_create(MapKind::Array, 4, 8, 2, 0).unwrap();
    inner0.update(&1u32.to_le_bytes(), &k(5), 0).unwrap();
    inner1.update(&1u32.to_le_bytes(), &k(7), 0).unwrap();
    let outer = map_create_of_maps(12, 4, 4, 2, &inner0, "outer").unwrap();
    let houter = map_create_of_maps(13, 4, 4, 4, &inner0, "houter").unwrap();
    fd_map_update(&outer, &0u32.to_le_bytes(), &(inner1.fd.raw() as u32).to_le_bytes(), 0).unwrap();
    fd_map_update(&houter, &9u32.to_le_bytes(), &(inner0.fd.raw() as u32).to_le_bytes(), 0)
        .unwrap();
    let r = prog_load(ProgType::SocketFilter, &l.raw, 1, &[&outer, &houter, &inner0.fd]);
    let fd = r.fd.unwrap_or_else(|| panic!("the kernel refuses it: {}", r.log));
    let (kret, _) = prog_test_run(&fd, &test_packet(), 1).unwrap();

    // bpfplay: the program's maps (the template, number 2, is inner0), then inner1 (3).
    let tmpl = l.maps[0].inner.as_deref().unwrap().clone();
    let mut defs = l.maps.clone();
    defs.push(MapDef { name: "inner1".into(), ..tmpl });
    let mut store = MapStore::from_defs(&defs, possible_cpus()).unwrap();
    store.update(2, &1u32.to_le_bytes(), &k(5), 0).unwrap();
    store.update(3, &1u32.to_le_bytes(), &k(7), 0).unwrap();
    store.update(0, &0u32.to_le_bytes(), &3u32.to_le_bytes(), 0).unwrap();
    store.update(1, &9u32.to_le_bytes(), &2u32.to_le_bytes(), 0).unwrap();
    let prog = decode(&l.raw).unwrap();
    let input = Input::packet(test_packet());
    let o =
        run_programs(&[prog], &mut store, CoreType::SocketFilter, &input, &World::default(), 1000)
            .unwrap();
    assert_eq!(o.error, None);
    assert_eq!(o.retval, kret, "return values: bpfplay {}, kernel {kret}", o.retval);
    assert_eq!(kret, 8 + 1000 + 500, "the kernel's own answer changed");
    for (i, m) in [(2, &inner0), (3, &inner1)] {
        let want = m.lookup(&1u32.to_le_bytes()).unwrap().unwrap();
        assert_eq!(store.lookup(i, &1u32.to_le_bytes()).unwrap(), want, "inner map {i}");
    }

    // Creation and update rules, errno for errno.
    let errno = |r: Result<kernel::Fd, kernel::Errno>| r.err().map(|e| e.0);
    let prog_array = map_create(MapKind::ProgArray, 4, 4, 2, 0).unwrap();
    let cases: [(&str, u32, u32, Option<i32>); 4] = [
        ("value=8", 12, 8, errno(map_create_of_maps(12, 4, 8, 2, &inner0, ""))),
        ("hash value=8", 13, 8, errno(map_create_of_maps(13, 4, 8, 2, &inner0, ""))),
        ("inner map of maps", 12, 4, errno(map_create_of_maps(12, 4, 4, 2, &outer, ""))),
        ("inner prog_array", 12, 4, errno(map_create_of_maps(12, 4, 4, 2, &prog_array, ""))),
    ];
    for (what, kind, value, kernel_errno) in cases {
        let kind = if kind == 12 { CoreKind::ArrayOfMaps } else { CoreKind::HashOfMaps };
        let inner = match what {
            "inner map of maps" => l.maps[0].clone(),
            "inner prog_array" => MapDef::new("p", CoreKind::ProgArray, 4, 4, 2),
            _ => defs[2].clone(),
        };
        let d = MapDef { inner: Some(Box::new(inner)), ..MapDef::new("o", kind, 4, value, 2) };
        let ours = d.check().err().map(|e| e.error.errno());
        assert_eq!(ours, kernel_errno, "{what}: bpfplay {ours:?}, kernel {kernel_errno:?}");
        assert!(kernel_errno.is_some(), "{what}: the kernel accepts it");
    }
    // An inner map of another size does not fit (EINVAL); a map that does not exist (EBADF).
    let other = map_create(MapKind::Array, 4, 16, 2, 0).unwrap();
    let kr = fd_map_update(&outer, &1u32.to_le_bytes(), &(other.fd.raw() as u32).to_le_bytes(), 0);
    let mut defs2 = defs.clone();
    defs2.push(MapDef::new("other", CoreKind::Array, 4, 16, 2));
    let mut store2 = MapStore::from_defs(&defs2, 1).unwrap();
    let or = store2.update(0, &1u32.to_le_bytes(), &4u32.to_le_bytes(), 0);
    assert_eq!(kr.err().map(|e| e.0), or.err().map(|e| e.errno()), "mismatched inner map");
    assert_eq!(
        store2.update(0, &1u32.to_le_bytes(), &99u32.to_le_bytes(), 0),
        Err(bpfplay_core::maps::MapError::BadF)
    );
}

// 3. Map creation: BPF_MAP_CREATE's errno against `MapDef::check` for a table of good and
//    bad definitions (sizes, flags, map_extra), the checks' order included.

#[test]
fn map_creation_matches_the_kernel() {
    if !kernel::require("map creation") {
        return;
    }
    use bpfplay_core::maps::flags as f;
    const NP: u32 = f::NO_PREALLOC;
    const BIG: u32 = (4 << 20) + 1;
    // (kind, key, value, max, flags, map_extra)
    let table: &[(&str, u32, u32, u32, u32, u64)] = &[
        ("hash", 4, 8, 4, 0, 1),
        ("array", 4, 8, 4, 0, 5),
        ("hash", 4, 8, 4, f::MMAPABLE, 1),
        ("percpu_hash", 4, 8, 4, f::NUMA_NODE, 0),
        ("hash", 4, 8, 4, f::NUMA_NODE, 0),
        ("lru_hash", 4, 8, 4, f::NUMA_NODE | f::NO_COMMON_LRU, 0),
        ("lru_percpu_hash", 4, 8, 4, 0, 0),
        ("lru_percpu_hash", 4, 8, 4, NP, 0),
        ("lru_percpu_hash", 4, 8, 4, f::NO_COMMON_LRU, 0),
        ("lru_percpu_hash", 4, 8, 3, f::NO_COMMON_LRU, 0),
        ("lru_percpu_hash", 4, 32768, 1, 0, 0),
        ("lru_percpu_hash", 4, 32769, 1, 0, 0),
        ("lru_percpu_hash", 0, 8, 1, 0, 0),
        ("lru_percpu_hash", 4, 0, 1, 0, 0),
        ("lru_percpu_hash", 4, 8, 0, 0, 0),
        ("lru_percpu_hash", 4, 8, 1, f::ZERO_SEED, 0),
        ("lru_percpu_hash", 4, 8, 1, f::MMAPABLE, 0),
        ("lru_percpu_hash", 4, 8, 1, f::NUMA_NODE, 0),
        ("lru_percpu_hash", 4, 8, 1, f::RDONLY_PROG | f::WRONLY_PROG, 0),
        ("lru_percpu_hash", 4, 8, 1, 0, 3),
        ("lpm_trie", 8, 8, 1, NP, 0),
        ("lpm_trie", 8, 8, 1, 0, 0),
        ("lpm_trie", 5, 1, 1, NP, 0),
        ("lpm_trie", 4, 8, 1, NP, 0),
        ("lpm_trie", 260, 8, 1, NP, 0),
        ("lpm_trie", 261, 8, 1, NP, 0),
        ("lpm_trie", 8, 0, 1, NP, 0),
        ("lpm_trie", 8, 8, 0, NP, 0),
        ("lpm_trie", 8, (4 << 20) - 280, 1, NP, 0),
        ("lpm_trie", 8, (4 << 20) - 279, 1, NP, 0),
        ("lpm_trie", 8, 8, 1, NP | f::ZERO_SEED, 0),
        ("lpm_trie", 8, 8, 1, NP | f::RDONLY, 0),
        ("lpm_trie", 8, 8, 1, NP | f::WRONLY_PROG, 0),
        ("lpm_trie", 8, 8, 1, NP | f::MMAPABLE, 0),
        ("lpm_trie", 8, 8, 1, NP | f::NUMA_NODE, 0),
        ("lpm_trie", 8, 8, 1, NP | f::RDONLY | f::WRONLY, 0),
        ("lpm_trie", 8, 8, u32::MAX, NP, 0),
        ("lpm_trie", 8, 8, 1, NP, 1),
        ("queue", 0, 8, 1, 0, 0),
        ("stack", 0, 8, 1, 0, 0),
        ("queue", 4, 8, 1, 0, 0),
        ("stack", 0, 0, 1, 0, 0),
        ("queue", 0, 8, 0, 0, 0),
        ("queue", 0, BIG, 1, 0, 0),
        ("stack", 0, 4 << 20, 1, 0, 0),
        ("queue", 4, BIG, 1, 0, 0),
        ("queue", 0, 8, 1, NP, 0),
        ("stack", 0, 8, 1, f::ZERO_SEED, 0),
        ("queue", 0, 8, 1, f::RDONLY_PROG, 0),
        ("stack", 0, 8, 1, f::WRONLY, 0),
        ("queue", 0, 8, 1, f::NUMA_NODE, 0),
        ("stack", 0, 8, 1, f::RDONLY_PROG | f::WRONLY_PROG, 0),
        ("queue", 0, 8, 1, 0, 2),
        ("bloom_filter", 0, 8, 1, 0, 0),
        ("bloom_filter", 0, 8, 1, 0, 5),
        ("bloom_filter", 0, 8, 1, 0, 15),
        ("bloom_filter", 0, 8, 1, 0, 16),
        ("bloom_filter", 0, 8, 1, 0, 1 << 32),
        ("bloom_filter", 4, 8, 1, 0, 0),
        ("bloom_filter", 0, 0, 1, 0, 0),
        ("bloom_filter", 0, 8, 0, 0, 0),
        ("bloom_filter", 0, BIG, 1, 0, 0),
        ("bloom_filter", 4, BIG, 0, 0, 0),
        ("bloom_filter", 0, 4 << 20, 1, 0, 0),
        ("bloom_filter", 0, 3, 1000, 0, 7),
        ("bloom_filter", 0, 8, 1, f::ZERO_SEED, 0),
        ("bloom_filter", 0, 8, 1, NP, 0),
        ("bloom_filter", 0, 8, 1, f::NO_COMMON_LRU, 0),
        ("bloom_filter", 0, 8, 1, f::RDONLY_PROG, 0),
        ("bloom_filter", 0, 8, 1, f::RDONLY_PROG | f::WRONLY_PROG, 0),
        ("bloom_filter", 0, 8, 1, f::RDONLY | f::WRONLY, 0),
        ("bloom_filter", 0, 8, 1, f::NUMA_NODE, 0),
        ("bloom_filter", 0, 8, 1, f::MMAPABLE, 0),
        ("stack_trace", 4, 8, 1, 0, 0),
        ("stack_trace", 4, 1016, 1000, 0, 0),
        ("stack_trace", 4, 1024, 1, 0, 0),
        ("stack_trace", 4, 12, 1, 0, 0),
        ("stack_trace", 4, 4, 1, 0, 0),
        ("stack_trace", 8, 8, 1, 0, 0),
        ("stack_trace", 4, 8, 0, 0, 0),
        ("stack_trace", 4, 64, 1, f::STACK_BUILD_ID, 0),
        ("stack_trace", 4, 72, 1, f::STACK_BUILD_ID, 0),
        ("stack_trace", 4, 8, 1, f::STACK_BUILD_ID, 0),
        ("stack_trace", 4, 8, 1, f::RDONLY, 0),
        ("stack_trace", 4, 8, 1, f::NO_PREALLOC, 0),
        ("stack_trace", 4, 8, 1, f::RDONLY_PROG, 0),
        ("stack_trace", 4, 8, 1, f::NUMA_NODE, 0),
        ("stack_trace", 4, 8, 1, 0, 1),
        ("ringbuf", 0, 0, 4096, 0, 0),
        ("user_ringbuf", 0, 0, 4096, 0, 0),
        ("user_ringbuf", 0, 0, 8192, 0, 0),
        ("user_ringbuf", 0, 0, 4096 * 3, 0, 0),
        ("user_ringbuf", 0, 0, 2048, 0, 0),
        ("user_ringbuf", 4, 0, 4096, 0, 0),
        ("user_ringbuf", 0, 8, 4096, 0, 0),
        ("user_ringbuf", 0, 0, 4096, f::NUMA_NODE, 0),
        ("user_ringbuf", 0, 0, 4096, f::MMAPABLE, 0),
        ("user_ringbuf", 0, 0, 4096, f::RDONLY_PROG, 0),
        ("user_ringbuf", 0, 0, 4096, 0, 1),
        ("perf_event_array", 4, 4, 4, 0, 0),
        ("perf_event_array", 4, 8, 4, 0, 0),
        ("perf_event_array", 4, 4, 0, 0, 0),
        ("perf_event_array", 8, 4, 4, 0, 0),
        ("perf_event_array", 4, 4, 4, f::PRESERVE_ELEMS, 0),
        ("perf_event_array", 4, 4, 4, f::RDONLY_PROG, 0),
        ("perf_event_array", 4, 4, 4, f::RDONLY, 0),
        ("perf_event_array", 4, 4, 4, f::MMAPABLE, 0),
        ("perf_event_array", 4, 4, 4, NP, 0),
        ("cgroup_array", 4, 4, 4, 0, 0),
        ("cgroup_array", 4, 4, 4, f::PRESERVE_ELEMS, 0),
        ("cgroup_array", 4, 8, 4, 0, 0),
        ("cgroup_array", 4, 4, 4, f::WRONLY, 0),
        ("reuseport_sockarray", 4, 4, 4, 0, 0),
        ("reuseport_sockarray", 4, 8, 4, 0, 0),
        ("reuseport_sockarray", 4, 12, 4, 0, 0),
        ("reuseport_sockarray", 4, 8, 0, 0, 0),
        ("reuseport_sockarray", 4, 8, 4, f::RDONLY_PROG, 0),
        ("reuseport_sockarray", 4, 8, 4, f::PRESERVE_ELEMS, 0),
        ("reuseport_sockarray", 4, 8, 4, NP, 0),
        ("sockmap", 4, 4, 4, 0, 0),
        ("sockmap", 4, 8, 4, 0, 0),
        ("sockmap", 4, 12, 4, 0, 0),
        ("sockmap", 8, 4, 4, 0, 0),
        ("sockmap", 4, 4, 0, 0, 0),
        ("sockmap", 4, 4, 4, f::NUMA_NODE, 0),
        ("sockmap", 4, 4, 4, f::RDONLY, 0),
        ("sockmap", 4, 4, 4, f::RDONLY_PROG, 0),
        ("sockmap", 4, 4, 4, NP, 0),
        ("sockmap", 4, 4, 4, 0, 1),
        ("sockhash", 4, 4, 4, 0, 0),
        ("sockhash", 16, 8, 4, 0, 0),
        ("sockhash", 0, 8, 4, 0, 0),
        ("sockhash", 512, 8, 4, 0, 0),
        ("sockhash", 513, 8, 4, 0, 0),
        ("sockhash", 4, 2, 4, 0, 0),
        ("sockhash", 4, 4, 0, 0, 0),
        ("sockhash", 4, 4, 4, NP, 0),
        ("sockhash", 4, 4, 4, f::WRONLY, 0),
        ("xskmap", 4, 4, 4, 0, 0),
        ("xskmap", 4, 8, 4, 0, 0),
        ("xskmap", 8, 4, 4, 0, 0),
        ("xskmap", 4, 4, 0, 0, 0),
        ("xskmap", 4, 4, 4, f::RDONLY, 0),
        ("xskmap", 4, 4, 4, f::RDONLY_PROG, 0),
        ("devmap", 4, 4, 4, 0, 0),
        ("devmap", 4, 8, 4, 0, 0),
        ("devmap", 4, 12, 4, 0, 0),
        ("devmap", 8, 4, 4, 0, 0),
        ("devmap", 4, 4, 0, 0, 0),
        ("devmap", 4, 4, 4, f::NUMA_NODE, 0),
        ("devmap", 4, 4, 4, f::WRONLY, 0),
        ("devmap", 4, 4, 4, f::RDONLY_PROG, 0),
        ("devmap", 4, 4, 4, NP, 0),
        ("devmap_hash", 4, 8, 4, 0, 0),
        ("devmap_hash", 4, 8, 1 << 31, 0, 0),
        ("devmap_hash", 4, 8, (1 << 31) + 1, 0, 0),
        ("devmap_hash", 4, 6, 4, 0, 0),
        ("cpumap", 4, 4, 4, 0, 0),
        ("cpumap", 4, 8, 4, 0, 0),
        ("cpumap", 4, 12, 4, 0, 0),
        ("cpumap", 4, 4, 256, 0, 0),
        ("cpumap", 4, 4, 257, 0, 0),
        ("cpumap", 4, 4, 0, 0, 0),
        ("cpumap", 4, 4, 4, f::NUMA_NODE, 0),
        ("cpumap", 4, 4, 4, f::RDONLY, 0),
        ("cpumap", 8, 4, 4, 0, 0),
        ("sk_storage", 4, 8, 0, NP, 0),
        ("sk_storage", 4, 8, 0, 0, 0),
        ("sk_storage", 4, 8, 1, NP, 0),
        ("sk_storage", 8, 8, 0, NP, 0),
        ("sk_storage", 4, 0, 0, NP, 0),
        ("sk_storage", 4, 8, 0, NP | f::CLONE, 0),
        ("sk_storage", 4, 8, 0, NP | f::RDONLY, 0),
        ("sk_storage", 4, 65407, 0, NP, 0),
        ("sk_storage", 4, 65408, 0, NP, 0),
        ("task_storage", 4, 8, 0, NP, 0),
        ("task_storage", 4, 8, 0, NP | f::NUMA_NODE, 0),
        ("inode_storage", 4, 16, 0, NP, 0),
        ("cgrp_storage", 4, 16, 0, NP, 0),
        ("cgrp_storage", 4, 16, 0, NP, 1),
        ("cgroup_storage", 16, 8, 0, 0, 0),
        ("cgroup_storage", 8, 8, 0, 0, 0),
        ("cgroup_storage", 12, 8, 0, 0, 0),
        ("cgroup_storage", 16, 0, 0, 0, 0),
        ("cgroup_storage", 16, 8, 1, 0, 0),
        ("cgroup_storage", 16, 65407, 0, 0, 0),
        ("cgroup_storage", 16, 65408, 0, 0, 0),
        ("cgroup_storage", 16, 8, 0, NP, 0),
        ("cgroup_storage", 16, 8, 0, f::RDONLY_PROG, 0),
        ("cgroup_storage", 16, 8, 0, f::NUMA_NODE, 0),
        ("percpu_cgroup_storage", 16, 8, 0, 0, 0),
        ("percpu_cgroup_storage", 16, 32768, 0, 0, 0),
        ("percpu_cgroup_storage", 16, 32769, 0, 0, 0),
        ("percpu_cgroup_storage", 8, 8, 0, f::WRONLY, 0),
        ("arena", 0, 0, 1, f::MMAPABLE, 0),
        ("arena", 0, 0, 1, 0, 0),
        ("arena", 4, 0, 1, f::MMAPABLE, 0),
        ("arena", 0, 4, 1, f::MMAPABLE, 0),
        ("arena", 0, 0, 0, f::MMAPABLE, 0),
        ("arena", 0, 0, 16, f::MMAPABLE | f::SEGV_ON_FAULT | f::NO_USER_CONV, 0),
        ("arena", 0, 0, 16, f::MMAPABLE | NP, 0),
        ("arena", 0, 0, 1, f::MMAPABLE, 0x1000),
        ("arena", 0, 0, 1, f::MMAPABLE, 0x1001),
        ("arena", 0, 0, 2, f::MMAPABLE, 0xffff_f000),
        ("arena", 0, 0, 1 << 20, f::MMAPABLE, 0),
        ("arena", 0, 0, (1 << 20) + 1, f::MMAPABLE, 0),
    ];
    let mut bad = Vec::new();
    for &(kind, k, v, m, fl, extra) in table {
        let kk = MapKind::from_name(kind).expect("kind");
        let core_kind = CoreKind::parse(kind).expect("kind");
        // Object storage needs the key's and value's BTF, which a loader gives.
        let kr = if core_kind.is_local_storage() && extra == 0 {
            kernel::map_create_btf(kk, k, v, m, fl, "t").map(|_| ()).err()
        } else {
            kernel::map_create_extra(kk, k, v, m, fl, "t", extra).map(|_| ()).err()
        };
        let d = MapDef {
            name: "t".into(),
            kind: CoreKind::parse(kind).expect("kind"),
            key_size: k,
            value_size: v,
            max_entries: m,
            flags: fl,
            map_extra: extra,
            inner: None,
            record: Default::default(),
        };
        let or = d.check().err().map(|e| e.error.errno());
        if kr.map(|e| e.0) != or {
            bad.push(format!(
                "{kind} key={k} value={v} max={m} flags={fl:#x} extra={extra}: kernel {:?}, bpfplay {:?}",
                kr.map(|e| e.name()),
                d.check().err().map(|e| e.to_string())
            ));
        }
    }
    println!(
        "map creation: {}/{} definitions answered as BPF_MAP_CREATE does",
        table.len() - bad.len(),
        table.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// ---------------------------------------------------------------------------------------
// 4. The syscall side of the newer kinds: seeded random sequences of BPF_MAP_UPDATE_ELEM
//    (every flag), LOOKUP_ELEM, DELETE_ELEM, GET_NEXT_KEY and LOOKUP_AND_DELETE_ELEM on the
//    kernel's map and bpfplay's, every answer (errno, value, next key) compared.

/// An answer normalised: ENOENT is `Ok(None)`.
type Answer = Result<Option<Vec<u8>>, i32>;

fn kernel_answer<T>(r: Result<T, kernel::Errno>, f: impl FnOnce(T) -> Option<Vec<u8>>) -> Answer {
    match r {
        Ok(v) => Ok(f(v)),
        Err(e) if e.0 == libc::ENOENT => Ok(None),
        Err(e) => Err(e.0),
    }
}

fn ours_answer(r: Result<Vec<u8>, bpfplay_core::maps::MapError>) -> Answer {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(bpfplay_core::maps::MapError::NoEnt) => Ok(None),
        Err(e) => Err(e.errno()),
    }
}

#[test]
fn user_space_ops_match_the_kernel() {
    if !kernel::require("map syscalls") {
        return;
    }
    // The kernel's LRU maps keep free lists per CPU: on one CPU its evictions are those of
    // bpfplay's model (a thread moved between CPUs mid-test evicts differently).
    pin_cpu0().expect("pin to CPU 0");
    // (kind, key, value, max, flags, extra)
    let maps: &[(&str, u32, u32, u32, u32, u64)] = &[
        ("lpm_trie", 8, 8, 12, 1, 0),
        ("lpm_trie", 6, 4, 40, 1, 0),
        ("lpm_trie", 5, 1, 3, 1, 0),
        ("queue", 0, 8, 5, 0, 0),
        ("stack", 0, 4, 3, 0, 0),
        ("bloom_filter", 0, 4, 8, 64, 2),
        ("bloom_filter", 0, 7, 3, 64, 0),
        ("lru_percpu_hash", 4, 8, 4, 0, 0),
        ("lru_percpu_hash", 4, 12, 6, 2, 0),
        ("devmap", 4, 4, 6, 0, 0),
        ("devmap", 4, 8, 6, 0, 0),
        ("devmap_hash", 4, 8, 4, 0, 0),
        ("cpumap", 4, 4, 6, 0, 0),
        ("cpumap", 4, 8, 6, 0, 0),
        ("perf_event_array", 4, 4, 6, 0, 0),
        ("cgroup_array", 4, 4, 6, 0, 0),
        ("sockmap", 4, 4, 6, 0, 0),
        ("sockmap", 4, 8, 6, 0, 0),
        ("sockhash", 4, 8, 6, 0, 0),
        ("xskmap", 4, 4, 6, 0, 0),
        ("reuseport_sockarray", 4, 4, 6, 0, 0),
        ("reuseport_sockarray", 4, 8, 6, 0, 0),
        ("cgroup_storage", 16, 8, 0, 0, 0),
        ("percpu_cgroup_storage", 8, 8, 0, 0, 0),
        ("sk_storage", 4, 8, 0, 1, 0),
        ("task_storage", 4, 8, 0, 1, 0),
        ("arena", 0, 0, 4, 0x400, 0),
    ];
    let ncpus = possible_cpus();
    let (mut ops, mut bad) = (0, Vec::new());
    for (mi, &(kind, ks, vs, max, fl, extra)) in maps.iter().enumerate() {
        let kk = MapKind::from_name(kind).expect("kind");
        let ck = CoreKind::parse(kind).expect("kind");
        let km = if ck.is_local_storage() {
            kernel::map_create_btf(kk, ks, vs, max, fl, "u")
        } else {
            kernel::map_create_extra(kk, ks, vs, max, fl, "u", extra)
        }
        .expect("create");
        let d = MapDef {
            name: "u".into(),
            kind: CoreKind::parse(kind).expect("kind"),
            key_size: ks,
            value_size: vs,
            max_entries: max,
            flags: fl,
            map_extra: extra,
            inner: None,
            record: Default::default(),
        };
        let mut store = MapStore::from_defs(&[d], ncpus).unwrap();
        let mut g = Rng(mi as u64 * 7919 + 1);
        let mut known: Vec<Vec<u8>> = Vec::new();
        for step in 0..400 {
            // A key: for an LPM trie a prefix length up to one past the maximum and data
            // bytes of few values (so that prefixes share bits); else small numbers.
            let key: Vec<u8> = if ks == 0 {
                Vec::new()
            } else if kk == MapKind::LpmTrie {
                if !known.is_empty() && g.below(3) == 0 {
                    known[g.below(known.len() as u64) as usize].clone()
                } else {
                    let plen = g.below((ks as u64 - 4) * 8 + 2) as u32;
                    let mut k = plen.to_ne_bytes().to_vec();
                    k.extend((4..ks).map(|_| *g.pick(&[0u8, 0x80, 0xc0, 0xff, 0x0f, 0x55])));
                    k
                }
            } else {
                let mut k = vec![0u8; ks as usize];
                k[0] = g.below(10) as u8;
                if ck.is_local_storage() {
                    // An fd the test process cannot have open.
                    k[3] = 0x7f;
                }
                k
            };
            let percpu = kk.is_percpu() || kk == MapKind::PercpuCgroupStorage;
            let uvs = if percpu { vs.div_ceil(8) as usize * 8 * ncpus } else { vs as usize };
            let mut value: Vec<u8> = (0..uvs).map(|_| g.below(4) as u8).collect();
            // Values that name devices, CPUs and fds: the interesting few.
            let words: Option<[&[u32]; 2]> = match ck {
                CoreKind::Devmap | CoreKind::DevmapHash => {
                    Some([&[0, 1, 1, 1 << 20], &[0, 0, u32::MAX, 99_999]])
                }
                CoreKind::Cpumap => Some([&[0, 1, 16384, 16385], &[0, 0, 99_999]]),
                k if k.holds_objects() => Some([&[0x7fff_0000, u32::MAX], &[0, 0, 1]]),
                _ => None,
            };
            if let Some(w) = words {
                for (i, chunk) in value.chunks_mut(4).enumerate().take(2) {
                    chunk.copy_from_slice(&g.pick(w[i]).to_ne_bytes());
                }
            }
            let op = g.below(10);
            let (what, kr, or) = match op {
                0..=3 => {
                    let flags = *g.pick(&[0u64, 0, 1, 2, 3, 4]);
                    let kr = kernel_answer(km.update(&key, &value, flags), |_| None);
                    let or = ours_answer(store.update(0, &key, &value, flags).map(|_| Vec::new()))
                        .map(|_| None);
                    if kr.is_ok() && !known.contains(&key) {
                        known.push(key.clone());
                    }
                    (format!("update flags={flags}"), kr, or)
                }
                4 | 5 => {
                    if kk == MapKind::BloomFilter {
                        let kr = kernel_answer(km.lookup_value(&key, &value), |b| b.then(Vec::new));
                        let or =
                            ours_answer(store.lookup_value(0, &key, &value).map(|_| Vec::new()));
                        ("lookup (bloom)".to_string(), kr, or)
                    } else {
                        (
                            "lookup".to_string(),
                            kernel_answer(km.lookup(&key), |v| v),
                            ours_answer(store.lookup(0, &key)),
                        )
                    }
                }
                6 => (
                    "delete".to_string(),
                    kernel_answer(km.delete(&key), |_| None),
                    ours_answer(store.delete(0, &key).map(|_| Vec::new())).map(|_| None),
                ),
                // A hash map's iteration order is not the kernel's (bpfplay walks keys in
                // ascending order, the kernel its buckets): not compared.
                7 | 8 if percpu => continue,
                7 | 8 => {
                    let from = if g.below(4) == 0 { None } else { Some(key.as_slice()) };
                    let kr = if ks == 0 && from.is_some() {
                        // No key to pass for a keyless map: ask without one.
                        kernel_answer(km.next_key(None), |v| v)
                    } else {
                        kernel_answer(km.next_key(from), |v| v)
                    };
                    let or = ours_answer(store.get_next_key(0, if ks == 0 { None } else { from }));
                    (
                        format!("get_next_key {}", if from.is_some() { "key" } else { "NULL" }),
                        kr,
                        or,
                    )
                }
                _ => (
                    "lookup_and_delete".to_string(),
                    kernel_answer(km.lookup_and_delete(&key), |v| v),
                    ours_answer(store.lookup_and_delete(0, &key)),
                ),
            };
            ops += 1;
            if kr != or {
                bad.push(format!(
                    "{kind} step {step}: {what} key={}: kernel {kr:?}, bpfplay {or:?}",
                    hex(&key)
                ));
                break;
            }
        }
        // And the whole contents, in iteration order.
        let iterable = !ck.is_local_storage() && ck != CoreKind::Arena;
        if iterable && kk != MapKind::BloomFilter && kk != MapKind::Queue && kk != MapKind::Stack {
            let mut kc: Vec<Vec<u8>> = km.keys().unwrap();
            let mut oc = store.get(0).unwrap().keys();
            if kk.is_percpu() {
                kc.sort();
                oc.sort();
            }
            if kc != oc {
                bad.push(format!("{kind}: keys kernel {kc:?}, bpfplay {oc:?}"));
            }
        }
    }
    println!("map syscalls: {ops} operations on {} maps answered alike", maps.len());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
