//! The run panel's logic: inputs (text fields by name) to a `run::Input` and a `World`, runs
//! with maps that persist between runs (like a loaded program's maps), map edits, and the
//! results laid out for the page.

use super::verify::{prepare, Checked, Settings};
use bpfplay_core::maps::{MapDef, MapKind, MapStore, BPF_ANY};
use bpfplay_core::run::{self as core_run, BUDGET, MAX_RUNS};
use bpfplay_core::run::{
    run_many, Input, MapSnapshot, PacketSpec, RunPlan, RunResult, KPROBE_DEFAULTS,
};
use bpfplay_core::Loaded;
use bpfplay_core::ProgType;
use bpfplay_core::World;
use std::collections::BTreeMap;

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
    /// What the last edit found out (a bloom filter's membership test, a queue's pop).
    pub edit_note: Option<String>,
    /// Changes on every change, for equality.
    pub generation: u64,
}

impl PartialEq for RunState {
    fn eq(&self, o: &Self) -> bool {
        self.generation == o.generation
            && self.last == o.last
            && self.error == o.error
            && self.edit_error == o.edit_error
            && self.edit_note == o.edit_note
    }
}

/// A change to a map made in the inspector.
///
/// Maps without keys (queue, stack, bloom filter) ignore `key` when `value` is `Some`: the
/// value is pushed (added to a bloom filter). With `None` a queue or stack pops its next
/// element, and a bloom filter tests `key` as a value (the kernel's lookup of a bloom filter
/// is that test; it has no delete).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapEdit {
    pub map: usize,
    pub key: String,
    /// `None` deletes.
    pub value: Option<String>,
}

impl RunState {
    /// The maps of `p`: the kept ones if its definitions (and initial values) did not
    /// change, else fresh ones as the core's loader creates them.
    fn maps_for(&mut self, p: &Loaded) -> Result<&mut MapStore, String> {
        let fresh = !matches!(&self.maps, Some((d, _)) if *d == p.maps) || self.init != p.init;
        if fresh {
            let store = p.map_store(1).map_err(|e| e.to_string())?;
            self.maps = Some((p.maps.clone(), store));
            self.init = p.init.clone();
        }
        Ok(&mut self.maps.as_mut().expect("made above").1)
    }

