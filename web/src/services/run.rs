//! The run panel's logic: inputs (text fields by name) to a `run::Input` and a `World`, runs
//! with maps that persist between runs (like a loaded program's maps), map edits, and the
//! results laid out for the page.

use super::verify::{prepare, Checked, Settings};
use bpfplay_core::helpers::World;
use bpfplay_core::maps::{MapDef, MapKind, MapStore, BPF_ANY};
use bpfplay_core::progtype::ProgType;
use bpfplay_core::run::{run_program, Input, MapSnapshot, PtRegs, RunResult, SysEnter};
use std::collections::BTreeMap;

/// Instructions one run may execute.
pub const BUDGET: u64 = 1_000_000;
/// Most runs at once.
pub const MAX_RUNS: u32 = 10_000;
/// Most map edits a permalink may replay.
pub const MAX_EDITS: usize = 256;

/// What the last run gave, for the page.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutcome {
    pub runs: u32,
    /// The last run's result.
    pub last: RunResult,
    /// Over all runs: how often each return value came back.
    pub retvals: BTreeMap<u64, u32>,
    pub insns_total: u64,
    /// The source line of the run-time error's instruction.
    pub error_line: Option<usize>,
    /// printk lines of every run, in order (at most 200 kept).
    pub printk: Vec<String>,
}

/// The maps (kept between runs) and the outcome of the last run.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// The maps with their definitions, once made.
    pub maps: Option<(Vec<MapDef>, MapStore)>,
    /// The initial values (`init=`) the maps were made with.
    pub init: Vec<Option<Vec<u8>>>,
    /// The entries before the last run, to show what changed.
    pub before: Vec<MapSnapshot>,
    pub last: Option<RunOutcome>,
    /// Why the last run could not start.
    pub error: Option<String>,
    /// A map edit that was refused.
    pub edit_error: Option<String>,
    /// Changes on every change, for equality.
    pub generation: u64,
}

impl PartialEq for RunState {
    fn eq(&self, o: &Self) -> bool {
        self.generation == o.generation
            && self.last == o.last
            && self.error == o.error
            && self.edit_error == o.edit_error
    }
}

/// A change to a map made in the inspector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapEdit {
    pub map: usize,
    pub key: String,
    /// `None` deletes.
    pub value: Option<String>,
}

impl RunState {
    /// The maps for `defs`: the kept ones if the definitions (and initial values) did not
    /// change, else fresh ones, element 0 of arrays with `init=` holding its bytes.
    fn maps_for(
        &mut self,
        defs: &[MapDef],
        init: &[Option<Vec<u8>>],
    ) -> Result<&mut MapStore, String> {
        let fresh = !matches!(&self.maps, Some((d, _)) if d == defs) || self.init != init;
        if fresh {
            let mut store = MapStore::from_defs(defs, 1)
                .map_err(|(i, e)| format!("map `{}`: {e}", defs[i].name))?;
            for (i, v) in init.iter().enumerate() {
                if let Some(v) = v {
                    store
                        .update(i, &0u32.to_le_bytes(), v, BPF_ANY)
                        .map_err(|e| format!("map `{}`: init: {e}", defs[i].name))?;
                }
            }
            self.maps = Some((defs.to_vec(), store));
            self.init = init.to_vec();
        }
        Ok(&mut self.maps.as_mut().unwrap().1)
    }

    /// Applies an edit from the inspector (maps are made from `source` if needed).
    pub fn edit(&mut self, source: &str, e: MapEdit) {
        self.generation += 1;
        self.edit_error = None;
        let r = (|| -> Result<(), String> {
            let p = prepare(source).map_err(|p| p.message)?;
            let store = self.maps_for(&p.maps, &p.init)?;
            let def = store.get(e.map).ok_or("no such map")?.def.clone();
            let key =
                parse_bytes(&e.key, def.key_size as usize).map_err(|m| format!("key: {m}"))?;
            match &e.value {
                Some(v) => {
                    let value = parse_bytes(v, def.value_size as usize)
                        .map_err(|m| format!("value: {m}"))?;
                    store
                        .update(e.map, &key, &value, BPF_ANY)
                        .map_err(|err| format!("update refused: {err}"))
                }
                None => store.delete(e.map, &key).map_err(|err| format!("delete refused: {err}")),
            }
        })();
        self.edit_error = r.err();
    }

