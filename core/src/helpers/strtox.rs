//! `bpf_strtol` and `bpf_strtoul` (kernel/bpf/helpers.c, `__bpf_strtoull`): a number at the
//! start of a buffer that need not end in NUL, in base 8, 10 or 16 or told by its prefix.

/// The base bits of `flags` (BPF_STRTOX_BASE_MASK); other bits are invalid.
const BASE_MASK: u64 = 0x1f;
const EINVAL: i64 = 22;
const ERANGE: i64 = 34;

/// What the helper returns (characters consumed, or -errno) and the value to store.
pub(crate) fn strtox(buf: &[u8], flags: u64, signed: bool) -> (i64, u64) {
    match parse(buf, flags) {
        Err(e) => (-e, 0),
        Ok((n, v, neg)) => {
            if signed {
                if neg {
                    // -v must be negative (or zero) as an s64.
                    let r = (v as i64).wrapping_neg();
                    if r > 0 {
                        return (-ERANGE, 0);
                    }
                    (n, r as u64)
                } else if (v as i64) < 0 {
                    (-ERANGE, 0)
                } else {
                    (n, v)
                }
            } else if neg {
                (-EINVAL, 0)
            } else {
                (n, v)
            }
        }
    }
}

/// `__bpf_strtoull`: (consumed, value, negative) or an errno.
fn parse(buf: &[u8], flags: u64) -> Result<(i64, u64, bool), i64> {
    let mut base = (flags & BASE_MASK) as u32;
    if buf.is_empty() || !matches!(base, 0 | 8 | 10 | 16) || flags & !BASE_MASK != 0 {
        return Err(EINVAL);
    }
    // isspace: space, \t \n \v \f \r.
    let mut i = buf.iter().take_while(|&&c| c == b' ' || (9..=13).contains(&c)).count();
    let neg = buf.get(i) == Some(&b'-');
    if neg {
        i += 1;
    }
    if i == buf.len() {
        return Err(EINVAL);
    }
    // The kernel copies at most 63 characters into a NUL-terminated string.
    let s = &buf[i..buf.len().min(i + 63)];
    let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
    // _parse_integer_fixup_radix.
    let x_then_digit = s.len() >= 3 && s[1] | 0x20 == b'x' && s[2].is_ascii_hexdigit();
    if base == 0 {
        base = if s.first() == Some(&b'0') {
            if x_then_digit {
                16
            } else {
                8
            }
        } else {
            10
        };
    }
    let mut start = 0;
    if base == 16 && s.len() >= 2 && s[0] == b'0' && s[1] | 0x20 == b'x' {
        start = 2;
    }
    // _parse_integer: digits of the base; an overflow is remembered, digits still counted.
    let (mut v, mut overflow, mut n) = (0u64, false, 0usize);
    for &c in &s[start..] {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'a'..=b'f' => (c - b'a' + 10) as u32,
            b'A'..=b'F' => (c - b'A' + 10) as u32,
            _ => break,
        };
        if d >= base {
            break;
        }
        match v.checked_mul(base as u64).and_then(|x| x.checked_add(d as u64)) {
            Some(x) => v = x,
            None => overflow = true,
        }
        n += 1;
    }
    if overflow {
        return Err(ERANGE);
    }
    if n == 0 {
        return Err(EINVAL);
    }
    Ok(((i + start + n) as i64, v, neg))
}

#[cfg(test)]
mod tests {
    use super::strtox;

    #[test]
    fn numbers_bases_signs_and_errors() {
        assert_eq!(strtox(b"  123abc", 10, false), (5, 123));
        assert_eq!(strtox(b"0x1f", 0, false), (4, 31));
        assert_eq!(strtox(b"0x1f", 16, false), (4, 31));
        assert_eq!(strtox(b"017", 0, false), (3, 15));
        assert_eq!(strtox(b"-42", 10, true), (3, (-42i64) as u64));
        assert_eq!(strtox(b"-42", 10, false), (-22, 0));
        assert_eq!(strtox(b"abc", 10, false), (-22, 0));
        assert_eq!(strtox(b"12", 7, false), (-22, 0));
        assert_eq!(strtox(b"12", 0x100 | 10, false), (-22, 0));
        assert_eq!(strtox(b"   ", 10, false), (-22, 0));
        assert_eq!(strtox(b"99999999999999999999", 10, false), (-34, 0));
        assert_eq!(strtox(b"9223372036854775808", 10, true), (-34, 0));
        assert_eq!(strtox(b"-9223372036854775808", 10, true), (20, i64::MIN as u64));
        // The buffer's length bounds the number, not a NUL.
        assert_eq!(strtox(b"12345", 10, false), (5, 12345));
        assert_eq!(strtox(&b"12345"[..2], 10, false), (2, 12));
    }
}