    /// Applies an edit from the inspector (maps are made from `source` if needed).
    pub fn edit(&mut self, source: &str, e: MapEdit) {
        self.generation += 1;
        self.edit_error = None;
        self.edit_note = None;
        let mut note = None;
        let r = (|| -> Result<(), String> {
            let p = prepare(source).map_err(|p| p.message)?;
            let store = self.maps_for(&p)?;
            let def = store.get(e.map).ok_or("no such map")?.def.clone();
            if def.kind.is_keyless() {
                let vs = def.value_size as usize;
                return match (&e.value, def.kind) {
                    (Some(v), _) => {
                        let value = parse_bytes(v, vs).map_err(|m| format!("value: {m}"))?;
                        store
                            .update(e.map, &[], &value, BPF_ANY)
                            .map_err(|err| format!("push refused: {err}"))
                    }
                    (None, MapKind::BloomFilter) => {
                        let value = parse_bytes(&e.key, vs).map_err(|m| format!("value: {m}"))?;
                        note = Some(match store.lookup_value(e.map, &[], &value) {
                            Ok(_) => format!(
                                "{}: {} may be in the filter (every bit of its hashes is set)",
                                def.name,
                                hex(&value)
                            ),
                            Err(_) => format!("{}: {} is not in the filter", def.name, hex(&value)),
                        });
                        Ok(())
                    }
                    (None, _) => {
                        let v = store
                            .lookup_and_delete(e.map, &[])
                            .map_err(|err| format!("pop refused: {err}"))?;
                        note = Some(format!("{}: popped {}", def.name, hex(&v)));
                        Ok(())
                    }
                };
            }
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
        self.edit_note = note;
    }

    /// A line about map `i` for the inspector, for the kinds whose table needs one: a bloom
    /// filter cannot be listed, a queue or stack lists its elements in pop order, an LPM
    /// trie in the kernel's get_next_key order.
    pub fn map_note(&self, i: usize) -> Option<String> {
        let m = self.maps.as_ref()?.1.get(i)?;
        match m.kind() {
            MapKind::BloomFilter => {
                let (set, bits, k) = m.bloom_bits()?;
                Some(format!(
                    "A bloom filter cannot be listed (the kernel's BPF_MAP_GET_NEXT_KEY answers EOPNOTSUPP): {set} of {bits} bits set, {k} hash functions. Add a value, or test one.{}",
                    if m.def.flags & bpfplay_core::maps::flags::ZERO_SEED == 0 {
                        " Without BPF_F_ZERO_SEED (flags=64) the kernel's hash seed is random, so its false positives differ from these."
                    } else {
                        ""
                    }
                ))
            }
            MapKind::Queue => Some(format!("{} of {} elements, oldest (next pop) first.", m.count()?, m.def.max_entries)),
            MapKind::Stack => Some(format!("{} of {} elements, top (next pop) first.", m.count()?, m.def.max_entries)),
            MapKind::LpmTrie => Some(format!(
                "{} of {} prefixes, in the kernel's iteration order (more specific first); a key is a 4-byte prefix length and the data bytes.",
                m.count()?,
                m.def.max_entries
            )),
            k => k.note().map(|n| {
                let mut c = n.to_string();
                if let Some(first) = c.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                c + "."
            }),
        }
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

/// The default test packet (the core's: Ethernet + IPv4 + TCP to port 80, 64 bytes).
pub fn default_packet() -> String {
    hex(&PacketSpec::default().build())
}

/// The world from the inputs (`in.pid`, `in.comm`, `in.time`), with the simulated task tree.
pub fn world(inputs: &BTreeMap<String, String>) -> Result<World, String> {
    let mut w = core_run::default_world();
    w.pid = num(inputs.get("in.pid"), w.pid as u64)? as u32;
    w.tgid = w.pid;
    w.ktime_ns = num(inputs.get("in.time"), w.ktime_ns)?;
    if let Some(c) = inputs.get("in.comm") {
        w.comm = c.chars().take(15).collect();
    }
    // The tree's current task follows the pid.
    w.add_task_tree();
    Ok(w)
}

/// The program's input from the run panel's fields (the core's defaults for the rest).
pub fn input(t: ProgType, inputs: &BTreeMap<String, String>) -> Result<Input, String> {
    let mut input = Input::default_for(t);
    match t {
        ProgType::SocketFilter | ProgType::Xdp => {
            if let Some(text) = inputs.get("in.packet") {
                input.packet = parse_bytes(text, 0).map_err(|e| format!("packet: {e}"))?;
            }
        }
        ProgType::Kprobe => {
            for (name, _) in KPROBE_DEFAULTS {
                let dflt = input.regs.get(name).unwrap_or(0);
                input.regs.set(name, num(inputs.get(&format!("in.reg.{name}")), dflt)?);
            }
        }
        ProgType::Tracepoint => {
            input.syscall.id = num(inputs.get("in.tp.id"), 0)? as i64;
            for (i, a) in input.syscall.args.iter_mut().enumerate() {
                *a = num(inputs.get(&format!("in.tp.arg{i}")), 0)?;
            }
        }
    }
    Ok(input)
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
        let plan = RunPlan {
            runs: (num(inputs.get("in.runs"), 1)?.min(MAX_RUNS as u64) as u32).max(1),
            vary_length: inputs.get("in.vary").is_some_and(|v| v == "1"),
            budget: BUDGET,
        };
        let input = input(settings.prog_type, inputs)?;
        let world = world(inputs)?;
        let store = st.maps_for(&p)?;
        let before = store
            .iter()
            .map(|m| MapSnapshot {
                name: m.def.name.clone(),
                kind: m.kind(),
                entries: m.entries(0),
            })
            .collect();
        let o = run_many(&p.programs(), store, settings.prog_type, &input, &world, &plan)?;
        let out = RunOutcome {
            runs: o.runs,
            error_line: o.last.error.as_ref().and_then(|e| p.lines.get(e.pc).copied()),
            last: o.last,
            retvals: o.retvals,
            insns_total: o.insns_total,
            printk: o.printk,
        };
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
        assert_eq!(parse_bytes("01 02", 4).unwrap_err(), "2 bytes given, 4 expected");
        assert_eq!(parse_bytes("zz", 0).unwrap_err(), "`zz` is neither hex bytes nor a number");
        assert_eq!(int_le(&[1, 1]), Some(257));
        assert_eq!(ints(&[1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]), "1, 2");
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
        let udp9 = PacketSpec { proto: 17, dst_port: 9, ..PacketSpec::default() }.build();
        inputs.insert("in.packet".into(), hex(&udp9));
        let st = run(src, s, &inputs, None, &st);
        assert_eq!(st.last.as_ref().unwrap().last.r0, 1);
        assert!(ProgType::Xdp.retval_meaning(1).starts_with("XDP_DROP"));

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

    #[test]
    fn keyless_maps_in_the_inspector() {
        let src = "map q: queue key=0 value=4 max=2\nmap s: stack key=0 value=4 max=2\nmap b: bloom_filter key=0 value=4 max=8 flags=64 extra=2\nmap t: lpm_trie key=8 value=8 max=4 flags=1\nr0 = 0\nr1 = map[q] ll\nr1 = map[s] ll\nr1 = map[b] ll\nr1 = map[t] ll\nexit";
        let mut st = RunState::default();
        let push = |st: &mut RunState, map, v: &str| {
            st.edit(src, MapEdit { map, key: String::new(), value: Some(v.into()) })
        };
        for v in ["1", "2"] {
            push(&mut st, 0, v);
            push(&mut st, 1, v);
        }
        assert_eq!(st.edit_error, None);
        push(&mut st, 0, "3");
        assert!(st.edit_error.as_deref().unwrap_or("").contains("E2BIG"), "{:?}", st.edit_error);
        let snap = st.snapshot();
        let vals = |i: usize| -> Vec<u64> {
            snap[i].entries.iter().map(|(_, v)| int_le(v).unwrap()).collect()
        };
        assert_eq!(vals(0), vec![1, 2]);
        assert_eq!(vals(1), vec![2, 1]);
        assert_eq!(st.map_note(0).unwrap(), "2 of 2 elements, oldest (next pop) first.");
        st.edit(src, MapEdit { map: 1, key: String::new(), value: None });
        assert_eq!(st.edit_note.as_deref(), Some("s: popped 02 00 00 00"));
        // A bloom filter: add, test, and no listing.
        push(&mut st, 2, "42");
        st.edit(src, MapEdit { map: 2, key: "42".into(), value: None });
        assert!(st.edit_note.as_deref().unwrap().contains("may be in the filter"));
        st.edit(src, MapEdit { map: 2, key: "43".into(), value: None });
        assert!(st.edit_note.as_deref().unwrap().contains("is not in the filter"));
        assert!(st.snapshot()[2].entries.is_empty());
        assert!(st.map_note(2).unwrap().contains("EOPNOTSUPP"));
        // An LPM trie takes keys as bytes: prefixlen 16, 192.168.
        st.edit(
            src,
            MapEdit { map: 3, key: "10 00 00 00 c0 a8 00 00".into(), value: Some("5".into()) },
        );
        assert_eq!(st.edit_error, None);
        assert!(st.map_note(3).unwrap().starts_with("1 of 4 prefixes"));
    }
}
