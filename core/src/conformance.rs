//! The `.data` files of the bpf_conformance suite: parsing, and running one through the
//! interpreter with the suite's conventions.
//!
//! A file is a sequence of sections, each opened by a `-- NAME` line:
//!
//! | section | content |
//! |---|---|
//! | `-- asm` | uBPF-style assembly (kept verbatim for the assembler) |
//! | `-- raw` | the program: lines of 8 hex bytes (`b7 00 00 00 01 00 00 00`), or one `0x…` 64-bit little-endian integer per instruction |
//! | `-- mem` | the input memory as hex bytes, over any number of lines |
//! | `-- result` | the expected `r0` (hex when it starts with `0x`, else decimal) |
//! | `-- error` | the program must be refused or fail; the text, if any, is upstream's message |
//! | `-- no register offset` | informational: the program does not read its input through `r1` |
//! | `-- c` | the C source (ignored) |
//!
//! Lines starting with `#` are comments (in `-- asm` the assembler strips them itself). An
//! unknown `-- NAME` line is an error, except inside `-- asm`, where it stays part of the
//! assembly (and the assembler refuses it: `negative/invalid_unknown_directive.data`).
//!
//! Run convention ([`run`]): `r1` = address of the memory, `r2` = its length, `r10` = stack
//! top; helper 5 is "unwind" ([`ConformanceHost`]). As in the upstream runner, `r1`/`r2` are
//! set even under `-- no register offset` (`mem-len.data` reads `r2` under it).

use crate::asm::{assemble, AsmError};
use crate::isa::decode::{decode_bytes, DecodeError};
use crate::isa::Program;
use crate::vm::{HelperResult, Host, HostError, Memory, Vm, VmError};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// One parsed `.data` file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestFile {
    /// The `-- asm` section verbatim.
    pub asm: Option<String>,
    /// 1-based line of the file where the assembly starts (for messages).
    pub asm_line: usize,
    /// The `-- raw` section as bytes (8 per instruction).
    pub raw: Option<Vec<u8>>,
    /// The `-- mem` section.
    pub mem: Vec<u8>,
    /// The `-- result` value.
    pub result: Option<u64>,
    /// `Some` when the file has `-- error` (with its text, possibly empty).
    pub error: Option<String>,
    pub no_register_offset: bool,
    /// The `-- c` section verbatim.
    pub c: Option<String>,
}

/// A malformed `.data` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    Asm,
    Raw,
    Mem,
    Result,
    Error,
    NoRegisterOffset,
    C,
}

fn parse_hex_byte(tok: &str) -> Option<u8> {
    let t = tok.strip_prefix("0x").or_else(|| tok.strip_prefix("0X")).unwrap_or(tok);
    if t.is_empty() || t.len() > 2 {
        return None;
    }
    u8::from_str_radix(t, 16).ok()
}

/// Parses a number: hex with `0x`, else decimal (a leading `-` gives the two's complement).
fn parse_u64(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).ok();
    }
    if let Some(d) = s.strip_prefix('-') {
        let v: u64 = d.parse().ok()?;
        if v > 1u64 << 63 {
            return None;
        }
        return Some(v.wrapping_neg());
    }
    s.parse().ok()
}

