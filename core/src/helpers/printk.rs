//! `bpf_trace_printk`'s format rules and output, as Linux 6.18 applies them
//! (kernel/bpf/helpers.c `bpf_bprintf_prepare` checks the format, lib/vsprintf.c
//! `bstr_printf` prints it), checked against the running kernel's trace output.
//!
//! Accepted: plain text (printable ASCII, whitespace, bytes >= 0x80), `%%`, and at most
//! three conversions, each `%[0 +-]*[width]` then `d i u x X` (with `l` or `ll`), `c`, `s`,
//! `p` `pK` `px` `ps` `pS` `pB` `pks` `pus` `pI4` `pi4` `pI6` `pi6`. Anything else (a
//! precision, `%#x`, `%hd`, a fourth argument, a control character...) makes the helper
//! return -EINVAL. The helper returns the length of the message.
//!
//! Pointers: the kernel prints `%p` and `%pK` as a hash of the pointer with a key chosen at
//! boot; bpfplay prints a deterministic hash instead (same form: 16 hex digits, the upper 8
//! zero). NULL prints as zeros and error pointers (the last 4095 addresses) as they are, as
//! in the kernel. No kernel symbols exist, so `%ps` `%pS` `%pB` print `0x` and the address.

use alloc::vec::Vec;

/// `MAX_BPRINTF_BUF`: the message is cut to 1023 bytes (the return value is not).
pub const MAX_MESSAGE: usize = 1023;
/// `MAX_BPRINTF_BIN_ARGS`: room for the binary arguments (strings included).
const MAX_BIN_ARGS: usize = 512;
/// `MAX_TRACE_PRINTK_VARARGS`.
pub const MAX_ARGS: usize = 3;
pub const EINVAL: i32 = 22;
pub const ENOSPC: i32 = 28;

/// Where a `%s` string comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrKind {
    /// `%s`: user memory below `TASK_SIZE`, kernel memory above.
    Auto,
    /// `%pks`.
    Kernel,
    /// `%pus`.
    User,
}

/// The memory the formatter reads.
pub trait PrintkMemory {
    /// A NUL-terminated string at `addr`: at most `max` bytes before the NUL are returned
    /// (the kernel stops there); `None` when the memory cannot be read.
    fn read_str(&self, addr: u64, kind: StrKind, max: usize) -> Option<Vec<u8>>;
    /// `len` bytes of kernel memory at `addr` (for `%pI4`/`%pI6`).
    fn read_kernel(&self, addr: u64, len: usize) -> Option<Vec<u8>>;
    /// The hashed form of a pointer for `%p`/`%pK` (a 32-bit value).
    fn hash_ptr(&self, ptr: u64) -> u32;
}

#[derive(Clone, Copy, Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
}

fn is_punct(c: u8) -> bool {
    c.is_ascii_punctuation()
}

