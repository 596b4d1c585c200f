//! The verifier corpus: `tests/verifier-corpus/*.s`, small programs in bpfplay's assembly with
//! the running kernel's answers beside them (`NAME.expected`, `NAME.kernel.log`), written by
//! the `kernel_oracle` binary. See `tests/verifier-corpus/README.md` for the format.
//!
//! This module only reads and writes the files; it needs no kernel, so tests comparing
//! bpfplay's verifier with the expected answers run anywhere.

use crate::kernel::{
    prog_load, prog_load_unpriv, prog_test_run, Errno, LoadResult, Map, MapKind, ProgType,
};
use bpfplay_core::{assemble, Assembled, RawInsn};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Where the corpus lives.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("verifier-corpus")
}

/// Every `*.s` file of the corpus, sorted by name.
pub fn case_paths() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "s"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A map as declared by `map NAME: KIND key=N value=N max=N [flags=N]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapSpec {
    pub name: String,
    pub kind: MapKind,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
    /// `extra=N`: `map_extra` (a bloom filter's number of hash functions).
    pub map_extra: u64,
}

impl MapSpec {
    /// Creates the map in the kernel (`BPF_MAP_CREATE`), named as declared; object
    /// storage with the BTF a loader gives it.
    pub fn create(&self) -> Result<Map, Errno> {
        let kinds =
            [MapKind::SkStorage, MapKind::InodeStorage, MapKind::TaskStorage, MapKind::CgrpStorage];
        if kinds.contains(&self.kind) {
            let (k, v, m, f) = (self.key_size, self.value_size, self.max_entries, self.flags);
            return crate::kernel::map_create_btf(self.kind, k, v, m, f, &self.name);
        }
        crate::kernel::map_create_extra(
            self.kind,
            self.key_size,
            self.value_size,
            self.max_entries,
            self.flags,
            &self.name,
            self.map_extra,
        )
    }

    /// Parses the SPEC part of a declaration (`hash key=4 value=8 max=64`).
    pub fn parse(name: &str, spec: &str) -> Result<MapSpec, String> {
        let mut words = spec.split_whitespace();
        let kind_s = words.next().ok_or("empty map spec")?;
        let kind =
            MapKind::from_name(kind_s).ok_or_else(|| format!("unknown map kind `{kind_s}`"))?;
        let mut m = MapSpec {
            name: name.to_string(),
            kind,
            key_size: 0,
            value_size: 0,
            max_entries: 0,
            flags: 0,
            map_extra: 0,
        };
        let (mut k, mut v, mut x) = (false, false, false);
        for w in words {
            let (key, val) =
                w.split_once('=').ok_or_else(|| format!("expected KEY=N, found `{w}`"))?;
            if key == "extra" {
                m.map_extra = parse_u64(val).ok_or_else(|| format!("bad number `{val}`"))?;
                continue;
            }
            let n = parse_u64(val)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| format!("bad number `{val}`"))?;
            match key {
                "key" => (m.key_size, k) = (n, true),
                "value" => (m.value_size, v) = (n, true),
                "max" => (m.max_entries, x) = (n, true),
                "flags" => m.flags = n,
                _ => return Err(format!("unknown map attribute `{key}`")),
            }
        }
        if !(k && v && x) {
            return Err("a map needs key=, value= and max=".into());
        }
        Ok(m)
    }
}

fn parse_u64(s: &str) -> Option<u64> {
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn parse_i64(s: &str) -> Option<i64> {
    match s.strip_prefix('-') {
        Some(r) => parse_u64(r).map(|n| -(n as i64)),
        None => parse_u64(s).map(|n| n as i64),
    }
}

/// A `// patch: SLOT field=V ...` header: raw fields of one slot, set after assembly (for
/// encodings the assembler cannot produce, such as reserved fields that must be zero).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch {
    pub slot: usize,
    pub code: Option<u8>,
    pub dst: Option<u8>,
    pub src: Option<u8>,
    pub off: Option<i16>,
    pub imm: Option<i32>,
}