/// Parses the text of a `.data` file.
pub fn parse(text: &str) -> Result<TestFile, ParseError> {
    let mut t = TestFile::default();
    let mut section = Section::Preamble;
    let mut asm = String::new();
    let mut c = String::new();
    let mut error_text: Vec<&str> = Vec::new();
    let mut raw: Vec<u8> = Vec::new();
    let mut result_line: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let ln = i + 1;
        let err = |message: String| ParseError { line: ln, message };
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("--") {
            let name = name.trim();
            let known = matches!(
                name,
                "asm" | "raw" | "mem" | "result" | "error" | "no register offset" | "c"
            );
            if !known && section == Section::Asm {
                // Left to the assembler, which refuses it as an unknown directive.
                asm.push_str(line);
                asm.push('\n');
                continue;
            }
            section = match name {
                "asm" => Section::Asm,
                "raw" => Section::Raw,
                "mem" => Section::Mem,
                "result" => Section::Result,
                "error" => Section::Error,
                "no register offset" => Section::NoRegisterOffset,
                "c" => Section::C,
                _ => return Err(err(format!("unknown section `-- {name}`"))),
            };
            match section {
                Section::Asm => {
                    if t.asm.is_some() {
                        return Err(err("a second `-- asm` section".into()));
                    }
                    t.asm = Some(String::new());
                    t.asm_line = ln + 1;
                }
                Section::Raw => {
                    if t.raw.is_some() {
                        return Err(err("a second `-- raw` section".into()));
                    }
                    t.raw = Some(Vec::new());
                }
                Section::Error => t.error = Some(String::new()),
                Section::NoRegisterOffset => t.no_register_offset = true,
                Section::C => t.c = Some(String::new()),
                _ => {}
            }
            continue;
        }
        match section {
            Section::Asm => {
                asm.push_str(line);
                asm.push('\n');
                continue;
            }
            Section::C => {
                c.push_str(line);
                c.push('\n');
                continue;
            }
            _ => {}
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match section {
            Section::Preamble => {
                return Err(err(format!("text before the first section: `{trimmed}`")))
            }
            Section::Asm | Section::C | Section::NoRegisterOffset => {}
            Section::Raw => {
                for tok in trimmed.split_whitespace() {
                    if tok.starts_with("0x") || tok.starts_with("0X") {
                        if !raw.len().is_multiple_of(8) {
                            return Err(err(format!(
                                "`{tok}` starts an instruction in the middle of the previous one"
                            )));
                        }
                        let v = parse_u64(tok)
                            .ok_or_else(|| err(format!("bad 64-bit instruction `{tok}`")))?;
                        raw.extend_from_slice(&v.to_le_bytes());
                    } else {
                        raw.push(
                            parse_hex_byte(tok)
                                .ok_or_else(|| err(format!("bad hex byte `{tok}`")))?,
                        );
                    }
                }
            }
            Section::Mem => {
                for tok in trimmed.split_whitespace() {
                    t.mem.push(
                        parse_hex_byte(tok)
                            .ok_or_else(|| err(format!("bad hex byte `{tok}` in memory")))?,
                    );
                }
            }
            Section::Result => {
                if let Some(prev) = result_line {
                    return Err(err(format!("a second result (the first is on line {prev})")));
                }
                t.result =
                    Some(parse_u64(trimmed).ok_or_else(|| err(format!("bad result `{trimmed}`")))?);
                result_line = Some(ln);
            }
            Section::Error => error_text.push(trimmed),
        }
    }
    if let Some(a) = t.asm.as_mut() {
        *a = asm;
    }
    if let Some(cc) = t.c.as_mut() {
        *cc = c;
    }
    if let Some(r) = t.raw.as_mut() {
        if !raw.len().is_multiple_of(8) {
            return Err(ParseError {
                line: 0,
                message: format!("`-- raw` has {} bytes, not a multiple of 8", raw.len()),
            });
        }
        *r = raw;
    }
    if let Some(e) = t.error.as_mut() {
        *e = error_text.join("\n");
    }
    Ok(t)
}

/// Why a file's program could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgramError {
    /// Neither `-- asm` nor `-- raw` (or they are empty).
    NoInstructions,
    Asm(AsmError),
    Decode(DecodeError),
}

impl fmt::Display for ProgramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProgramError::NoInstructions => f.write_str("no instructions"),
            ProgramError::Asm(e) => write!(f, "assembler: {e}"),
            ProgramError::Decode(e) => write!(f, "decoder: {e}"),
        }
    }
}

fn has_code(asm: &str) -> bool {
    asm.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#')
    })
}