    /// Replays the map edits a permalink carries (`in.maps`: lines `MAP\tKEY\tVALUE\tOP`,
    /// OP `s` sets, anything else deletes). The link is untrusted: at most [`MAX_EDITS`]
    /// edits are replayed (each assembles the source: 100,000 edits on a 100 KB source took
    /// 17 s natively, so a hand-made link could freeze the page on open); malformed lines are
    /// skipped.
    pub fn replay_edits(&mut self, source: &str, log: &str) {
        for line in log.lines().take(MAX_EDITS) {
            let f: Vec<&str> = line.split('\t').collect();
            if let [map, key, value, op] = f[..] {
                if let Ok(map) = map.parse() {
                    let value = (op == "s").then(|| value.to_string());
                    self.edit(source, MapEdit { map, key: key.into(), value });
                }
            }
        }
        self.edit_error = None;
    }

    /// The current entries of every map.
    pub fn snapshot(&self) -> Vec<MapSnapshot> {
        match &self.maps {
            Some((_, s)) => s
                .iter()
                .map(|m| MapSnapshot {
                    name: m.def.name.clone(),
                    kind: m.kind(),
                    entries: m.entries(0),
                })
                .collect(),
            None => Vec::new(),
        }
    }
}

/// Bytes from `text`: hex bytes (`01 00 00 00`, `0x01,0x02`, `01000000`) or, when `size` is
/// 1, 2, 4 or 8 and the text is a decimal number (or `0x` + hex), that integer in
/// little-endian. The result must be `size` bytes (0 = any length).
pub fn parse_bytes(text: &str, size: usize) -> Result<Vec<u8>, String> {
    let t = text.trim();
    if matches!(size, 1 | 2 | 4 | 8) && !t.contains(' ') {
        let n = if let Some(h) = t.strip_prefix("0x") {
            u64::from_str_radix(h, 16).ok().filter(|_| h.len() <= 16)
        } else if let Some(d) = t.strip_prefix('-') {
            d.parse::<u64>().ok().map(|v| v.wrapping_neg())
        } else if t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty() && t.len() != size * 2 {
            t.parse::<u64>().ok()
        } else {
            None
        };
        if let Some(n) = n {
            return Ok(n.to_le_bytes()[..size].to_vec());
        }
    }
    let bytes = bpfplay_core::hex::decode(t)
        .map_err(|_| format!("`{}` is neither hex bytes nor a number", clip(t)))?;
    if size != 0 && bytes.len() != size {
        return Err(format!("{} bytes given, {} expected", bytes.len(), size));
    }
    Ok(bytes)
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Bytes as the inspector shows them: `0a 1b`.
pub use bpfplay_core::hex::encode_spaced as hex;

/// A little-endian integer of 1, 2, 4 or 8 bytes, as text; else nothing.
pub fn int_le(b: &[u8]) -> Option<u64> {
    matches!(b.len(), 1 | 2 | 4 | 8).then(|| b.iter().rev().fold(0u64, |n, &x| n << 8 | x as u64))
}

/// The value's integers: one per 8 bytes when the value is a multiple of 8, else one of its size.
pub fn ints(b: &[u8]) -> String {
    if let Some(n) = int_le(b) {
        return n.to_string();
    }
    if b.len().is_multiple_of(8) {
        return b.chunks(8).map(|c| int_le(c).unwrap().to_string()).collect::<Vec<_>>().join(", ");
    }
    if b.len().is_multiple_of(4) {
        return b.chunks(4).map(|c| int_le(c).unwrap().to_string()).collect::<Vec<_>>().join(", ");
    }
    String::new()
}

fn num(s: Option<&String>, default: u64) -> Result<u64, String> {
    match s.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(t) => {
            let r = match t.strip_prefix("0x") {
                Some(h) => u64::from_str_radix(h, 16),
                None => t.parse(),
            };
            r.map_err(|_| format!("`{}` is not a number", clip(t)))
        }
    }
}

/// The default test packet: Ethernet + IPv4 + TCP to port 80, 64 bytes.
pub fn default_packet() -> String {
    hex(&build_packet(&PacketSpec::default()))
}

/// The world from the inputs (`in.pid`, `in.comm`, `in.time`), with the simulated task tree.
pub fn world(inputs: &BTreeMap<String, String>) -> Result<World, String> {
    let mut w = World::default();
    w.pid = num(inputs.get("in.pid"), w.pid as u64)? as u32;
    w.tgid = w.pid;
    w.ktime_ns = num(inputs.get("in.time"), w.ktime_ns)?;
    if let Some(c) = inputs.get("in.comm") {
        w.comm = c.chars().take(15).collect();
    }
    // A small task tree for kprobes that walk task_structs with bpf_probe_read_kernel.
    w.add_task_tree();
    Ok(w)
}