impl Patch {
    pub fn parse(s: &str) -> Result<Patch, String> {
        let mut words = s.split_whitespace();
        let slot =
            words.next().and_then(|w| w.parse().ok()).ok_or("patch: expected a slot number")?;
        let mut p = Patch { slot, code: None, dst: None, src: None, off: None, imm: None };
        for w in words {
            let (k, v) =
                w.split_once('=').ok_or_else(|| format!("patch: expected FIELD=V, found `{w}`"))?;
            let n = parse_i64(v).ok_or_else(|| format!("patch: bad number `{v}`"))?;
            let bad = || format!("patch: {k}={v} out of range");
            match k {
                "code" => p.code = Some(u8::try_from(n).map_err(|_| bad())?),
                "dst" => p.dst = Some(u8::try_from(n).ok().filter(|&r| r < 16).ok_or_else(bad)?),
                "src" => p.src = Some(u8::try_from(n).ok().filter(|&r| r < 16).ok_or_else(bad)?),
                "off" => p.off = Some(i16::try_from(n).map_err(|_| bad())?),
                "imm" => {
                    p.imm = Some(
                        i32::try_from(n)
                            .or_else(|_| u32::try_from(n).map(|u| u as i32))
                            .map_err(|_| bad())?,
                    )
                }
                _ => return Err(format!("patch: unknown field `{k}` (code, dst, src, off, imm)")),
            }
        }
        Ok(p)
    }

    pub fn apply(&self, insns: &mut [RawInsn]) -> Result<(), String> {
        let i = insns
            .get_mut(self.slot)
            .ok_or_else(|| format!("patch: slot {} is past the end", self.slot))?;
        if let Some(v) = self.code {
            i.code = v;
        }
        if let Some(v) = self.dst {
            i.dst = v;
        }
        if let Some(v) = self.src {
            i.src = v;
        }
        if let Some(v) = self.off {
            i.off = v;
        }
        if let Some(v) = self.imm {
            i.imm = v;
        }
        Ok(())
    }
}

/// One corpus program with its headers.
#[derive(Clone, Debug)]
pub struct Case {
    /// File name without `.s`.
    pub name: String,
    pub path: PathBuf,
    pub source: String,
    pub prog_type: ProgType,
    /// `// mode: unpriv`: load without CAP_SYS_ADMIN and CAP_PERFMON (CAP_BPF kept).
    pub unpriv: bool,
    /// `// log: N`: the verifier log level to load with (default 2).
    pub log_level: u32,
    /// `// run: no`: do not test-run the accepted program (its return value is not
    /// deterministic, e.g. a pointer).
    pub run: bool,
    pub patches: Vec<Patch>,
    /// The maps, index = the `imm` of map references (= `Assembled::maps` order).
    pub maps: Vec<MapSpec>,
    pub assembled: Assembled,
    /// The program as loaded: assembled, then patched.
    pub raw: Vec<RawInsn>,
}