impl TestFile {
    /// Whether the file has a program at all.
    pub fn has_program(&self) -> bool {
        self.asm.as_deref().is_some_and(has_code)
            || self.raw.as_ref().is_some_and(|r| !r.is_empty())
    }

    /// The program: assembled from `-- asm`, or decoded from `-- raw` when there is no
    /// assembly.
    pub fn program(&self) -> Result<Program, ProgramError> {
        match (&self.asm, &self.raw) {
            (Some(a), _) if has_code(a) => {
                self.assemble().unwrap_or(Err(ProgramError::NoInstructions))
            }
            (_, Some(r)) if !r.is_empty() => decode_bytes(r).map_err(ProgramError::Decode),
            _ => Err(ProgramError::NoInstructions),
        }
    }

    /// The `-- asm` section assembled (`None` without one); error lines are the file's.
    /// The suite's label `exit` is defined as upstream's assembler does ([`implicit_exit_label`]).
    pub fn assemble(&self) -> Option<Result<Program, ProgramError>> {
        let a = self.asm.as_ref()?;
        Some(assemble(&implicit_exit_label(a)).map(|a| a.program).map_err(|mut e| {
            e.line += self.asm_line.saturating_sub(1);
            ProgramError::Asm(e)
        }))
    }
}

/// The part of an assembly line before its comment (`#`, `//` or `;`).
fn code_of(line: &str) -> &str {
    let end = [line.find('#'), line.find("//"), line.find(';')]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(line.len());
    &line[..end]
}

/// The upstream suite's assembler (bpf_conformance `bpf_assembler.cc`) defines a label `exit`
/// at the first `exit` instruction, and 69 of its files jump to it (`jne %r0, %r1, exit`)
/// without defining it. Unless the source defines `exit:` itself, this labels the first
/// line whose instruction is `exit` (as `exit: exit`, so line numbers stay).
pub fn implicit_exit_label(asm: &str) -> alloc::borrow::Cow<'_, str> {
    use alloc::borrow::Cow;
    let words = |l: &str| -> Vec<String> {
        // Split `a:b` label syntax into `a:` and `b` so labels before an instruction show.
        code_of(l).replace(':', ": ").split_whitespace().map(String::from).collect()
    };
    if asm.lines().any(|l| words(l).iter().any(|w| w == "exit:")) {
        return Cow::Borrowed(asm);
    }
    let first_exit = asm.lines().position(|l| {
        let w = words(l);
        let rest: Vec<&String> = w.iter().skip_while(|w| w.ends_with(':')).collect();
        rest.len() == 1 && rest[0] == "exit"
    });
    let Some(at) = first_exit else { return Cow::Borrowed(asm) };
    let mut out = String::with_capacity(asm.len() + 6);
    for (i, l) in asm.lines().enumerate() {
        if i == at {
            out.push_str("exit: ");
        }
        out.push_str(l);
        out.push('\n');
    }
    Cow::Owned(out)
}

/// The helpers of the conformance suite's runners: 5 is "unwind" (returns `r1`; when `r1` is
/// 0 the program stops and returns 0).
#[derive(Clone, Copy, Debug, Default)]
pub struct ConformanceHost;

/// The id of the "unwind" helper.
pub const HELPER_UNWIND: u32 = 5;

impl Host for ConformanceHost {
    fn call_helper(
        &mut self,
        id: u32,
        args: [u64; 5],
        _mem: &mut Memory,
    ) -> Result<HelperResult, HostError> {
        match id {
            HELPER_UNWIND if args[0] == 0 => Ok(HelperResult::Exit(0)),
            HELPER_UNWIND => Ok(HelperResult::Return(args[0])),
            _ => Err(HostError::UnknownHelper),
        }
    }
}

