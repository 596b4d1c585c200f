//! Programs the editor can start with: the starter, and the gallery bundled from
//! `static/examples/*.s` (see `web/build.rs`).
//!
//! An example is an ordinary source file whose leading comment lines carry `key: value`
//! headers (`// title: ...`, `// type: xdp`, `// mode: unpriv`, `// expect: accepted` or
//! `// expect: rejected: <the kernel's first error line>`, `// about: ...` lines of
//! explanation, `// runs: 100` to suggest running it many times). The headers stay in the
//! source shown in the editor; they are comments to the assembler.

use bpfplay_core::ProgType;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}
pub use bundled::{
    C_EXAMPLES as C_EXAMPLE_FILES, EXAMPLES as EXAMPLE_FILES, EXERCISES as EXERCISE_FILES,
};

/// The editor's content on first load: a small socket filter in pseudo-C syntax.
pub const STARTER: &str = "\
// A socket filter that keeps IPv4 TCP packets and drops everything else.
// On entry r1 points to the packet's context (struct __sk_buff);
// the return value is how many bytes of the packet to keep.

    r6 = r1                       // ld_abs reads the packet through r6
    r0 = *(u32 *)(r6 +16)         // skb->protocol: EtherType, network byte order
    if r0 != 0x8 goto drop        // not IPv4 (0x0800 read as little-endian)
    r0 = *(u8 *)skb[9]            // IPv4 protocol field (from the network header)
    if r0 != 6 goto drop          // not TCP
    r0 = *(u32 *)(r6 +0)          // skb->len: keep the whole packet
    exit

drop:
    r0 = 0                        // keep nothing
    exit
";

/// The `// key: value` lines at the top of a file (up to the first line that is not a
/// comment), in order; a key may repeat.
pub fn headers(src: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for line in src.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let Some(c) = t.strip_prefix("//") else { break };
        if let Some((k, v)) = c.split_once(':') {
            let k = k.trim();
            if !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '-') {
                out.push((k, v.trim()));
            }
        }
    }
    out
}

/// The verdict an example says it gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    Accepted,
    /// Rejected with this first error line.
    Rejected(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The file name without `.s`: `08-missing-null-check`.
    pub id: &'static str,
    pub title: String,
    pub prog_type: ProgType,
    pub unpriv: bool,
    pub expect: Option<Expect>,
    pub about: String,
    /// How many runs the example suggests (accounting examples).
    pub runs: u32,
    pub source: &'static str,
}

/// Reads an example file's headers.
pub fn parse(id: &'static str, source: &'static str) -> Example {
    let mut ex = Example {
        id,
        title: id.to_string(),
        prog_type: ProgType::SocketFilter,
        unpriv: false,
        expect: None,
        about: String::new(),
        runs: 1,
        source,
    };
    for (k, v) in headers(source) {
        match k {
            "title" => ex.title = v.to_string(),
            "type" => ex.prog_type = ProgType::parse(v).unwrap_or(ProgType::SocketFilter),
            "mode" => ex.unpriv = v == "unpriv",
            "expect" => {
                ex.expect = Some(match v.strip_prefix("rejected:") {
                    Some(m) => Expect::Rejected(m.trim().to_string()),
                    None => Expect::Accepted,
                })
            }
            "about" => {
                if !ex.about.is_empty() {
                    ex.about.push(' ');
                }
                ex.about.push_str(v);
            }
            "runs" => ex.runs = v.parse().unwrap_or(1).clamp(1, 10_000),
            _ => {}
        }
    }
    ex
}

/// The gallery, in file-name order.
pub fn gallery() -> Vec<Example> {
    EXAMPLE_FILES.iter().map(|&(id, src)| parse(id, src)).collect()
}

pub fn find(id: &str) -> Option<Example> {
    EXAMPLE_FILES.iter().find(|(i, _)| *i == id).map(|&(i, s)| parse(i, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::verify::{check, prepare, Settings};

    #[test]
    fn gallery_has_the_examples_the_issue_asks_for() {
        let g = gallery();
        assert!(g.len() >= 12, "{} examples", g.len());
        for ex in &g {
            assert!(!ex.title.is_empty() && ex.title != ex.id, "{}: no title", ex.id);
            assert!(ex.about.len() > 40, "{}: no explanation", ex.id);
            assert!(ex.expect.is_some(), "{}: no expected verdict", ex.id);
        }
        for ty in [ProgType::SocketFilter, ProgType::Xdp, ProgType::Kprobe, ProgType::Tracepoint] {
            assert!(g.iter().any(|e| e.prog_type == ty), "no {ty:?} example");
        }
    }

    /// Every example gets the verdict its header states.
    #[test]
    fn every_example_gets_the_verdict_it_states() {
        for ex in gallery() {
            let too_large = matches!(&ex.expect, Some(Expect::Rejected(m)) if m.starts_with("BPF program is too large"));
            if too_large && std::env::var_os("BPFPLAY_SLOW").is_none() {
                // bpfplay's verifier takes minutes to walk to the complexity limit (states pile
                // up at the loop's head); set BPFPLAY_SLOW=1 to check this one too.
                eprintln!("{}: skipped (slow; BPFPLAY_SLOW=1 checks it)", ex.id);
                continue;
            }
            let p = prepare(ex.source).unwrap_or_else(|e| panic!("{}: {e:?}", ex.id));
            let settings = Settings { prog_type: ex.prog_type, unpriv: ex.unpriv, log_level: 1 };
            let c = check(&p, settings);
            let got = match &c.verdict.error {
                None => Expect::Accepted,
                Some(e) => Expect::Rejected(e.message.clone()),
            };
            assert_eq!(Some(got), ex.expect, "{}: log:\n{}", ex.id, c.verdict.log);
        }
    }

    #[test]
    fn headers_stop_at_the_first_instruction() {
        let h = headers("// title: T\n\n// about: a: b\nr0 = 0\n// late: no\nexit");
        assert_eq!(h, [("title", "T"), ("about", "a: b")]);
    }
}