impl Case {
    pub fn load(path: &Path) -> Result<Case, String> {
        let source =
            std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_stem().and_then(|s| s.to_str()).ok_or("bad file name")?.to_string();
        Case::parse(&name, path, &source).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(name: &str, path: &Path, source: &str) -> Result<Case, String> {
        let mut prog_type = None;
        let mut unpriv = false;
        let mut log_level = 2;
        let mut run = true;
        let mut patches = Vec::new();
        for line in source.lines() {
            let Some(h) = line.trim().strip_prefix("//") else { continue };
            let Some((key, val)) = h.split_once(':') else { continue };
            let val = val.trim();
            match key.trim() {
                "type" => {
                    let t = ProgType::from_name(val)
                        .ok_or_else(|| format!("unknown program type `{val}`"))?;
                    if prog_type.replace(t).is_some() {
                        return Err("two `// type:` headers".into());
                    }
                }
                "mode" => match val {
                    "unpriv" => unpriv = true,
                    "priv" => unpriv = false,
                    _ => return Err(format!("unknown mode `{val}` (priv, unpriv)")),
                },
                "patch" => patches.push(Patch::parse(val)?),
                "run" => match val {
                    "no" => run = false,
                    "yes" => run = true,
                    _ => return Err(format!("bad run `{val}` (yes, no)")),
                },
                "log" => {
                    log_level = val
                        .parse()
                        .ok()
                        .filter(|l| (0..=2).contains(l))
                        .ok_or_else(|| format!("bad log level `{val}` (0, 1, 2)"))?
                }
                _ => {}
            }
        }
        let prog_type = prog_type.ok_or("missing `// type: ...` header")?;
        let assembled = assemble(source).map_err(|e| format!("assembly error: {e}"))?;
        let mut maps = Vec::new();
        for name in &assembled.maps {
            let d = assembled
                .map_decls
                .iter()
                .find(|d| &d.name == name)
                .ok_or_else(|| format!("map `{name}` is used but not declared"))?;
            maps.push(
                MapSpec::parse(&d.name, &d.spec).map_err(|e| format!("line {}: {e}", d.line))?,
            );
        }
        let mut raw = assembled.program.to_raw();
        for p in &patches {
            p.apply(&mut raw)?;
        }
        Ok(Case {
            name: name.to_string(),
            path: path.to_path_buf(),
            source: source.to_string(),
            prog_type,
            unpriv,
            log_level,
            run,
            patches,
            maps,
            assembled,
            raw,
        })
    }

    pub fn expected_path(&self) -> PathBuf {
        self.path.with_extension("expected")
    }

    pub fn log_path(&self) -> PathBuf {
        self.path.with_extension("kernel.log")
    }

    pub fn expected(&self) -> Result<Expected, String> {
        let p = self.expected_path();
        let t = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        Expected::parse(&t).map_err(|e| format!("{}: {e}", p.display()))
    }
}

/// The frame given to accepted socket-filter and XDP programs for `retval`: 64 bytes, byte i
/// = i, except an EtherType of 0x88b5 (local experimental) at bytes 12..14 so that the kernel
/// takes it as is.
pub fn test_packet() -> Vec<u8> {
    let mut p: Vec<u8> = (0..64u8).collect();
    p[12] = 0x88;
    p[13] = 0xb5;
    p
}

/// The kernel's answer to one corpus program (`NAME.expected`): lines `key: value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub accepted: bool,
    /// `EACCES`, `EINVAL`...; empty when accepted.
    pub errno: String,
    /// The kernel's message for rejected programs with a log: the first line of
    /// [`crate::kernel::error_block`] (usually the line before `processed N insns`).
    pub first_error: Option<String>,
    /// The further lines of the message block, if any (`R0 min value is outside of the
    /// allowed memory range`, `cur state: ...`); written as repeated `error_more:` lines.
    pub error_more: Vec<String>,
    pub processed_insns: Option<u64>,
    /// For accepted socket filters and XDP programs: `BPF_PROG_TEST_RUN` once on
    /// [`test_packet`] with fresh (zeroed/empty) maps.
    pub retval: Option<u32>,
}

impl Expected {
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "verdict: {}", if self.accepted { "accepted" } else { "rejected" });
        if !self.errno.is_empty() {
            let _ = writeln!(s, "errno: {}", self.errno);
        }
        if let Some(e) = &self.first_error {
            let _ = writeln!(s, "first_error: {e}");
        }
        for e in &self.error_more {
            let _ = writeln!(s, "error_more: {e}");
        }
        if let Some(n) = self.processed_insns {
            let _ = writeln!(s, "processed_insns: {n}");
        }
        if let Some(r) = self.retval {
            let _ = writeln!(s, "retval: {r}");
        }
        s
    }

    pub fn parse(text: &str) -> Result<Expected, String> {
        let mut e = Expected {
            accepted: false,
            errno: String::new(),
            first_error: None,
            error_more: Vec::new(),
            processed_insns: None,
            retval: None,
        };
        let mut verdict = false;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (k, v) = line
                .split_once(": ")
                .or_else(|| line.split_once(':'))
                .ok_or_else(|| format!("bad line `{line}`"))?;
            match k {
                "verdict" => {
                    e.accepted = match v {
                        "accepted" => true,
                        "rejected" => false,
                        _ => return Err(format!("bad verdict `{v}`")),
                    };
                    verdict = true;
                }
                "errno" => e.errno = v.to_string(),
                "first_error" => e.first_error = Some(v.to_string()),
                "error_more" => e.error_more.push(v.to_string()),
                "processed_insns" => {
                    e.processed_insns = Some(v.parse().map_err(|_| format!("bad count `{v}`"))?)
                }
                "retval" => e.retval = Some(v.parse().map_err(|_| format!("bad retval `{v}`"))?),
                _ => return Err(format!("unknown key `{k}`")),
            }
        }
        if !verdict {
            return Err("missing verdict".into());
        }
        Ok(e)
    }
}

