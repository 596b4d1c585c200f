//! A cursor over one line's tokens, with the small parsers both syntaxes share.

use super::lex::{Tok, Token};
use super::AsmError;
use alloc::format;
use alloc::string::String;

pub struct Cursor<'a> {
    toks: &'a [Token],
    pos: usize,
    line: usize,
    end_col: usize,
}

/// uBPF mnemonics, so a line can be told apart from pseudo-C by its first word.
const UBPF_WORDS: &[&str] = &[
    "add", "sub", "mul", "div", "sdiv", "or", "and", "lsh", "rsh", "neg", "mod", "smod", "xor",
    "mov", "arsh", "le16", "le32", "le64", "be16", "be32", "be64", "bswap16", "bswap32", "bswap64",
    "swap16", "swap32", "swap64", "lddw", "ja", "jeq", "jgt", "jge", "jlt", "jle", "jset", "jne",
    "jsgt", "jsge", "jslt", "jsle", "ja32",
];

impl<'a> Cursor<'a> {
    pub fn new(toks: &'a [Token], line: usize, end_col: usize) -> Self {
        Cursor { toks, pos: 0, line, end_col }
    }

    pub fn peek(&self) -> Option<&'a Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }
    pub fn peek_at(&self, n: usize) -> Option<&'a Tok> {
        self.toks.get(self.pos + n).map(|t| &t.tok)
    }
    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }
    pub fn col(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.col).unwrap_or(self.end_col)
    }
    pub fn prev_col(&self) -> usize {
        self.toks.get(self.pos.saturating_sub(1)).map(|t| t.col).unwrap_or(1)
    }
    fn found(&self) -> String {
        match self.toks.get(self.pos) {
            Some(t) => format!("`{}`", t.text),
            None => String::from("end of line"),
        }
    }
    pub fn error_at(&self, col: usize, message: String) -> AsmError {
        AsmError { line: self.line, col, message }
    }
    /// "expected X, found Y" at the current token.
    pub fn expected(&self, what: &str) -> AsmError {
        self.error_at(self.col(), format!("expected {what}, found {}", self.found()))
    }

    pub fn bump(&mut self) {
        self.pos += 1;
    }
    pub fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    pub fn expect(&mut self, p: &str) -> Result<(), AsmError> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{p}`")))
        }
    }
    pub fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(s)) if s == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    pub fn ident(&mut self) -> Option<&'a str> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                self.pos += 1;
                Some(s.as_str())
            }
            _ => None,
        }
    }
    pub fn expect_end(&self) -> Result<(), AsmError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self
                .error_at(self.col(), format!("unexpected {} after the instruction", self.found())))
        }
    }

    /// A `name:` label definition.
    pub fn label(&mut self) -> Option<String> {
        if let (Some(Tok::Ident(s)), Some(Tok::Punct(":"))) = (self.peek(), self.peek_at(1)) {
            if !s.starts_with('%') {
                self.pos += 2;
                return Some(s.clone());
            }
        }
        None
    }

    /// Does the line use the uBPF syntax? (Its first word is a mnemonic, or an operand is `%rN`.)
    pub fn looks_ubpf(&self) -> bool {
        if self.toks[self.pos..]
            .iter()
            .any(|t| matches!(&t.tok, Tok::Ident(s) if s.starts_with('%')))
        {
            return true;
        }
        match self.peek() {
            Some(Tok::Ident(w)) => {
                let w = w.as_str();
                if w == "lock" {
                    return !matches!(self.peek_at(1), Some(Tok::Punct("*")));
                }
                if w == "call" {
                    return matches!(self.peek_at(1), Some(Tok::Ident(l)) if l == "local");
                }
                UBPF_WORDS.contains(&w)
                    || w.strip_suffix("32").map(|b| UBPF_WORDS.contains(&b)).unwrap_or(false)
                    || ((w.starts_with("ldx")
                        || w.starts_with("stx")
                        || w.starts_with("st")
                        || w.starts_with("ldabs")
                        || w.starts_with("ldind")
                        || w.starts_with("movsx"))
                        && !matches!(self.peek_at(1), Some(Tok::Punct(_))))
            }
            _ => false,
        }
    }

    /// A number with an optional sign, as i128.
    pub fn number(&mut self) -> Option<(i128, bool)> {
        let save = self.pos;
        let neg = if self.eat("-") {
            true
        } else if self.eat("+") {
            // `r1 + -4`, as the kernel prints a negative LD_IND immediate.
            self.eat("-")
        } else {
            false
        };
        match self.peek() {
            Some(Tok::Num { value, hex }) => {
                self.pos += 1;
                let v = *value as i128;
                Some((if neg { -v } else { v }, *hex))
            }
            _ => {
                self.pos = save;
                None
            }
        }
    }

    /// A 32-bit immediate: decimal within i32, hex within u32 (as the conformance suite rules).
    pub fn imm32(&mut self) -> Result<i32, AsmError> {
        let col = self.col();
        let (v, hex) = self.number().ok_or_else(|| self.expected("a number"))?;
        imm32_of(v, hex).ok_or_else(|| {
            self.error_at(col, format!("immediate {} does not fit in 32 bits", show(v, hex)))
        })
    }

    /// A 16-bit offset.
    pub fn off16(&mut self) -> Result<i16, AsmError> {
        let col = self.col();
        let (v, hex) = self.number().ok_or_else(|| self.expected("an offset"))?;
        i16::try_from(v).map_err(|_| {
            self.error_at(col, format!("offset {} does not fit in 16 bits", show(v, hex)))
        })
    }
}

pub fn show(v: i128, hex: bool) -> String {
    if hex {
        if v < 0 {
            format!("-{:#x}", -v)
        } else {
            format!("{v:#x}")
        }
    } else {
        format!("{v}")
    }
}

pub fn imm32_of(v: i128, hex: bool) -> Option<i32> {
    if let Ok(x) = i32::try_from(v) {
        return Some(x);
    }
    if hex && (0..=u32::MAX as i128).contains(&v) {
        return Some(v as u32 as i32);
    }
    None
}
