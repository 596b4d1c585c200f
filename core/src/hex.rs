//! Hex text for bytes, one module for the CLI, the web app and the tests.
//!
//! Encoding: [`encode`] gives contiguous lowercase digits (`0a1b`, as `bpfplay run` prints
//! keys and values), [`encode_spaced`] separates the bytes with one space (`0a 1b`, as the
//! web app's map inspector and listing show them).
//!
//! Decoding: [`decode`] is lenient about layout: whitespace, commas, colons and underscores
//! separate digits anywhere (`00 11`, `00:11`, `00,11`, `00_11`), and each separated word may
//! start with `0x` (or `0X`): `0x0011 0x22`. What is left must be an even number of hex
//! digits, read two by two; otherwise a [`DecodeError`] says what is wrong and where.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `bytes` as contiguous lowercase hex: `[0x0a, 0x1b]` is `0a1b`.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// `bytes` as lowercase hex, one space between bytes: `[0x0a, 0x1b]` is `0a 1b`.
pub fn encode_spaced(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, &b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Why [`decode`] refused its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// An odd number of hex digits (`digits`, separators and `0x` prefixes left out).
    OddDigits {
        /// How many digits there were.
        digits: usize,
        /// The text given, trimmed.
        text: String,
    },
    /// A character that is neither a hex digit nor a separator, in the pair of digits that
    /// would have been a byte.
    NotHex {
        /// The pair (two characters) holding the offending character.
        pair: String,
        /// The offending character.
        ch: char,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::OddDigits { digits, text } => {
                write!(f, "odd number of hex digits ({digits}) in `{text}`")
            }
            DecodeError::NotHex { pair, ch } => write!(f, "`{pair}` is not hex (`{ch}`)"),
        }
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | '_')
}

fn digit(c: char) -> Option<u8> {
    c.to_digit(16).map(|d| d as u8)
}

/// Bytes from hex text, leniently laid out (see the module documentation).
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let mut digits: Vec<char> = Vec::with_capacity(text.len());
    for word in text.split(is_separator) {
        let word = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")).unwrap_or(word);
        digits.extend(word.chars());
    }
    if !digits.len().is_multiple_of(2) {
        return Err(DecodeError::OddDigits { digits: digits.len(), text: text.trim().into() });
    }
    digits
        .chunks_exact(2)
        .map(|p| match (digit(p[0]), digit(p[1])) {
            (Some(h), Some(l)) => Ok(h << 4 | l),
            (h, _) => Err(DecodeError::NotHex {
                pair: p.iter().collect(),
                ch: if h.is_none() { p[0] } else { p[1] },
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn encodes_contiguous_and_spaced() {
        assert_eq!(encode(&[]), "");
        assert_eq!(encode(&[0x00, 0x0a, 0xff, 0x1b]), "000aff1b");
        assert_eq!(encode_spaced(&[]), "");
        assert_eq!(encode_spaced(&[0x7f]), "7f");
        assert_eq!(encode_spaced(&[0x00, 0x0a, 0xff]), "00 0a ff");
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).unwrap(), all);
        assert_eq!(decode(&encode_spaced(&all)).unwrap(), all);
    }

    #[test]
    fn decodes_leniently() {
        assert_eq!(decode("").unwrap(), vec![]);
        assert_eq!(decode("  \n").unwrap(), vec![]);
        assert_eq!(decode("0011aAfF").unwrap(), vec![0x00, 0x11, 0xaa, 0xff]);
        assert_eq!(decode(" 00 11\t22\n").unwrap(), vec![0, 0x11, 0x22]);
        assert_eq!(decode("00:11,22_33").unwrap(), vec![0, 0x11, 0x22, 0x33]);
        assert_eq!(decode("0x0011 0x22, 0X33").unwrap(), vec![0, 0x11, 0x22, 0x33]);
        assert_eq!(decode("b7  00  ").unwrap(), vec![0xb7, 0]);
        // Digits of one byte may be split by separators.
        assert_eq!(decode("0 0 1 1").unwrap(), vec![0, 0x11]);
        assert_eq!(decode("0x").unwrap(), vec![]);
    }

    #[test]
    fn errors_name_the_offending_text() {
        let e = decode(" abc ").unwrap_err();
        assert_eq!(e, DecodeError::OddDigits { digits: 3, text: "abc".into() });
        assert_eq!(e.to_string(), "odd number of hex digits (3) in `abc`");
        let e = decode("00zz").unwrap_err();
        assert_eq!(e, DecodeError::NotHex { pair: "zz".into(), ch: 'z' });
        assert_eq!(e.to_string(), "`zz` is not hex (`z`)");
        assert_eq!(decode("0g").unwrap_err(), DecodeError::NotHex { pair: "0g".into(), ch: 'g' });
        // `0x` only as a word's prefix; not UTF-8-boundary sensitive.
        assert_eq!(decode("000x").unwrap_err(), DecodeError::NotHex { pair: "0x".into(), ch: 'x' });
        assert_eq!(
            decode("aé1").unwrap_err(),
            DecodeError::OddDigits { digits: 3, text: "aé1".into() }
        );
        assert_eq!(decode("aé").unwrap_err(), DecodeError::NotHex { pair: "aé".into(), ch: 'é' });
        assert!(decode("-1").is_err());
    }
}