/// The program's input from the run panel's fields.
pub fn input(t: ProgType, inputs: &BTreeMap<String, String>) -> Result<Input, String> {
    match t {
        ProgType::SocketFilter | ProgType::Xdp => {
            let text = inputs.get("in.packet").cloned().unwrap_or_else(default_packet);
            let bytes = parse_bytes(&text, 0).map_err(|e| format!("packet: {e}"))?;
            Ok(Input::packet(bytes))
        }
        ProgType::Kprobe => {
            let mut regs = PtRegs::default();
            for (i, name) in KPROBE_REGS.iter().enumerate() {
                let v = num(inputs.get(&format!("in.reg.{name}")), KPROBE_DEFAULTS[i])?;
                regs.set(name, v);
            }
            Ok(Input { regs, ..Input::default() })
        }
        ProgType::Tracepoint => {
            let mut s = SysEnter {
                event_type: 0,
                id: num(inputs.get("in.tp.id"), 0)? as i64,
                args: [0; 6],
            };
            for (i, a) in s.args.iter_mut().enumerate() {
                *a = num(inputs.get(&format!("in.tp.arg{i}")), 0)?;
            }
            Ok(Input { syscall: s, ..Input::default() })
        }
    }
}

/// The kprobe registers the panel offers (the argument registers, then ip and sp).
pub const KPROBE_REGS: [&str; 8] = ["di", "si", "dx", "cx", "r8", "r9", "ip", "sp"];
const KPROBE_DEFAULTS: [u64; 8] =
    [0xffff_8880_0420_0000, 0, 0, 0, 0, 0, 0xffff_ffff_8100_0000, 0xffff_c900_0000_0000];

/// What `r0` means for a program type.
pub fn meaning(t: ProgType, r0: u64) -> String {
    match t {
        ProgType::Xdp => match r0 as u32 {
            0 => "XDP_ABORTED: drop, and count it as an error",
            1 => "XDP_DROP: drop the packet",
            2 => "XDP_PASS: hand the packet to the network stack",
            3 => "XDP_TX: send the packet back out of the same interface",
            4 => "XDP_REDIRECT: send the packet to another interface or CPU",
            _ => "unknown XDP action: the kernel treats it as XDP_ABORTED",
        }
        .to_string(),
        ProgType::SocketFilter => match r0 as u32 {
            0 => "drop the packet (keep 0 bytes)".to_string(),
            n => format!("keep the packet, trimmed to at most {n} bytes"),
        },
        ProgType::Kprobe => "kprobes' return value is ignored by the kernel".to_string(),
        ProgType::Tracepoint => "tracepoints' return value is ignored by the kernel".to_string(),
    }
}

/// The packet builder's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketSpec {
    pub ipv6: bool,
    /// 6 TCP, 17 UDP, 1 ICMP.
    pub proto: u8,
    pub src_port: u16,
    pub dst_port: u16,
    pub payload: usize,
}

impl Default for PacketSpec {
    fn default() -> Self {
        PacketSpec { ipv6: false, proto: 6, src_port: 40000, dst_port: 80, payload: 10 }
    }
}

/// An Ethernet frame with an IPv4 or IPv6 header and a UDP or TCP header (or just the IP
/// header and payload for other protocols). Checksums are left zero.
pub fn build_packet(s: &PacketSpec) -> Vec<u8> {
    let mut l4 = Vec::new();
    match s.proto {
        6 => {
            l4.extend_from_slice(&s.src_port.to_be_bytes());
            l4.extend_from_slice(&s.dst_port.to_be_bytes());
            l4.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xfa, 0xf0, 0, 0, 0, 0]);
        }
        17 => {
            l4.extend_from_slice(&s.src_port.to_be_bytes());
            l4.extend_from_slice(&s.dst_port.to_be_bytes());
            l4.extend_from_slice(&((8 + s.payload) as u16).to_be_bytes());
            l4.extend_from_slice(&[0, 0]);
        }
        _ => {}
    }
    l4.extend((0..s.payload).map(|i| b'a' + (i % 26) as u8));
    let mut f = vec![0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01];
    if s.ipv6 {
        f.extend_from_slice(&[0x86, 0xdd]);
        f.extend_from_slice(&[0x60, 0, 0, 0]);
        f.extend_from_slice(&(l4.len() as u16).to_be_bytes());
        f.extend_from_slice(&[s.proto, 64]);
        f.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        f.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    } else {
        f.extend_from_slice(&[0x08, 0x00]);
        let total = (20 + l4.len()) as u16;
        f.extend_from_slice(&[0x45, 0]);
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 1, 0x40, 0, 64, s.proto, 0, 0]);
        f.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
    }
    f.extend_from_slice(&l4);
    f
}

