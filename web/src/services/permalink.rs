//! Permalinks: the playground's whole state in the URL fragment, compressed, with no server.
//!
//! `#p=<base64url(deflate(fields))>`, where the fields are `name LEN:VALUE` records (a name of
//! lowercase letters, digits, `.` or `_`, a space, the value's length in bytes, `:`, the
//! value). Records: `src` the source, `type` (`socket_filter`, `xdp`, `kprobe`, `tracepoint`),
//! `mode` (`priv`/`unpriv`), `log` (`1`/`2`), `step` (verified, at this step), `tab`, and
//! `in.*` for the run panel's inputs and map entries. Unknown records are ignored.
//!
//! Decoding treats the fragment as hostile: every step is bounded (fragment length, inflated
//! size, source size), every failure is an error message, and nothing decoded is ever put on
//! the page as markup (the page shows text only).

use super::verify::Settings;
use base64::engine::GeneralPurpose;
use base64::Engine as _;
use bpfplay_core::ProgType;
use std::collections::BTreeMap;

/// Longest fragment accepted (browsers keep URLs of a few megabytes; this is plenty).
pub const MAX_FRAGMENT: usize = 512 * 1024;
/// Largest decompressed state.
pub const MAX_STATE: usize = 1024 * 1024;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub source: String,
    pub settings: Settings,
    /// Verified and at this step when opened.
    pub step: Option<usize>,
    /// Was the program verified (so the link opens with the verdict)?
    pub verified: bool,
    pub tab: String,
    /// Run inputs and map entries, by name (`in.packet`, `in.pid`, ...).
    pub inputs: BTreeMap<String, String>,
}

fn push(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.push(b' ');
    out.extend_from_slice(value.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(value.as_bytes());
}

/// The fragment (without `#`) for `state`.
pub fn encode(state: &State) -> String {
    let mut raw = Vec::with_capacity(state.source.len() + 64);
    push(&mut raw, "v", "1");
    push(&mut raw, "src", &state.source);
    push(&mut raw, "type", state.settings.prog_type.name());
    push(&mut raw, "mode", if state.settings.unpriv { "unpriv" } else { "priv" });
    push(&mut raw, "log", &state.settings.log_level.to_string());
    if state.verified {
        push(&mut raw, "verified", "1");
    }
    if let Some(s) = state.step {
        push(&mut raw, "step", &s.to_string());
    }
    if !state.tab.is_empty() {
        push(&mut raw, "tab", &state.tab);
    }
    for (k, v) in &state.inputs {
        push(&mut raw, k, v);
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&raw, 9);
    format!("p={}", base64url(&packed))
}

/// Why a fragment could not be opened; shown to the user as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError(pub String);

fn fail<T>(msg: impl Into<String>) -> Result<T, LinkError> {
    Err(LinkError(msg.into()))
}

/// The state in a fragment (without `#`); `Ok(None)` when the fragment is not a permalink.
pub fn decode(fragment: &str) -> Result<Option<State>, LinkError> {
    let Some(data) = fragment.strip_prefix("p=") else {
        return Ok(None);
    };
    if data.len() > MAX_FRAGMENT {
        return fail(format!("the link is too long ({} characters)", data.len()));
    }
    let Some(packed) = unbase64url(data) else {
        return fail("the link is damaged: it is not valid base64url text");
    };
    let raw = match miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE) {
        Ok(r) => r,
        Err(e) if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) => {
            return fail("the link holds more than 1 MiB of state")
        }
        Err(_) => return fail("the link is damaged: its data does not decompress"),
    };
    let fields = parse_records(&raw)?;
    let mut st = State::default();
    let mut version = None;
    for (k, v) in fields {
        match k {
            "v" => version = Some(v),
            "src" => st.source = v.to_string(),
            "type" => {
                st.settings.prog_type = ProgType::parse(v)
                    .ok_or_else(|| LinkError(format!("unknown program type `{}`", clip(v))))?
            }
            "mode" => {
                st.settings.unpriv = match v {
                    "priv" => false,
                    "unpriv" => true,
                    _ => return fail(format!("unknown mode `{}`", clip(v))),
                }
            }
            "log" => {
                st.settings.log_level = match v {
                    "1" => 1,
                    "2" => 2,
                    _ => return fail(format!("unknown log level `{}`", clip(v))),
                }
            }
            "verified" => st.verified = v == "1",
            "step" => {
                st.step =
                    Some(v.parse().map_err(|_| LinkError(format!("bad step `{}`", clip(v))))?);
                st.verified = true;
            }
            "tab" => st.tab = clip(v),
            k if k.starts_with("in.") => {
                st.inputs.insert(k.to_string(), v.to_string());
            }
            _ => {}
        }
    }
    if version != Some("1") {
        return fail("the link was made by an unknown version of bpfplay");
    }
    Ok(Some(st))
}

/// At most 40 characters of a hostile value, for a message.
fn clip(v: &str) -> String {
    let mut s: String = v.chars().take(40).collect();
    if s.len() < v.len() {
        s.push('…');
    }
    s
}

fn parse_records(raw: &[u8]) -> Result<Vec<(&str, &str)>, LinkError> {
    let text =
        std::str::from_utf8(raw).map_err(|_| LinkError("the link's text is not UTF-8".into()))?;
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some((name, after)) = rest.split_once(' ') else {
            return fail("the link is damaged: a record has no length");
        };
        if name.is_empty()
            || name.len() > 32
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
        {
            return fail("the link is damaged: a record has a bad name");
        }
        let Some((len, after)) = after.split_once(':') else {
            return fail("the link is damaged: a record has no length");
        };
        let len: usize = match len.parse() {
            Ok(n) if len.len() <= 8 => n,
            _ => return fail("the link is damaged: a record has a bad length"),
        };
        if len > after.len() || !after.is_char_boundary(len) {
            return fail("the link is damaged: a record is cut short");
        }
        out.push((name, &after[..len]));
        rest = &after[len..];
    }
    Ok(out)
}

