//! Comparing verifier logs with the kernel's, line for line: what both sides' logs are reduced
//! to first (tests/tests/verifier_logs.rs, tests/tests/selftests_corpus.rs).

/// `(18) r1 = 0xffff888...` / `0x0` / `map[NAME]` / `map_value[NAME]+N` -> `(18) r1 = <map>`.
pub fn normalise(log: &str, has_maps: bool) -> Vec<String> {
    log.lines()
        .filter(|l| {
            !l.starts_with("mark_precise:") && !is_liveness_debug(l) && !l.trim().is_empty()
        })
        .map(|l| {
            let mut s = l.to_string();
            if let Some(i) = s.find("(18) r") {
                if let Some(eq) = s[i..].find(" = ") {
                    let start = i + eq + 3;
                    let end = s[start..].find([' ', ';']).map(|e| start + e).unwrap_or(s.len());
                    let v = &s[start..end];
                    if v.starts_with("map") || (has_maps && (v.starts_with("0xffff") || v == "0x0"))
                    {
                        s.replace_range(start..end, "<map>");
                    }
                }
            }
            s.trim_end().to_string()
        })
        .collect()
}

/// 6.18's stack-liveness lines: `(0) frame 0 insn 5 +live -8`, `(2,5) frame 0 insn 6 +written -8`.
pub fn is_liveness_debug(l: &str) -> bool {
    let Some(rest) = l.strip_prefix('(') else { return false };
    let Some(end) = rest.find(')') else { return false };
    !rest[..end].is_empty() && rest[..end].chars().all(|c| c.is_ascii_digit() || c == ',')
}

/// The first differing line: `line N: ours "..." kernel "..."`.
pub fn first_diff(a: &[String], b: &[String]) -> String {
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i), b.get(i));
        if x != y {
            return format!("line {}: ours {:?} kernel {:?}", i + 1, x, y);
        }
    }
    String::new()
}

/// The selftests corpus' masking of kernel addresses (tests/selftests/loader.c `keep_log`):
/// `0xffff` followed by exactly 12 more hex digits becomes `0xffff…`.
pub fn mask_addresses(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut rest = log;
    while let Some(i) = rest.find("0xffff") {
        out.push_str(&rest[..i + 6]);
        let after = &rest[i + 6..];
        let h = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        if h == 12 {
            out.push('…');
            rest = &after[12..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}
