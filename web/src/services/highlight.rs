//! Syntax highlighting for the editor: each line split into classed pieces (comments,
//! registers, numbers, keywords, sizes, labels, helpers, map declarations). Purely lexical
//! and forgiving: anything it does not know is plain text.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Comment,
    Register,
    Number,
    Keyword,
    Size,
    Label,
    Name,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Plain => "",
            Kind::Comment => "tok-comment",
            Kind::Register => "tok-reg",
            Kind::Number => "tok-num",
            Kind::Keyword => "tok-kw",
            Kind::Size => "tok-size",
            Kind::Label => "tok-label",
            Kind::Name => "tok-name",
        }
    }
}

const KEYWORDS: &[&str] = &[
    "if",
    "goto",
    "gotol",
    "call",
    "exit",
    "lock",
    "ll",
    "map",
    "map_value",
    "skb",
    "be16",
    "be32",
    "be64",
    "le16",
    "le32",
    "le64",
    "bswap16",
    "bswap32",
    "bswap64",
    "atomic_fetch_add",
    "atomic64_fetch_add",
    "atomic64_xchg",
    "atomic64_cmpxchg",
    "mov",
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "and",
    "or",
    "xor",
    "lsh",
    "rsh",
    "arsh",
    "neg",
    "ja",
    "jeq",
    "jne",
    "jgt",
    "jge",
    "jlt",
    "jle",
    "jset",
    "jsgt",
    "jsge",
    "jslt",
    "jsle",
    "lddw",
    "ldxw",
    "ldxh",
    "ldxb",
    "ldxdw",
    "stw",
    "sth",
    "stb",
    "stdw",
    "stxw",
    "stxh",
    "stxb",
    "stxdw",
];
const SIZES: &[&str] = &["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"];
const MAP_KINDS: &[&str] =
    &["hash", "array", "percpu_hash", "percpu_array", "lru_hash", "ringbuf", "prog_array"];

fn is_register(w: &str) -> bool {
    let w = w.strip_prefix('%').unwrap_or(w);
    let digits = w.strip_prefix('r').or_else(|| w.strip_prefix('w'));
    matches!(digits, Some(d) if !d.is_empty() && d.len() <= 2 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Where a comment starts: `//`, `;`, or `#` at the start or after a space.
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    (0..b.len()).find(|&i| {
        (b[i] == b'/' && b.get(i + 1) == Some(&b'/'))
            || b[i] == b';'
            || (b[i] == b'#' && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t'))
    })
}

/// The pieces of one line, in order; joined they give the line back.
pub fn line(text: &str) -> Vec<(Kind, &str)> {
    let (code, comment) = match comment_start(text) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let mut spans: Vec<(Kind, usize, usize)> = Vec::new();
    let is_map_decl = code.trim_start().starts_with("map ") && code.contains(':');
    let mut prev_word = "";
    let mut i = 0;
    let b = code.as_bytes();
    while i < b.len() {
        let c = b[i];
        let start = i;
        let kind = if c.is_ascii_alphabetic() || c == b'_' || c == b'%' {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let w = &code[start..i];
            let label = b.get(i) == Some(&b':') && code[..start].trim().is_empty() && !is_map_decl;
            if label {
                i += 1;
                Kind::Label
            } else if is_register(w) {
                Kind::Register
            } else if SIZES.contains(&w) {
                Kind::Size
            } else if prev_word == "call"
                || (is_map_decl && prev_word == "map")
                || code[..start].ends_with('[')
            {
                Kind::Name
            } else if KEYWORDS.contains(&w) || (is_map_decl && MAP_KINDS.contains(&w)) {
                Kind::Keyword
            } else {
                Kind::Plain
            }
        } else if c.is_ascii_digit() {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            Kind::Number
        } else {
            i += 1;
            while i < b.len() && !(b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'%') {
                i += 1;
            }
            Kind::Plain
        };
        let piece = &code[start..i];
        if piece.trim().chars().any(|ch| ch.is_alphanumeric()) {
            prev_word = piece;
        }
        match spans.last_mut() {
            Some((k, _, end)) if *k == kind && kind == Kind::Plain => *end = i,
            _ => spans.push((kind, start, i)),
        }
    }
    let mut out: Vec<(Kind, &str)> = spans.into_iter().map(|(k, a, e)| (k, &code[a..e])).collect();
    if !comment.is_empty() {
        out.push((Kind::Comment, comment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Kind, String)> {
        line(s)
            .into_iter()
            .filter(|(k, _)| *k != Kind::Plain)
            .map(|(k, t)| (k, t.to_string()))
            .collect()
    }

    #[test]
    fn pieces_join_back_to_the_line() {
        for l in [
            "    r0 = *(u32 *)(r1 +4)   // load",
            "loop: if r1 < 10 goto loop",
            "map counts: hash key=4 value=8 max=64",
            "ldxw %r0, [%r1+4] # uBPF",
            "call bpf_map_lookup_elem",
            "r1 = map[counts] ll ; é",
            "",
        ] {
            assert_eq!(line(l).iter().map(|(_, s)| *s).collect::<String>(), l);
        }
    }

    #[test]
    fn tokens_are_classed() {
        let k = kinds("loop: if r1 < 0x10 goto loop // x");
        assert_eq!(k[0], (Kind::Label, "loop:".into()));
        assert!(k.contains(&(Kind::Register, "r1".into())));
        assert!(k.contains(&(Kind::Number, "0x10".into())));
        assert!(k.contains(&(Kind::Keyword, "goto".into())));
        assert_eq!(k.last().unwrap(), &(Kind::Comment, "// x".into()));
        let k = kinds("call bpf_map_lookup_elem");
        assert_eq!(k[1], (Kind::Name, "bpf_map_lookup_elem".into()));
        let k = kinds("r0 = *(u64 *)(r10 -8)");
        assert!(k.contains(&(Kind::Size, "u64".into())));
        let k = kinds("map counts: hash key=4");
        assert_eq!(k[0], (Kind::Keyword, "map".into()));
        assert_eq!(k[1], (Kind::Name, "counts".into()));
        assert_eq!(k[2], (Kind::Keyword, "hash".into()));
    }
}