/// base64url without padding (RFC 4648 §5: `-` and `_`, no `=`), strict: a padding
/// character, a character of the standard alphabet (`+`, `/`), non-zero bits after the last
/// byte or one lone last character make the text invalid.
const B64: GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn base64url(data: &[u8]) -> String {
    B64.encode(data)
}

fn unbase64url(s: &str) -> Option<Vec<u8>> {
    B64.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> State {
        let mut inputs = BTreeMap::new();
        inputs.insert("in.packet".to_string(), "ff ff 08 00".to_string());
        State {
            source: "// é ünïcode and </script><b>x</b>\nr0 = 0\nexit\n".into(),
            settings: Settings { prog_type: ProgType::Xdp, unpriv: true, log_level: 1 },
            step: Some(3),
            verified: true,
            tab: "run".into(),
            inputs,
        }
    }

    #[test]
    fn round_trip_is_exact() {
        let s = sample();
        let f = encode(&s);
        assert!(f.starts_with("p="));
        assert!(f.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)), "{f}");
        assert_eq!(decode(&f).unwrap(), Some(s));
        let plain = State { source: "r0 = 0\nexit".into(), ..State::default() };
        assert_eq!(decode(&encode(&plain)).unwrap(), Some(plain));
    }

    #[test]
    fn base64_round_trips_every_length() {
        for n in 0..40 {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(unbase64url(&base64url(&data)), Some(data));
        }
        assert_eq!(unbase64url("A"), None);
        assert_eq!(unbase64url("a+b/"), None);
    }

    #[test]
    fn hostile_fragments_give_messages() {
        assert_eq!(decode("").unwrap(), None);
        assert_eq!(decode("example=foo").unwrap(), None);
        let not_base64 = "the link is damaged: it is not valid base64url text";
        let not_deflate = "the link is damaged: its data does not decompress";
        for (bad, why) in [
            ("p=<script>alert(1)</script>", not_base64),
            ("p=AAAA", not_deflate),
            ("p=", not_deflate),
            ("p=%3Cimg%20src%3Dx%3E", not_base64),
        ] {
            assert_eq!(decode(bad), Err(LinkError(why.into())), "{bad}");
        }
        // Valid compression around bad records.
        let wrap =
            |raw: &[u8]| format!("p={}", base64url(&miniz_oxide::deflate::compress_to_vec(raw, 6)));
        let err = |raw: &[u8]| decode(&wrap(raw)).unwrap_err().0;
        assert_eq!(err(b"v 1:1src 99:short"), "the link is damaged: a record is cut short");
        assert_eq!(err(b"v 1:1type 6:bogus!"), "unknown program type `bogus!`");
        assert_eq!(err(b"v 1:2"), "the link was made by an unknown version of bpfplay");
        assert_eq!(err(b"v 1:1<b> 1:x"), "the link is damaged: a record has a bad name");
        assert_eq!(err(&[0xff, 0xfe]), "the link's text is not UTF-8");
        // A zip bomb stops at the limit.
        let bomb = vec![b'a'; MAX_STATE + 10];
        let e = decode(&wrap(&bomb)).unwrap_err();
        assert!(e.0.contains("more than 1 MiB"), "{e:?}");
    }

    /// A link made by the hand-written base64url encoder that came before the `base64`
    /// crate: it must keep opening, and the same state must give the same link.
    #[test]
    fn links_made_before_the_base64_crate_still_open() {
        const OLD: &str = "p=HY1BDoIwFET3nGJOYH9BjWmgdyltMY1SmvIheCRXXsAdF7MymWQWkzezQio5Z4sLKSGwv7F_4_6xk_Mw0aEVs80hsW57vbWi11UmdKDKb4ErfiWPRm0ujX_gqpaYclif073M1qvPYQjeHRfsU8mGTV-AvMQQT6NJJzstkWfIsyJJh9Bp1KbUydiHZ0iphgHFdAPRDw";
        let mut inputs = BTreeMap::new();
        inputs.insert("in.packet".to_string(), "ff ff 08 00".to_string());
        inputs.insert("in.map.counts".to_string(), "01000000 => 2a".to_string());
        let want = State {
            source: "// é ünïcode and </script><b>x</b>\nr0 = 0\nexit\n".into(),
            settings: Settings { prog_type: ProgType::Xdp, unpriv: true, log_level: 2 },
            step: Some(3),
            verified: true,
            tab: "run".into(),
            inputs,
        };
        assert_eq!(decode(OLD).unwrap(), Some(want.clone()));
        assert_eq!(encode(&want), OLD);
        // The old encoder's text for short inputs (every tail length), and its strictness.
        let data: Vec<u8> = (0..6).map(|i| (i * 37 + 11) as u8).collect();
        let old = ["", "Cw", "CzA", "CzBV", "CzBVeg", "CzBVep8"];
        for (n, text) in old.iter().enumerate() {
            assert_eq!(base64url(&data[..n]), *text);
            assert_eq!(unbase64url(text).as_deref(), Some(&data[..n]));
        }
        for bad in ["Cx", "CzA=", "CzBV\n", "C", "Cz+V", "Cz/V"] {
            assert_eq!(unbase64url(bad), None, "{bad}");
        }
    }
}