/// Runs `program` with `mem` as its input memory and the suite's helpers; returns `r0`.
pub fn run(program: Program, mem: &[u8]) -> Result<u64, VmError> {
    let mut vm = Vm::new(program)?;
    vm.set_input(mem);
    vm.run(&mut ConformanceHost)
}

/// The outcome of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail(String),
    /// The file cannot be a test (no instructions, or neither result nor error).
    Skip(String),
}

/// Builds, runs and judges one file: with `-- result` it passes when the program builds and
/// returns that `r0`; with `-- error` when building or running fails.
pub fn check(t: &TestFile) -> Verdict {
    if !t.has_program() {
        return Verdict::Skip("no instructions".into());
    }
    if t.result.is_none() && t.error.is_none() {
        return Verdict::Skip("neither `-- result` nor `-- error`".into());
    }
    let program = match t.program() {
        Ok(p) => p,
        Err(_) if t.error.is_some() => return Verdict::Pass,
        Err(e) => return Verdict::Fail(e.to_string()),
    };
    match (run(program, &t.mem), t.result) {
        (Ok(r0), _) if t.error.is_some() => {
            Verdict::Fail(format!("expected an error, but the program returned {r0:#x}"))
        }
        (Ok(r0), Some(want)) if r0 == want => Verdict::Pass,
        (Ok(r0), Some(want)) => Verdict::Fail(format!("returned {r0:#x}, expected {want:#x}")),
        (Ok(_), None) => Verdict::Skip("no expected result".into()),
        (Err(_), _) if t.error.is_some() => Verdict::Pass,
        (Err(e), _) => Verdict::Fail(format!("run failed: {e}")),
    }
}

