//! The page's untrusted inputs, natively: permalink fragments (decoded, then everything the
//! page does with a decoded state: run inputs, the world, map edits replayed, the source
//! assembled) and the exercise progress kept in localStorage. A seeded mutational fuzz loop
//! runs for `BPFPLAY_FUZZ_SECS` seconds (default 2; campaigns: RELIABILITY.md) and fails on a
//! panic or on a case slower than 5 s (a loaded machine once took 1.05 s on one case).

use super::examples::{EXAMPLE_FILES, EXERCISE_FILES};
use super::exercises::{parse_solved, MAX_PROGRESS};
use super::permalink::{decode, encode, State};
use super::run::{self, RunState, MAX_EDITS};
use super::verify::{self, Settings};
use bpfplay_core::ProgType;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

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
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const HOSTILE: &[&str] = &[
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    "\u{202e}",
    "\0",
    "%00",
    "é",
    "99999999999999999999",
    "-1",
    "0x",
    "ff ff",
    "\t",
    "\n",
    "1\t00 00 00 00\t01\ts",
    "0\tzz\t\td",
];

const NAMES: &[&str] = &[
    "v",
    "src",
    "type",
    "mode",
    "log",
    "step",
    "verified",
    "tab",
    "in.packet",
    "in.pid",
    "in.time",
    "in.comm",
    "in.runs",
    "in.vary",
    "in.reg.di",
    "in.tp.id",
    "in.tp.arg0",
    "in.maps",
    "x",
    "in.",
];

