//! Line tokenizer shared by both assembly syntaxes.

use alloc::string::String;
use alloc::vec::Vec;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// Identifiers, including uBPF registers (`%r1`) and dotted names.
    Ident(String),
    /// A number as written (no sign); `hex` tells how, for range rules.
    Num { value: u128, hex: bool },
    /// Operators and punctuation, longest match first (`s>>=`, `<<=`, `+=`, `(`...).
    Punct(&'static str),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    /// 1-based column of the first character.
    pub col: usize,
    /// The text as written, for error messages.
    pub text: String,
}

const PUNCTS: &[&str] = &[
    "s>>=", "s<=", "s>=", "s/=", "s%=", "<<=", ">>=", "s<", "s>", "+=", "-=", "*=", "/=", "%=",
    "|=", "&=", "^=", "==", "!=", "<=", ">=", "(", ")", "[", "]", "*", "+", "-", "=", "<", ">",
    "&", ",", ":", "#", "!", "|", "^", "/", "%", "~",
];

/// Tokenizes one line, after comments were removed. `Err((col, msg))` on a stray character.
pub fn lex(line: &str) -> Result<Vec<Token>, (usize, String)> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let col_of =
        |ci: usize| line[..chars.get(ci).map(|c| c.0).unwrap_or(line.len())].chars().count() + 1;
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let byte_start = chars[i].0;
        let is_ident_start = |c: char| c.is_ascii_alphabetic() || c == '_' || c == '.';
        let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
        // `s<`, `s>=` ... are operators only where an identifier `s...` cannot be.
        let op_s = c == 's'
            && chars.get(i + 1).map(|x| matches!(x.1, '<' | '>' | '/' | '%')).unwrap_or(false);
        if (is_ident_start(c) && !op_s)
            || (c == '%' && chars.get(i + 1).map(|x| x.1.is_ascii_alphabetic()).unwrap_or(false))
        {
            i += 1;
            while i < chars.len() && is_ident(chars[i].1) {
                i += 1;
            }
            let end = chars.get(i).map(|c| c.0).unwrap_or(line.len());
            let text = String::from(&line[byte_start..end]);
            out.push(Token { tok: Tok::Ident(text.clone()), col: col_of(start), text });
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].1.is_ascii_alphanumeric() || chars[i].1 == '_') {
                i += 1;
            }
            let end = chars.get(i).map(|c| c.0).unwrap_or(line.len());
            let text = &line[byte_start..end];
            let clean: String = text.chars().filter(|&c| c != '_').collect();
            let (digits, radix, hex) =
                if let Some(h) = clean.strip_prefix("0x").or_else(|| clean.strip_prefix("0X")) {
                    (h, 16, true)
                } else if let Some(b) = clean.strip_prefix("0b") {
                    (b, 2, false)
                } else {
                    (clean.as_str(), 10, false)
                };
            let value = if digits.is_empty() || digits.len() > 40 {
                None
            } else {
                u128::from_str_radix(digits, radix).ok()
            };
            match value {
                Some(value) => out.push(Token {
                    tok: Tok::Num { value, hex },
                    col: col_of(start),
                    text: String::from(text),
                }),
                None => return Err((col_of(start), alloc::format!("`{text}` is not a number"))),
            }
            continue;
        }
        let rest = &line[byte_start..];
        match PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            Some(p) => {
                i += p.chars().count();
                out.push(Token { tok: Tok::Punct(p), col: col_of(start), text: String::from(*p) });
            }
            None => return Err((col_of(start), alloc::format!("unexpected character `{c}`"))),
        }
    }
    Ok(out)
}

/// Cuts comments off a line: `//` and `;` anywhere, `#` at the start or after a space
/// (so `call bpf_map_lookup_elem#1` keeps its `#1`).
pub fn strip_comment(line: &str) -> &str {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == ';' || (c == '/' && line[i..].starts_with("//")) || (c == '#' && prev_space) {
            return &line[..i];
        }
        prev_space = c.is_whitespace();
    }
    line
}