/// Parses and checks the text of one file.
pub fn check_text(text: &str) -> Verdict {
    match parse(text) {
        Ok(t) => check(&t),
        Err(e) => Verdict::Fail(format!("malformed file: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections() {
        let t = parse(
            "# header\n-- asm\nmov %r0, 1\n# comment\nexit\n-- raw\nb7 00 00 00 01 00 00 00\n0x0000000000000095\n-- mem\n00 01\n0a\n-- result\n0x1\n-- no register offset\nanything\n-- c\nint x;\n",
        )
        .unwrap();
        assert_eq!(t.asm.as_deref(), Some("mov %r0, 1\n# comment\nexit\n"));
        assert_eq!(t.asm_line, 3);
        assert_eq!(
            t.raw.as_deref(),
            Some(&[0xb7, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0][..])
        );
        assert_eq!(t.mem, [0, 1, 10]);
        assert_eq!(t.result, Some(1));
        assert!(t.no_register_offset);
        assert_eq!(t.c.as_deref(), Some("int x;\n"));
        assert_eq!(t.error, None);
        assert_eq!(check(&t), Verdict::Pass);
        assert_eq!(t.assemble().unwrap().unwrap(), decode_bytes(t.raw.as_ref().unwrap()).unwrap());
    }

    #[test]
    fn results_and_errors() {
        assert_eq!(parse("-- result\n42\n").unwrap().result, Some(42));
        assert_eq!(parse("-- result\n-1\n").unwrap().result, Some(u64::MAX));
        let bad = |line: usize, message: &str| Err(ParseError { line, message: message.into() });
        assert_eq!(parse("-- result\nzz\n"), bad(2, "bad result `zz`"));
        assert_eq!(parse("-- result\n1\n2\n"), bad(3, "a second result (the first is on line 2)"));
        assert_eq!(parse("-- bogus\n"), bad(1, "unknown section `-- bogus`"));
        assert_eq!(parse("-- result\n1\n-- bogus\n"), bad(3, "unknown section `-- bogus`"));
        let t = parse("-- asm\n-- Unknown directive\n-- error\nInvalid register").unwrap();
        assert_eq!(t.asm.as_deref(), Some("-- Unknown directive\n"));
        assert!(matches!(t.program(), Err(ProgramError::Asm(_))));
        assert_eq!(check(&t), Verdict::Pass);
        assert_eq!(
            parse("-- raw\n95 00 00\n"),
            bad(0, "`-- raw` has 3 bytes, not a multiple of 8")
        );
        assert_eq!(
            parse("-- raw\n95 0x0000000000000095\n"),
            bad(2, "`0x0000000000000095` starts an instruction in the middle of the previous one")
        );
        let t =
            parse("-- raw\n04 10 00 00 01 00 00 00\n95 00 00 00 00 00 00 00\n-- error\n").unwrap();
        assert_eq!(t.error.as_deref(), Some(""));
        assert!(matches!(t.program(), Err(ProgramError::Decode(_))));
        assert_eq!(check(&t), Verdict::Pass);
        let t =
            parse("-- asm\nlock or [%r10-8]\nexit\n-- error\nInvalid number of operands for lock")
                .unwrap();
        assert_eq!(t.error.as_deref(), Some("Invalid number of operands for lock"));
        assert_eq!(check(&t), Verdict::Pass);
        // A run-time failure satisfies `-- error`; success does not.
        assert_eq!(check_text("-- asm\nldxw %r0, [%r1]\nexit\n-- error\n"), Verdict::Pass);
        assert!(matches!(check_text("-- asm\nmov %r0, 0\nexit\n-- error\n"), Verdict::Fail(_)));
        assert!(matches!(check_text("-- result\n0x0\n"), Verdict::Skip(_)));
        assert!(matches!(check_text("-- asm\nexit\n"), Verdict::Skip(_)));
        assert!(
            matches!(check_text("-- asm\nmov %r0, 2\nexit\n-- result\n3"), Verdict::Fail(m) if m == "returned 0x2, expected 0x3")
        );
    }

    #[test]
    fn asm_errors_carry_file_lines() {
        let t = parse("# c\n-- asm\nmov %r0, 1\nbogus %r0\n-- result\n1\n").unwrap();
        match t.program() {
            Err(ProgramError::Asm(e)) => assert_eq!(e.line, 4),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exit_label() {
        let a = "jeq %r0, 0, exit\nmov %r0, 1\nexit # done\nexit\n";
        assert_eq!(
            implicit_exit_label(a),
            "jeq %r0, 0, exit\nmov %r0, 1\nexit: exit # done\nexit\n"
        );
        let a = "ja exit\nexit\nexit:\nmov %r0, 2\nexit\n";
        assert_eq!(implicit_exit_label(a), a);
        assert_eq!(implicit_exit_label("l: exit\n"), "exit: l: exit\n");
        assert_eq!(implicit_exit_label("mov %r0, 1\n"), "mov %r0, 1\n");
        // The jump goes to the first exit.
        let t =
            parse("-- asm\nmov %r0, 3\nja exit\nmov %r0, 4\nexit\nmov %r0, 5\nexit\n-- result\n3")
                .unwrap();
        assert_eq!(check(&t), Verdict::Pass);
    }

    #[test]
    fn unwind_helper() {
        let t = parse("-- asm\nmov %r1, 0\ncall 5\nmov %r0, 2\nexit\n-- result\n0").unwrap();
        assert_eq!(check(&t), Verdict::Pass);
        let t = parse("-- asm\nmov %r1, 3\ncall 5\nexit\n-- result\n3").unwrap();
        assert_eq!(check(&t), Verdict::Pass);
        let t = parse("-- asm\nmov %r1, 3\ncall 6\nexit\n-- result\n3").unwrap();
        assert!(matches!(check(&t), Verdict::Fail(m) if m.contains("unknown helper 6")));
    }

    #[test]
    fn memory_and_length() {
        let t = parse(
            "-- asm\nldxh %r0, [%r1+1]\nadd %r0, %r2\nexit\n-- mem\n01 02 03\n-- result\n0x305",
        )
        .unwrap();
        assert_eq!(check(&t), Verdict::Pass);
    }
}