/// Loads one case into the running kernel (creating its maps, unprivileged-like where the
/// case says so) and test-runs it where accepted: the kernel's answer and verifier log.
/// `Err` where a map cannot be created or the log is too large to keep.
pub fn ask_kernel(case: &Case) -> Result<(Expected, String), String> {
    let mut maps: Vec<Map> = Vec::new();
    for m in &case.maps {
        maps.push(m.create().map_err(|e| format!("creating map `{}`: {e}", m.name))?);
    }
    let r: LoadResult = if case.unpriv {
        prog_load_unpriv(case.prog_type, &case.raw, case.log_level, &maps)?
    } else {
        prog_load(case.prog_type, &case.raw, case.log_level, &maps)
    };
    let mut retval = None;
    if let Some(fd) = &r.fd {
        if case.run && matches!(case.prog_type, ProgType::SocketFilter | ProgType::Xdp) {
            let (rv, _) =
                prog_test_run(fd, &test_packet(), 1).map_err(|e| format!("test run: {e}"))?;
            retval = Some(rv);
        }
    }
    let block = if r.accepted { Vec::new() } else { crate::kernel::error_block(&r.log) };
    let e = Expected {
        accepted: r.accepted,
        errno: if r.accepted { String::new() } else { Errno(r.errno).name() },
        first_error: block.first().cloned(),
        error_more: block.iter().skip(1).cloned().collect(),
        processed_insns: r.processed_insns(),
        retval,
    };
    if r.log.len() > MAX_LOG_BYTES {
        return Err(format!(
            "the verifier log is {} bytes; add `// log: 1` (or shrink the program)",
            r.log.len()
        ));
    }
    Ok((e, r.log))
}

/// The log with kernel addresses (`0xffff` and 12 more hex digits: the map pointer that an
/// `LD_IMM64` of a map shows) replaced by `0xffff…`, as they differ from load to load.
pub fn mask_addresses(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut rest = log;
    while let Some(i) = rest.find("0xffff") {
        out.push_str(&rest[..i + 6]);
        let tail = &rest[i + 6..];
        let n = tail.bytes().take_while(|b| b.is_ascii_hexdigit()).count();
        if n == 12 {
            out.push('…');
            rest = &tail[12..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Logs kept in the repository stay small.
pub const MAX_LOG_BYTES: usize = 4 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_maps_and_patches() {
        let src = "// type: xdp\n// mode: unpriv\n// patch: 1 off=1 imm=0xffffffff\nmap m: array key=4 value=8 max=1\nr1 = map[m] ll\nw0 = 0\nexit\n";
        let c = Case::parse("t", Path::new("t.s"), src).unwrap();
        assert_eq!(c.prog_type, ProgType::Xdp);
        assert!(c.unpriv);
        assert_eq!(
            c.maps,
            vec![MapSpec {
                name: "m".into(),
                kind: MapKind::Array,
                key_size: 4,
                value_size: 8,
                max_entries: 1,
                flags: 0,
                map_extra: 0
            }]
        );
        assert_eq!((c.raw[1].off, c.raw[1].imm), (1, -1));
        assert_eq!(
            Case::parse("t", Path::new("t.s"), "r0 = 0\nexit\n").unwrap_err(),
            "missing `// type: ...` header"
        );
        assert_eq!(
            Case::parse("t", Path::new("t.s"), "// type: xdp\nr1 = map[nope] ll\nexit\n")
                .unwrap_err(),
            "map `nope` is used but not declared"
        );
    }

    #[test]
    fn expected_round_trip() {
        let e = Expected {
            accepted: false,
            errno: "EACCES".into(),
            first_error: Some("R0 !read_ok".into()),
            error_more: vec!["a: b".into(), "c".into()],
            processed_insns: Some(1),
            retval: None,
        };
        assert_eq!(Expected::parse(&e.to_text()).unwrap(), e);
        let a = Expected {
            accepted: true,
            errno: String::new(),
            first_error: None,
            error_more: Vec::new(),
            processed_insns: Some(3),
            retval: Some(2),
        };
        assert_eq!(Expected::parse(&a.to_text()).unwrap(), a);
    }
}
