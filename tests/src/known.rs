//! Known disagreements with the kernel, as data: instead of a percentage floor, a test lists
//! the cases that are known to disagree, each with what disagrees and why, and fails both when
//! a case not on its list disagrees and when a listed case agrees again (so that the list stays
//! true).
//!
//! The files (`tests/verifier-corpus/KNOWN.txt`, `tests/verifier-corpus/fuzz/KNOWN-DISAGREEMENTS`,
//! `tests/verifier-corpus/KNOWN-RANDOM.txt`, `tests/selftests/KNOWN.txt`) hold one entry a
//! line, three fields separated by tabs:
//!
//! ```text
//! NAME<TAB>WHAT<TAB>REASON
//! ```
//!
//! `NAME` is the case (the corpus file name without `.s`, `priv-SEED` / `unpriv-SEED` for a
//! generated program, `OBJECT/PROGRAM@MODE` for a selftest), `WHAT` one of [`ASPECTS`],
//! `REASON` one line of free text. Lines
//! starting with `#` and empty lines are comments.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What can disagree: the verdict, the first error message, the processed-instruction
/// count, the level-1 log, the level-2 log, and whether bpfplay can load the program at all
/// (`load`: an ELF object whose program bpfplay's loader refuses; tests/selftests), and a
/// test run's return value (`run`: tests/selftests).
pub const ASPECTS: &[&str] = &["verdict", "message", "processed", "log1", "log2", "load", "run"];

/// One listed disagreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub what: String,
    pub reason: String,
}

/// A known-disagreement file.
#[derive(Clone, Debug)]
pub struct Known {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

/// A disagreement a test observed: the case, the aspect, and what each side said.
#[derive(Clone, Debug)]
pub struct Observed {
    pub name: String,
    pub what: &'static str,
    pub detail: String,
}

impl Observed {
    pub fn new(name: &str, what: &'static str, detail: String) -> Observed {
        assert!(ASPECTS.contains(&what), "unknown aspect {what}");
        Observed { name: name.to_string(), what, detail }
    }
}

impl Known {
    /// Reads and checks a file; a missing file is an empty list. Panics on a malformed line.
    pub fn load(path: &Path) -> Known {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        Known::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Known {
        let mut entries: Vec<Entry> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let at = format!("{}:{}", path.display(), i + 1);
            assert!(f.len() == 3, "{at}: want NAME<TAB>WHAT<TAB>REASON, got {line:?}");
            assert!(
                ASPECTS.contains(&f[1]),
                "{at}: WHAT must be one of {ASPECTS:?}, not {:?}",
                f[1]
            );
            assert!(!f[0].is_empty() && !f[2].trim().is_empty(), "{at}: empty name or reason");
            let e = Entry { name: f[0].into(), what: f[1].into(), reason: f[2].trim().into() };
            assert!(
                !entries.iter().any(|o| o.name == e.name && o.what == e.what),
                "{at}: {} {} is listed twice",
                e.name,
                e.what
            );
            entries.push(e);
        }
        Known { path: path.to_path_buf(), entries }
    }

    /// The entries for the aspects `whats`.
    pub fn of<'a>(&'a self, whats: &'a [&str]) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| whats.contains(&e.what.as_str()))
    }

    /// Compares what a test observed (for the aspects `whats`) with the list: prints the
    /// known disagreements seen, and returns, as an error text, the disagreements not on the
    /// list and the listed ones that were not seen (they agree now: take them off).
    pub fn compare(&self, whats: &[&str], observed: &[Observed]) -> Result<(), String> {
        for o in observed {
            assert!(whats.contains(&o.what), "{} observed outside {whats:?}", o.what);
        }
        let listed = |o: &Observed| self.of(whats).find(|e| e.name == o.name && e.what == o.what);
        let mut unexpected = String::new();
        for o in observed {
            match listed(o) {
                Some(e) => println!("  known, {} {}: {} ({})", o.name, o.what, o.detail, e.reason),
                None => {
                    let _ = writeln!(unexpected, "  {}\t{}\t{}", o.name, o.what, o.detail);
                }
            }
        }
        let mut stale = String::new();
        for e in self.of(whats) {
            if !observed.iter().any(|o| o.name == e.name && o.what == e.what) {
                let _ = writeln!(stale, "  {}\t{}\t{}", e.name, e.what, e.reason);
                println!(
                    "  now agrees (remove it from {}): {} {}",
                    self.path.display(),
                    e.name,
                    e.what
                );
            }
        }
        let mut msg = String::new();
        if !unexpected.is_empty() {
            let _ = write!(
                msg,
                "disagreements not listed in {} (fix them, or list them with a reason):\n{unexpected}",
                self.path.display()
            );
        }
        if !stale.is_empty() {
            let _ = write!(
                msg,
                "listed in {} but agreeing now (remove these lines):\n{stale}",
                self.path.display()
            );
        }
        if msg.is_empty() {
            Ok(())
        } else {
            Err(msg)
        }
    }

    /// [`Known::compare`], panicking with its text.
    pub fn check(&self, whats: &[&str], observed: &[Observed]) {
        if let Err(msg) = self.compare(whats, observed) {
            panic!("{msg}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_fail_both_ways() {
        let k = Known::parse(
            Path::new("K"),
            "# comment\n\na\tlog2\tkernel prints X\nb\tprocessed\tprunes less\n",
        );
        assert_eq!(k.entries.len(), 2);
        let a = Observed::new("a", "log2", "line 3".into());
        let b = Observed::new("b", "processed", "kernel 3, bpfplay 4".into());
        let c = Observed::new("c", "log2", "line 1".into());
        assert_eq!(k.compare(&["log2", "processed"], &[a.clone(), b.clone()]), Ok(()));
        // Only the aspects asked about count.
        assert_eq!(k.compare(&["log2"], std::slice::from_ref(&a)), Ok(()));
        let e = k.compare(&["log2"], &[a.clone(), c]).unwrap_err();
        assert!(e.starts_with("disagreements not listed in K"), "{e}");
        assert!(e.contains("  c\tlog2\tline 1\n"), "{e}");
        let e = k.compare(&["log2", "processed"], &[b]).unwrap_err();
        assert!(e.starts_with("listed in K but agreeing now"), "{e}");
        assert!(e.contains("  a\tlog2\tkernel prints X\n"), "{e}");
    }

    #[test]
    #[should_panic(expected = "K:1: WHAT must be one of")]
    fn a_bad_aspect_is_refused() {
        Known::parse(Path::new("K"), "a\tlogs\twhy\n");
    }
}