/// Runs the program in `source` `in.runs` times (maps kept from `prev`).
pub fn run(
    source: &str,
    settings: Settings,
    inputs: &BTreeMap<String, String>,
    checked: Option<&Checked>,
    prev: &RunState,
) -> RunState {
    let mut st = prev.clone();
    st.generation += 1;
    st.error = None;
    st.edit_error = None;
    let r = (|| -> Result<RunOutcome, String> {
        if let Some(c) = checked {
            if let Some(e) = &c.verdict.error {
                return Err(format!("The verifier rejected the program ({}); the kernel would not load it, so it cannot run.", e.message));
            }
        }
        let p = prepare(source).map_err(|e| format!("line {}: {}", e.line, e.message))?;
        let runs = (num(inputs.get("in.runs"), 1)? as u32).clamp(1, MAX_RUNS);
        let mut input = input(settings.prog_type, inputs)?;
        let mut world = world(inputs)?;
        let vary = inputs.get("in.vary").is_some_and(|v| v == "1");
        let store = st.maps_for(&p.maps, &p.init)?;
        let before = store
            .iter()
            .map(|m| MapSnapshot {
                name: m.def.name.clone(),
                kind: m.kind(),
                entries: m.entries(0),
            })
            .collect();
        let full = input.packet.clone();
        let mut out = RunOutcome {
            runs,
            last: RunResult {
                retval: 0,
                r0: 0,
                packet_out: Vec::new(),
                maps: Vec::new(),
                printk: Vec::new(),
                perf_events: Vec::new(),
                redirect: None,
                tail_calls: 0,
                insns_executed: 0,
                error: None,
            },
            retvals: BTreeMap::new(),
            insns_total: 0,
            error_line: None,
            printk: Vec::new(),
        };
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for i in 0..runs {
            if vary && full.len() > 14 {
                // A different length each run (deterministic), for the accounting examples.
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let extra = (seed >> 33) as usize % 1500;
                let mut f = full.clone();
                f.resize(full.len() + extra, 0x5a);
                input.packet = f;
            }
            let r = run_program(&p.asm.program, store, settings.prog_type, &input, &world, BUDGET)?;
            *out.retvals.entry(r.r0).or_default() += 1;
            out.insns_total += r.insns_executed;
            for l in &r.printk {
                if out.printk.len() < 200 {
                    out.printk.push(l.clone());
                }
            }
            let failed = r.error.is_some();
            out.last = r;
            if failed {
                out.runs = i + 1;
                break;
            }
            world.pid = world.pid.wrapping_add(1);
            world.tgid = world.pid;
            world.add_task_tree();
            world.ktime_ns = world.ktime_ns.wrapping_add(1_000_000);
        }
        out.error_line = out.last.error.as_ref().and_then(|e| p.asm.lines.get(e.pc).copied());
        st.before = before;
        Ok(out)
    })();
    match r {
        Ok(o) => st.last = Some(o),
        Err(e) => {
            st.last = None;
            st.error = Some(e);
        }
    }
    st
}