fn random_state(r: &mut Rng) -> State {
    let (_, src) = EXAMPLE_FILES[r.below(EXAMPLE_FILES.len())];
    let mut inputs = BTreeMap::new();
    for _ in 0..r.below(6) {
        let name = r.pick(&NAMES[8..]);
        let v = if name == "in.maps" {
            (0..r.below(8))
                .map(|_| {
                    format!(
                        "{}\t{}\t{}\t{}",
                        r.below(3),
                        r.pick(&["00 00 00 00", "0", "1", "zz", ""]),
                        r.pick(&["01 00 00 00 00 00 00 00", "7", ""]),
                        r.pick(&["s", "d", ""])
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            r.pick(HOSTILE).to_string()
        };
        inputs.insert(name.to_string(), v);
    }
    let mut source = src.to_string();
    if r.below(3) == 0 {
        source.push_str(r.pick(HOSTILE));
    }
    State {
        source,
        settings: Settings {
            prog_type: [
                ProgType::SocketFilter,
                ProgType::Xdp,
                ProgType::Kprobe,
                ProgType::Tracepoint,
            ][r.below(4)],
            unpriv: r.below(2) == 0,
            log_level: 1 + r.below(2) as u32,
        },
        step: (r.below(2) == 0).then(|| r.below(100)),
        verified: r.below(2) == 0,
        tab: r.pick(&["", "run", "<b>x</b>"]).to_string(),
        inputs,
    }
}

/// Raw records, deflated: what a hand-made link could hold.
fn raw_fragment(r: &mut Rng) -> String {
    let mut raw = Vec::new();
    for _ in 0..r.below(10) {
        let name = r.pick(NAMES);
        let v = r.pick(HOSTILE);
        // Sometimes a length that lies.
        let len = if r.below(5) == 0 { r.below(1 << 20) } else { v.len() };
        raw.extend_from_slice(format!("{name} {len}:{v}").as_bytes());
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&raw, 6);
    format!("p={}", b64(&packed))
}

fn b64(data: &[u8]) -> String {
    const B: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = c.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..=c.len() {
            s.push(B[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    s
}

fn mutate(r: &mut Rng, f: &str) -> String {
    let mut cs: Vec<char> = f.chars().collect();
    for _ in 0..1 + r.below(4) {
        let i = r.below(cs.len() + 1);
        match r.below(5) {
            0 => cs.truncate(i),
            1 if i < cs.len() => cs[i] = ['A', '-', '_', '=', '%', '<', 'é', '0'][r.below(8)],
            2 => cs.insert(i, ['A', 'z', '9', '-', '_'][r.below(5)]),
            3 if i < cs.len() => {
                cs.remove(i);
            }
            _ => {
                let j = r.below(cs.len() + 1);
                let (a, b) = (i.min(j), i.max(j));
                let dup: Vec<char> = cs[a..b].to_vec();
                cs.splice(b..b, dup);
            }
        }
    }
    cs.into_iter().collect()
}

/// Everything the page does with a fragment, natively.
fn open(fragment: &str) -> Result<(), String> {
    let st = match decode(fragment) {
        Ok(Some(st)) => st,
        Ok(None) => return Ok(()),
        Err(e) => {
            assert!(!e.0.is_empty());
            return Err(e.0);
        }
    };
    let _ = run::world(&st.inputs);
    let _ = run::input(st.settings.prog_type, &st.inputs);
    let mut rs = RunState::default();
    if let Some(log) = st.inputs.get("in.maps") {
        rs.replay_edits(&st.source, log);
    }
    let _ = verify::prepare(&st.source);
    // Round trip: what decodes encodes back to the same state.
    assert_eq!(decode(&encode(&st)).map_err(|e| e.0)?, Some(st));
    Ok(())
}

#[test]
fn fuzz_permalinks() {
    let secs: u64 =
        std::env::var("BPFPLAY_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let seed: u64 =
        std::env::var("BPFPLAY_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut r = Rng(seed);
    let t0 = Instant::now();
    let (mut n, mut ok, mut slowest) = (0u64, 0u64, Duration::ZERO);
    let mut errors = std::collections::BTreeSet::new();
    while t0.elapsed() < Duration::from_secs(secs) {
        let f = match r.below(4) {
            0 => encode(&random_state(&mut r)),
            1 => raw_fragment(&mut r),
            _ => {
                let base = if r.below(2) == 0 {
                    encode(&random_state(&mut r))
                } else {
                    raw_fragment(&mut r)
                };
                mutate(&mut r, &base)
            }
        };
        let c0 = Instant::now();
        let res = std::panic::catch_unwind(|| open(&f));
        let dt = c0.elapsed();
        slowest = slowest.max(dt);
        match res {
            Ok(Ok(())) => ok += 1,
            Ok(Err(e)) => {
                errors.insert(e.chars().filter(|c| !c.is_ascii_digit()).collect::<String>());
            }
            Err(_) => panic!("a fragment made the page code panic: {f:?}"),
        }
        assert!(dt < Duration::from_secs(5), "a fragment took {dt:?}: {f:?}");
        n += 1;
    }
    println!("fuzz_permalinks: seed {seed}, {n} fragments in {:.1?} ({ok} opened, {} kinds of message), slowest {slowest:?}", t0.elapsed(), errors.len());
    assert!(ok > 0 && !errors.is_empty(), "the generator tests little");
}

#[test]
fn many_map_edits_in_a_link_are_capped() {
    // A long source and a hundred thousand edits: only the first MAX_EDITS are replayed.
    let (_, src) = EXAMPLE_FILES.iter().find(|(id, _)| id.contains("hash")).copied().unwrap();
    let big = format!("{src}\n{}", "// padding padding padding padding\n".repeat(3000));
    let edits = "0\t00 00 00 00\t01 00 00 00 00 00 00 00\ts\n".repeat(100_000);
    let mut rs = RunState::default();
    let t0 = Instant::now();
    rs.replay_edits(&big, &edits);
    println!(
        "{} edits replayed in {:?} ({:?} each)",
        rs.generation,
        t0.elapsed(),
        t0.elapsed() / rs.generation.max(1) as u32
    );
    assert!(rs.generation as usize <= MAX_EDITS, "{} edits replayed", rs.generation);
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[test]
fn stored_progress_is_untrusted() {
    let (a, _) = EXERCISE_FILES[0];
    let (b, _) = EXERCISE_FILES[1];
    assert_eq!(parse_solved(""), Vec::<String>::new());
    assert_eq!(
        parse_solved(&format!("{a},{a}, {b} ,,<img src=x onerror=alert(1)>,nope")),
        vec![a.to_string(), b.to_string()]
    );
    // Huge or binary: bounded, no panic (a cut inside a multi-byte character included).
    let huge = format!("{}{a}", "é,".repeat(MAX_PROGRESS));
    assert!(parse_solved(&huge).is_empty());
    assert_eq!(parse_solved(&format!("\0\u{202e},{b}")), vec![b.to_string()]);
    let mut r = Rng(7);
    for _ in 0..20_000 {
        let s: String = (0..r.below(40))
            .map(|_| ['a', ',', '0', '1', '-', 'é', '\0', ' '][r.below(8)])
            .collect();
        let got = parse_solved(&s);
        assert!(got.len() <= EXERCISE_FILES.len());
    }
}