fn is_space(c: u8) -> bool {
    // C isspace: space, \t \n \v \f \r.
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn ends_conversion(c: u8) -> bool {
    c == 0 || is_space(c) || is_punct(c)
}

fn pad(out: &mut Vec<u8>, s: &[u8], spec: Spec) {
    let w = spec.width.unwrap_or(0);
    let fill = w.saturating_sub(s.len());
    if !spec.left {
        out.extend(core::iter::repeat_n(b' ', fill));
    }
    out.extend_from_slice(s);
    if spec.left {
        out.extend(core::iter::repeat_n(b' ', fill));
    }
}

/// vsprintf's `number()` for the conversions bpf allows.
fn number(out: &mut Vec<u8>, v: u64, signed: bool, hex: Option<bool>, spec: Spec) {
    let (neg, mag) =
        if signed && (v as i64) < 0 { (true, (v as i64).unsigned_abs()) } else { (false, v) };
    let digits: Vec<u8> = match hex {
        Some(upper) => {
            let s = alloc::format!("{mag:x}");
            if upper {
                s.to_ascii_uppercase().into_bytes()
            } else {
                s.into_bytes()
            }
        }
        None => alloc::format!("{mag}").into_bytes(),
    };
    let sign: &[u8] = if !signed {
        b""
    } else if neg {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    let w = spec.width.unwrap_or(0);
    let len = sign.len() + digits.len();
    let fill = w.saturating_sub(len);
    if spec.left {
        out.extend_from_slice(sign);
        out.extend_from_slice(&digits);
        out.extend(core::iter::repeat_n(b' ', fill));
    } else if spec.zero {
        out.extend_from_slice(sign);
        out.extend(core::iter::repeat_n(b'0', fill));
        out.extend_from_slice(&digits);
    } else {
        out.extend(core::iter::repeat_n(b' ', fill));
        out.extend_from_slice(sign);
        out.extend_from_slice(&digits);
    }
}

/// A pointer printed by `%p`, `%pK` (hashed) or `%px` (raw).
fn pointer(out: &mut Vec<u8>, v: u64, hashed: bool, mut spec: Spec, mem: &dyn PrintkMemory) {
    let shown = if !hashed || v == 0 || v > u64::MAX - 4095 { v } else { mem.hash_ptr(v) as u64 };
    if spec.width.is_none() {
        spec.width = Some(16);
        spec.zero = true;
    }
    number(out, shown, false, Some(false), spec);
}

fn ip(out: &mut Vec<u8>, bytes: &[u8], upper: bool, six: bool, spec: Spec) {
    let s = if !six {
        if upper {
            alloc::format!("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3])
        } else {
            alloc::format!("{:03}.{:03}.{:03}.{:03}", bytes[0], bytes[1], bytes[2], bytes[3])
        }
    } else {
        let mut s = alloc::string::String::new();
        for (i, pair) in bytes.chunks(2).enumerate() {
            if upper && i > 0 {
                s.push(':');
            }
            s.push_str(&alloc::format!("{:02x}{:02x}", pair[0], pair[1]));
        }
        s
    };
    pad(out, s.as_bytes(), spec);
}

/// Formats `fmt` (the helper's `fmt`, `fmt_size` bytes, which must contain a NUL) with
/// `args`: the message and the helper's return value (the message's full length), or the
/// negative errno the helper returns.
pub fn format(fmt: &[u8], args: &[u64], mem: &dyn PrintkMemory) -> Result<(Vec<u8>, usize), i32> {
    let Some(end) = fmt.iter().position(|&b| b == 0) else { return Err(-EINVAL) };
    let f = &fmt[..end];
    let at = |i: usize| f.get(i).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut nspec = 0usize;
    let mut bin_used = 0usize;
    let mut i = 0;
    while i < f.len() {
        let c = f[i];
        if c.is_ascii() && !(c.is_ascii_graphic() || c == b' ') && !is_space(c) {
            return Err(-EINVAL);
        }
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        if at(i + 1) == b'%' {
            out.push(b'%');
            i += 2;
            continue;
        }
        if nspec >= args.len().min(MAX_ARGS) {
            return Err(-EINVAL);
        }
        let arg = args[nspec];
        i += 1;
        if !at(i).is_ascii() {
            return Err(-EINVAL);
        }
        let mut spec = Spec::default();
        loop {
            match at(i) {
                b'0' => spec.zero = true,
                b'+' => spec.plus = true,
                b'-' => spec.left = true,
                b' ' => spec.space = true,
                _ => break,
            }
            i += 1;
        }
        if (b'1'..=b'9').contains(&at(i)) {
            let mut w = 0usize;
            while at(i).is_ascii_digit() {
                w = w.saturating_mul(10).saturating_add((at(i) - b'0') as usize);
                i += 1;
            }
            spec.width = Some(w);
        }
        match at(i) {
            b'p' => {
                let n = at(i + 1);
                if ends_conversion(n) {
                    bin_used = bin_used.next_multiple_of(4) + 8;
                    pointer(&mut out, arg, true, spec, mem);
                    i += 1;
                } else if (n == b'k' || n == b'u') && at(i + 2) == b's' {
                    if !ends_conversion(at(i + 3)) {
                        return Err(-EINVAL);
                    }
                    let kind = if n == b'k' { StrKind::Kernel } else { StrKind::User };
                    string(&mut out, arg, kind, spec, &mut bin_used, mem)?;
                    i += 3;
                } else if matches!(n, b'K' | b'x' | b's' | b'S') {
                    bin_used = bin_used.next_multiple_of(4) + 8;
                    match n {
                        b'K' => pointer(&mut out, arg, true, spec, mem),
                        b'x' => pointer(&mut out, arg, false, spec, mem),
                        _ => pad(&mut out, alloc::format!("0x{arg:x}").as_bytes(), spec),
                    }
                    i += 2;
                } else if n == b'B' {
                    let s = alloc::format!("0x{arg:x}");
                    bin_used += s.len() + 1;
                    pad(&mut out, s.as_bytes(), spec);
                    i += 2;
                } else if (n == b'i' || n == b'I') && (at(i + 2) == b'4' || at(i + 2) == b'6') {
                    let six = at(i + 2) == b'6';
                    let len = if six { 16 } else { 4 };
                    if MAX_BIN_ARGS - bin_used < len {
                        return Err(-ENOSPC);
                    }
                    let bytes = mem.read_kernel(arg, len).unwrap_or_else(|| alloc::vec![0; len]);
                    let before = out.len();
                    ip(&mut out, &bytes, n == b'I', six, spec);
                    bin_used += out.len() - before + 1;
                    i += 3;
                } else {
                    return Err(-EINVAL);
                }
                // bstr_printf skips letters and digits right after a pointer conversion.
                while at(i).is_ascii_alphanumeric() {
                    i += 1;
                }
            }
            b's' => {
                if !ends_conversion(at(i + 1)) {
                    return Err(-EINVAL);
                }
                string(&mut out, arg, StrKind::Auto, spec, &mut bin_used, mem)?;
                i += 1;
            }
            b'c' => {
                if bin_used == MAX_BIN_ARGS {
                    return Err(-ENOSPC);
                }
                bin_used += 1;
                pad(&mut out, &[arg as u8], spec);
                i += 1;
            }
            _ => {
                let mut long = 0;
                while at(i) == b'l' && long < 2 {
                    long += 1;
                    i += 1;
                }
                let conv = at(i);
                if !matches!(conv, b'i' | b'd' | b'u' | b'x' | b'X') {
                    return Err(-EINVAL);
                }
                let wide = long > 0;
                bin_used = bin_used.next_multiple_of(4) + if wide { 8 } else { 4 };
                if bin_used > MAX_BIN_ARGS {
                    return Err(-ENOSPC);
                }
                let v = if wide {
                    arg
                } else if matches!(conv, b'i' | b'd') {
                    arg as u32 as i32 as i64 as u64
                } else {
                    arg as u32 as u64
                };
                let hex = match conv {
                    b'x' => Some(false),
                    b'X' => Some(true),
                    _ => None,
                };
                number(&mut out, v, matches!(conv, b'i' | b'd'), hex, spec);
                i += 1;
            }
        }
        nspec += 1;
    }
    let len = out.len();
    out.truncate(MAX_MESSAGE);
    Ok((out, len))
}

fn string(
    out: &mut Vec<u8>,
    addr: u64,
    kind: StrKind,
    spec: Spec,
    bin_used: &mut usize,
    mem: &dyn PrintkMemory,
) -> Result<(), i32> {
    let room = MAX_BIN_ARGS - *bin_used;
    if room == 0 {
        return Err(-ENOSPC);
    }
    let s = mem.read_str(addr, kind, room - 1).unwrap_or_default();
    *bin_used += s.len() + 1;
    pad(out, &s, spec);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    /// Memory as in the kernel measurements: a string at 0x1000 in kernel memory.
    struct Mem;
    impl PrintkMemory for Mem {
        fn read_str(&self, addr: u64, _: StrKind, max: usize) -> Option<Vec<u8>> {
            (addr == 0xffff_0000_0000_1000).then(|| b"kstr".iter().copied().take(max).collect())
        }
        fn read_kernel(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
            (addr == 0xffff_0000_0000_1000).then(|| (1..=len as u8).collect())
        }
        fn hash_ptr(&self, _: u64) -> u32 {
            0x64c4cfd3
        }
    }

    fn f(fmt: &str, args: [u64; 3]) -> Result<(String, usize), i32> {
        let mut b = fmt.as_bytes().to_vec();
        b.push(0);
        format(&b, &args, &Mem).map(|(m, n)| (String::from_utf8(m).unwrap(), n))
    }

    fn ok(fmt: &str, args: [u64; 3], want: &str) {
        let (m, n) = f(fmt, args).unwrap_or_else(|e| panic!("{fmt}: {e}"));
        assert_eq!(m, want, "{fmt}");
        assert_eq!(n, want.len(), "{fmt}");
    }

    const NEG5: u64 = -5i64 as u64;

    /// Each case was printed by Linux 6.18's bpf_trace_printk (see the module docs).
    #[test]
    fn as_the_kernel_prints() {
        ok("hello", [0; 3], "hello");
        ok("hello\n", [0; 3], "hello\n");
        ok("x=%d y=%u z=%x", [NEG5, 0xfffffffffffffff0, 0x41], "x=-5 y=4294967280 z=41");
        ok("%i %X", [NEG5, 0xfffffffffffffff0, 0], "-5 FFFFFFF0");
        ok("%%d %c%c", [0x41, 0x142, 0], "%d AB");
        ok("%p", [NEG5, 0, 0], "fffffffffffffffb");
        ok("%px %pK", [NEG5, 0xfffffffffffffff0, 0], "fffffffffffffffb fffffffffffffff0");
        ok("%ps", [NEG5, 0, 0], "0xfffffffffffffffb");
        ok("%10x|%-10lx|", [NEG5, 0xfffffffffffffff0, 0], "  fffffffb|fffffffffffffff0|");
        ok("caf\u{e9}", [0; 3], "caf\u{e9}");
        ok("tab\there", [0; 3], "tab\there");
        ok("%5d|%-5d|%05d", [42, 42, 42], "   42|42   |00042");
        ok("%+d|% d|%+x", [42, 42, 42], "+42| 42|2a");
        ok("%s|", [0, 0, 0], "|");
        ok("%p|%px", [0x41, 0, 0], "0000000064c4cfd3|0000000000000000");
        ok("%3c|%-3c|", [0x41, 0x42, 0], "  A|B  |");
        ok("%pB", [0x41, 0, 0], "0x41");
        ok("%u %d", [0xffffffff80000000, 0x1ffffffff, 0], "2147483648 -1");
        ok("%lu %ld", [0xffffffff80000000, 0x1ffffffff, 0], "18446744071562067968 8589934591");
        ok("%0-5d|%-05d|", [7, 7, 0], "7    |7    |");
        ok("%x %X %lX", [255, 255, 255], "ff FF FF");
        ok("%lld", [0x8000000000000000, 0, 0], "-9223372036854775808");
        ok("%llu|%lli", [u64::MAX, u64::MAX, 0], "18446744073709551615|-1");
        ok("%p|%pK|", [0, 0, 0], "0000000000000000|0000000000000000|");
        ok("%pKab|%pxy z", [0x1000, 0x1000, 0], "0000000064c4cfd3|0000000000001000 z");
        ok("%p", [0xfffffffffffff001, 0, 0], "fffffffffffff001");
        ok("%p", [0xfffffffffffff000, 0, 0], "0000000064c4cfd3");
        ok("%pi4", [0, 0, 0], "000.000.000.000");
        ok("%12p|", [0, 0, 0], "           0|");
        ok("%s %5s|%-5s|", [0xffff_0000_0000_1000; 3], "kstr  kstr|kstr |");
        ok("%pI4 %pi4", [0xffff_0000_0000_1000; 3], "1.2.3.4 001.002.003.004");
        ok("%pI4c!", [0xffff_0000_0000_1000; 3], "1.2.3.4!");
        ok("%pI6", [0xffff_0000_0000_1000; 3], "0102:0304:0506:0708:090a:0b0c:0d0e:0f10");
        ok("%pi6", [0xffff_0000_0000_1000; 3], "0102030405060708090a0b0c0d0e0f10");
    }

    #[test]
    fn refused_as_the_kernel_refuses() {
        for fmt in [
            "%ld %lu %lx %lld",
            "%d %d %d %d",
            "%.2d",
            "%q",
            "bell\x07",
            "%lli %hd",
            "%llx%",
            "%08lx|%#x",
            "%pa",
            "a%",
            "%pIx",
            "%sx",
            "%pS %ps %pK %pB",
        ] {
            assert_eq!(f(fmt, [0; 3]), Err(-EINVAL), "{fmt}");
        }
        // No NUL within fmt_size.
        assert_eq!(format(b"abc", &[0; 3], &Mem), Err(-EINVAL));
        // Text after the NUL is ignored.
        assert_eq!(format(b"ab\0%q", &[0; 3], &Mem).map(|r| r.1), Ok(2));
    }
}