/// Is this map's value a counter worth a bar chart (8-byte or 4-byte integers)?
pub fn chartable(kind: MapKind, value_len: usize) -> bool {
    !matches!(kind, MapKind::Ringbuf | MapKind::ProgArray) && matches!(value_len, 4 | 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_parse_as_hex_or_integers() {
        assert_eq!(parse_bytes("1", 4).unwrap(), [1, 0, 0, 0]);
        assert_eq!(parse_bytes("0x0102", 2).unwrap(), [2, 1]);
        assert_eq!(parse_bytes("01 00 00 00", 4).unwrap(), [1, 0, 0, 0]);
        assert_eq!(parse_bytes("01000000", 4).unwrap(), [1, 0, 0, 0]);
        assert_eq!(parse_bytes("-1", 2).unwrap(), [0xff, 0xff]);
        assert!(parse_bytes("01 02", 4).is_err());
        assert!(parse_bytes("zz", 0).is_err());
        assert_eq!(int_le(&[1, 1]), Some(257));
        assert_eq!(ints(&[1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]), "1, 2");
    }

    #[test]
    fn packets_have_the_right_layout() {
        let p = build_packet(&PacketSpec::default());
        assert_eq!(&p[12..14], &[8, 0]);
        assert_eq!(p[23], 6);
        assert_eq!(&p[36..38], &80u16.to_be_bytes());
        assert_eq!(p.len(), 14 + 20 + 20 + 10);
        let p = build_packet(&PacketSpec {
            ipv6: true,
            proto: 17,
            dst_port: 53,
            ..PacketSpec::default()
        });
        assert_eq!(&p[12..14], &[0x86, 0xdd]);
        assert_eq!(p[20], 17);
        assert_eq!(&p[56..58], &53u16.to_be_bytes());
    }

    #[test]
    fn runs_count_into_maps_and_keep_them() {
        let src = crate::services::examples::find("03-socket-count-protocols").unwrap().source;
        let mut inputs = BTreeMap::new();
        inputs.insert("in.runs".to_string(), "3".to_string());
        let settings = Settings::default();
        let st = run(src, settings, &inputs, None, &RunState::default());
        let o = st.last.as_ref().unwrap_or_else(|| panic!("{:?}", st.error));
        assert_eq!(o.runs, 3);
        assert_eq!(o.last.retval, 50);
        let snap = st.snapshot();
        let tcp = snap[0].entries.iter().find(|(k, _)| k == &[6, 0, 0, 0]).unwrap();
        assert_eq!(int_le(&tcp.1), Some(3));
        // Maps persist: three more.
        let st = run(src, settings, &inputs, None, &st);
        let snap = st.snapshot();
        let tcp = snap[0].entries.iter().find(|(k, _)| k == &[6, 0, 0, 0]).unwrap();
        assert_eq!(int_le(&tcp.1), Some(6));
        assert_eq!(
            int_le(&st.before[0].entries.iter().find(|(k, _)| k == &[6, 0, 0, 0]).unwrap().1),
            Some(3)
        );
    }

    #[test]
    fn the_histogram_example_fills_several_buckets() {
        let ex = crate::services::examples::find("02-hash-histogram").unwrap();
        let mut inputs = BTreeMap::new();
        inputs.insert("in.runs".to_string(), ex.runs.to_string());
        inputs.insert("in.vary".to_string(), "1".to_string());
        let st = run(ex.source, Settings::default(), &inputs, None, &RunState::default());
        assert_eq!(st.last.as_ref().unwrap_or_else(|| panic!("{:?}", st.error)).runs, 100);
        let snap = st.snapshot();
        let total: u64 = snap[0].entries.iter().map(|(_, v)| int_le(v).unwrap()).sum();
        assert_eq!(total, 100);
        assert!(snap[0].entries.len() >= 4, "{:?}", snap[0].entries);
    }

    #[test]
    fn xdp_meaning_and_edits() {
        let src = crate::services::examples::find("04-xdp-drop-pass").unwrap().source;
        let s = Settings { prog_type: ProgType::Xdp, ..Settings::default() };
        let mut inputs = BTreeMap::new();
        let st = run(src, s, &inputs, None, &RunState::default());
        assert_eq!(st.last.as_ref().unwrap().last.r0, 2);
        let udp9 = build_packet(&PacketSpec { proto: 17, dst_port: 9, ..PacketSpec::default() });
        inputs.insert("in.packet".into(), hex(&udp9));
        let st = run(src, s, &inputs, None, &st);
        assert_eq!(st.last.as_ref().unwrap().last.r0, 1);
        assert!(meaning(ProgType::Xdp, 1).starts_with("XDP_DROP"));

        let src = "map m: hash key=4 value=8 max=4\nr0 = 0\nr1 = map[m] ll\nexit";
        let mut st = RunState::default();
        st.edit(src, MapEdit { map: 0, key: "7".into(), value: Some("42".into()) });
        assert_eq!(st.edit_error, None);
        assert_eq!(
            st.snapshot()[0].entries,
            vec![(vec![7, 0, 0, 0], vec![42, 0, 0, 0, 0, 0, 0, 0])]
        );
        st.edit(src, MapEdit { map: 0, key: "7".into(), value: None });
        assert!(st.snapshot()[0].entries.is_empty());
        st.edit(src, MapEdit { map: 0, key: "1 2".into(), value: None });
        assert!(st.edit_error.is_some());
    }
}
