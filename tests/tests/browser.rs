//! End-to-end tests of the web page in headless Chromium, driven through ChromeDriver.
//!
//! Needs a built site (`./x build`, or `BPFPLAY_DIST=DIR`), `/usr/bin/chromium` and
//! `/usr/bin/chromedriver`; `./x test` runs it with
//! `cargo test --release -p bpfplay-tests --features browser --test browser`.
//!
//! The site is served from a small static file server on 127.0.0.1 inside the test, and the
//! browser is driven with a minimal blocking WebDriver client (a few JSON requests over HTTP),
//! which keeps this test free of an async runtime. Screenshots go to `target/browser-test/`.
#![cfg(feature = "browser")]

use base64::Engine as _;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WAIT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// The page under test

#[test]
fn editor_assembles_as_you_type_and_marks_errors() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.click(&page.wait_find("#tab-bytecode"));

    // The starter example is assembled on load.
    let asm = page.wait_for("the starter example's disassembly", || {
        let rows = page.texts(".listing td.col-asm");
        (!rows.is_empty()).then_some(rows)
    });
    assert_eq!(asm[0], "(bf) r6 = r1", "first instruction of the starter example");
    assert!(asm.contains(&"(95) exit".to_string()), "starter listing: {asm:?}");
    let bytes = page.texts(".listing td.col-bytes");
    assert_eq!(bytes[0], "bf 16 00 00 00 00 00 00");
    assert_eq!(page.texts(".listing td.col-index")[0], "0:");
    assert!(
        page.text("#asm-status").ends_with("instructions · 72 bytes"),
        "status: {}",
        page.text("#asm-status")
    );
    assert!(page.text("header").contains("bpfplay"));
    let bg = page.eval("return getComputedStyle(document.body).backgroundColor");
    assert_eq!(bg, json!("rgb(244, 245, 247)"), "light background by default");
    browser.screenshot("01-starter.png");

    // Typing a new program replaces the output.
    let editor = page.find("textarea#source");
    page.clear(&editor);
    page.type_keys(&editor, "r0 = *(u32 *)(r1 + 4)\nexit");
    let asm = page.wait_for("the typed program's disassembly", || {
        let rows = page.texts(".listing td.col-asm");
        (rows.len() == 2).then_some(rows)
    });
    assert_eq!(asm, ["(61) r0 = *(u32 *)(r1 +4)", "(95) exit"]);
    assert_eq!(
        page.texts(".listing td.col-bytes"),
        ["61 10 04 00 00 00 00 00", "95 00 00 00 00 00 00 00"]
    );
    assert_eq!(page.text("#asm-status"), "2 instructions · 16 bytes");
    assert_eq!(page.texts(".line-number"), ["1", "2"]);
    browser.screenshot("02-typed.png");

    // A broken line: the error and its position are shown, and the line is marked.
    page.type_keys(&editor, "\nr0 = r11");
    let error = page.wait_for("the assembly error", || page.try_text("#asm-error"));
    assert!(error.contains("Line 3, column 6"), "error box: {error}");
    assert!(error.contains("invalid register"), "error box: {error}");
    assert_eq!(page.text("#asm-status"), "Error on line 3");
    assert_eq!(
        page.eval("return [...document.querySelectorAll('.line-error')].map(e => e.dataset.line)"),
        json!(["3"])
    );
    assert_eq!(
        page.eval("return document.querySelector('#source').getAttribute('aria-invalid')"),
        json!("true")
    );
    assert!(
        page.texts(".listing td.col-asm").is_empty(),
        "no listing while the source has an error"
    );
    browser.screenshot("03-error.png");

    // "Show in editor" puts the caret at the error.
    page.click(&page.find("#asm-error button"));
    let caret = page.eval("const e = document.activeElement; return [e.id, e.selectionStart]");
    assert_eq!(caret, json!(["source", "r0 = *(u32 *)(r1 + 4)\nexit\nr0 = ".len()]));

    // Mending the line brings the listing back and clears the mark.
    page.type_keys(&editor, "\u{E010}\u{E003}\u{E003}\u{E003}r1"); // End, 3 × Backspace
    let asm = page.wait_for("the mended program's disassembly", || {
        let rows = page.texts(".listing td.col-asm");
        (rows.len() == 3).then_some(rows)
    });
    assert_eq!(asm[2], "(bf) r0 = r1");
    assert!(page.texts(".line-error").is_empty());

    // The page ran without a script error or a Content-Security-Policy violation.
    browser.assert_no_console_errors();
}

const NULL_CHECK: &str = "map counts: hash key=4 value=8 max=64\n*(u32 *)(r10 -4) = 0\nr2 = r10\nr2 += -4\nr1 = map[counts] ll\ncall bpf_map_lookup_elem\nr0 = *(u64 *)(r0 +0)\nr0 = 0\nexit";

#[test]
fn verify_step_to_the_error_and_read_the_registers() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    let editor = page.wait_find("textarea#source");
    page.clear(&editor);
    page.type_keys(&editor, NULL_CHECK);
    // Ctrl+Enter verifies (typing keeps each line's indentation, so none is added here).
    page.type_keys(&editor, "\u{E009}\u{E007}\u{E000}");
    let msg = page.wait_for("the verdict", || page.try_text("#verdict-message"));
    assert_eq!(msg, "R0 invalid mem access 'map_value_or_null'");
    assert!(page.text("#verdict").contains("Rejected"));
    assert!(page.text("#explanation").contains("R0 may be NULL"), "{}", page.text("#explanation"));
    assert!(page.text("#hint").contains("if r0 == 0 goto out"));
    // The failing line is marked in the editor, with the message.
    assert_eq!(
        page.eval("return [...document.querySelectorAll('.line-error')].map(e => e.dataset.line)"),
        json!(["7"])
    );
    assert_eq!(page.text(".line-error .line-message"), msg);
    // The stepper opens at the error: registers before the failing instruction.
    assert_eq!(page.text("#step-position"), "step 6 of 6");
    assert_eq!(reg(page, "R0"), ["R0", "map_value_or_null", "off=0, map counts", ""]);
    assert_eq!(reg(page, "R1")[1], "not init");
    assert_eq!(page.text(".line-current .line-number"), "7");
    assert!(
        page.text("#log .log-current").starts_with("6: (79) r0 = *(u64 *)(r0 +0)"),
        "{}",
        page.text("#log .log-current")
    );
    browser.screenshot("10-verify-error.png");

    // Back to the start, then forward with the keyboard (outside the editor) and the buttons.
    page.click(&page.find("#step-start"));
    assert_eq!(page.text("#step-position"), "step 1 of 6");
    assert_eq!(page.text(".line-current .line-number"), "2");
    assert_eq!(page.text("#stack tbody"), "fp-8????0000not written, zero");
    page.press("\u{E014}"); // Right
    page.press("\u{E014}");
    assert_eq!(page.text("#step-position"), "step 3 of 6");
    assert_eq!(reg(page, "R2"), ["R2", "fp", "off=-4", ""]);
    let changed = page.eval(
        "return [...document.querySelectorAll('#registers tr.changed')].map(r => r.dataset.reg)",
    );
    assert_eq!(changed, json!(["R2"]), "only R2 changed at r2 += -4");
    page.click(&page.find("#step-back"));
    assert_eq!(page.text("#step-position"), "step 2 of 6");
    page.click(&page.find("#step-error"));
    assert_eq!(page.text("#step-position"), "step 6 of 6");

    // Fixing the program: accepted, with a branch in the path.
    page.clear(&editor);
    page.type_keys(
        &editor,
        &NULL_CHECK
            .replace("r0 = *(u64", "if r0 == 0 goto out\nr0 = *(u64")
            .replace("r0 = 0\nexit", "out:\nr0 = 0\nexit"),
    );
    page.click(&page.find("#verify"));
    page.wait_for("the accepted verdict", || {
        page.try_text("#verdict").filter(|t| t.contains("Accepted"))
    });
    page.click(&page.find("#step-next-branch"));
    assert!(
        page.text("#pending").contains("5 → 7") || page.text("#pending").contains("6 → 8"),
        "{}",
        page.text("#pending")
    );
    browser.screenshot("11-verify-accepted-branch.png");
    browser.assert_no_console_errors();
}

/// The cells of a register's row in the register panel.
fn reg(page: &Session, name: &str) -> Vec<String> {
    let v = page.eval(&format!(
        "return [...document.querySelectorAll('#registers tr[data-reg=\"{name}\"] > *')].map(c => c.textContent)"
    ));
    serde_json::from_value(v).unwrap()
}

#[test]
fn permalink_round_trip_restores_everything() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    let editor = page.wait_find("textarea#source");
    page.clear(&editor);
    page.type_keys(&editor, "// ünïcode <b>kept</b>\nr0 = 1\nr1 = 2\nr0 += r1\nexit");
    page.select("#prog-type", "xdp");
    page.select("#mode", "unpriv");
    page.select("#log-level", "1");
    page.click(&page.find("#verify"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    page.click(&page.find("#step-start"));
    page.click(&page.find("#step-forward"));
    assert_eq!(page.text("#step-position"), "step 2 of 4");
    let url = page.eval("return location.href").as_str().unwrap().to_string();
    assert!(url.contains("#p="), "{url}");

    // A fresh page on the same address.
    let other = Browser::open(&[]);
    let page2 = other.page();
    page2.navigate(&url);
    page2.wait_for("the restored verdict", || {
        page2.try_text("#verdict").filter(|t| t.contains("Accepted"))
    });
    assert_eq!(
        page2.eval("return document.querySelector('#source').value"),
        json!("// ünïcode <b>kept</b>\nr0 = 1\nr1 = 2\nr0 += r1\nexit")
    );
    assert_eq!(page2.eval("return document.querySelector('#prog-type').value"), json!("xdp"));
    assert_eq!(page2.eval("return document.querySelector('#mode').value"), json!("unpriv"));
    assert_eq!(page2.eval("return document.querySelector('#log-level').value"), json!("1"));
    assert_eq!(page2.text("#step-position"), "step 2 of 4");
    assert_eq!(
        page2.eval("return document.querySelectorAll('b').length"),
        json!(0),
        "no markup from the link"
    );
    other.screenshot("20-permalink-restored.png");
}

#[test]
fn hostile_fragments_show_a_message_and_a_usable_editor() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.wait_find("textarea#source");
    let base =
        page.eval("return location.origin + location.pathname").as_str().unwrap().to_string();
    for (frag, says) in [
        ("#p=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "not valid base64url"),
        ("#p=AAAAAAAA", "does not decompress"),
        ("#<script>alert(1)</script>", "means nothing to bpfplay"),
    ] {
        page.navigate(&format!("{base}{frag}"));
        page.eval("location.reload()");
        let msg = page.wait_for("the link error", || page.try_text("#link-error"));
        assert!(msg.contains(says), "{frag}: {msg}");
        assert_eq!(
            page.eval("return document.querySelectorAll('img, script:not([src])').length"),
            json!(0),
            "{frag}"
        );
    }
    browser.screenshot("21-hostile-fragment.png");
    // The editor works: type and verify.
    let editor = page.find("textarea#source");
    page.clear(&editor);
    page.type_keys(&editor, "r0 = 0\nexit");
    page.click(&page.find("#verify"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    browser.assert_no_console_errors();
}

/// A permalink fragment made by hand: `name LEN:VALUE` records, raw deflate, base64url (the
/// format of web/src/services/permalink.rs).
fn link(records: &[(&str, &str)]) -> String {
    let mut raw = Vec::new();
    for (k, v) in records {
        raw.extend_from_slice(format!("{k} {}:{v}", v.len()).as_bytes());
    }
    packed_link(&raw)
}

fn packed_link(raw: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(raw, 9);
    format!("#p={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

/// Markup a hostile link or stored value might carry: any script that ran would set
/// `window.__pwned` or change the title.
const PAYLOAD: &str = "</textarea><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1;document.title='pwned'\"><b>bold</b>";

fn assert_no_script_ran(page: &Session, what: &str) {
    assert_eq!(
        page.eval("return typeof window.__pwned"),
        json!("undefined"),
        "{what}: a script ran"
    );
    assert_eq!(page.eval("return document.title"), json!("bpfplay · eBPF playground"), "{what}");
    assert_eq!(
        page.eval("return document.querySelectorAll('b, img[src=x], script:not([src])').length"),
        json!(0),
        "{what}: markup from untrusted input reached the page"
    );
}

/// Hand-made permalinks: markup in every record, a deflate bomb, a cut-off link, a huge one,
/// a flood of map edits. Each opens with a message or as text; no script runs; the editor
/// stays usable; the console stays clean (CSP violations would show there).
#[test]
fn hostile_permalinks_run_no_script() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.wait_find("textarea#source");
    let base =
        page.eval("return location.origin + location.pathname").as_str().unwrap().to_string();
    let src = format!("// {PAYLOAD}\nr0 = 0\nexit");
    let marked = link(&[
        ("v", "1"),
        ("src", &src),
        ("type", "xdp"),
        ("tab", PAYLOAD),
        ("in.packet", PAYLOAD),
        ("in.comm", PAYLOAD),
        ("in.maps", &format!("0\t{PAYLOAD}\t{PAYLOAD}\ts")),
        ("x", PAYLOAD),
    ]);
    // Opens: the payload is in the editor as text, nowhere as markup.
    page.navigate(&format!("{base}{marked}"));
    page.eval("location.reload()");
    page.wait_for("the hostile source in the editor", || {
        page.eval("return document.querySelector('#source')?.value ?? ''")
            .as_str()
            .filter(|v| v.contains("window.__pwned"))
            .map(String::from)
    });
    assert_eq!(page.eval("return document.querySelector('#source').value"), json!(src));
    std::thread::sleep(Duration::from_millis(300));
    assert_no_script_ran(page, "markup in every record");
    browser.screenshot("22-hostile-link-as-text.png");

    let bomb = packed_link(&vec![b'a'; 64 << 20]);
    let valid = link(&[("v", "1"), ("src", "r0 = 0\nexit")]);
    let cut = &valid[..valid.len() - 5];
    let huge = format!("#p={}", "A".repeat(600 * 1024));
    let flood_edits = "0\t00 00 00 00\t01 00 00 00 00 00 00 00\ts\n".repeat(20_000);
    let flood = link(&[
        ("v", "1"),
        ("src", "map h: hash key=4 value=8 max=4\nr0 = 0\nexit"),
        ("in.maps", &flood_edits),
    ]);
    for (frag, says) in [
        (bomb.as_str(), Some("more than 1 MiB")),
        (cut, Some("damaged")),
        (huge.as_str(), Some("too long")),
        ("#example=../../../etc/passwd", Some("means nothing")),
        ("#exercise=%3Cscript%3Ewindow.__pwned=1%3C/script%3E", Some("means nothing")),
        (flood.as_str(), None),
    ] {
        page.navigate(&format!("{base}{frag}"));
        page.eval("location.reload()");
        match says {
            Some(says) => {
                let msg = page.wait_for("the link error", || page.try_text("#link-error"));
                assert!(msg.contains(says), "{}: {msg}", &frag[..frag.len().min(60)]);
            }
            None => {
                page.wait_for("the flooded link open", || {
                    page.eval("return document.querySelector('#source')?.value ?? ''")
                        .as_str()
                        .filter(|v| v.contains("map h"))
                        .map(String::from)
                });
            }
        }
        assert_no_script_ran(page, &frag[..frag.len().min(60)]);
        if frag == bomb {
            browser.screenshot("23-hostile-link-deflate-bomb.png");
        }
    }
    // Still usable.
    let editor = page.find("textarea#source");
    page.clear(&editor);
    page.type_keys(&editor, "r0 = 0\nexit");
    page.click(&page.find("#verify"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    browser.assert_no_console_errors();
}

/// localStorage is untrusted too: corrupted progress and theme leave the page working, the
/// count right, and no script runs.
#[test]
fn corrupted_local_storage() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.wait_find("textarea#source");
    page.eval(&format!(
        "localStorage.setItem('bpfplay.exercises.solved', {} + ',01-return-value,01-return-value,\\u0000,nope,' + 'x,'.repeat(1000000) + '02-null-check');
         localStorage.setItem('bpfplay.theme', {});",
        serde_json::to_string(PAYLOAD).unwrap(),
        serde_json::to_string(PAYLOAD).unwrap()
    ));
    page.eval("location.reload()");
    page.click(&page.wait_find("#open-exercises"));
    let progress = page.text("#progress");
    assert!(progress.starts_with("1 of "), "{progress}");
    assert_eq!(
        page.eval("return document.documentElement.getAttribute('data-theme')"),
        json!(null)
    );
    assert_no_script_ran(page, "corrupted localStorage");
    browser.screenshot("51-corrupted-progress.png");
    browser.assert_no_console_errors();
}

/// The Content-Security-Policy is in force: an inline event handler and an inline script
/// injected into the page do not run, and both are reported as violations. (The other tests
/// check that normal use reports none: violations are console errors.)
#[test]
fn content_security_policy_blocks_inline_script() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.wait_find("textarea#source");
    let csp = page
        .eval("return document.querySelector('meta[http-equiv=Content-Security-Policy]').content");
    let csp = csp.as_str().expect("a CSP meta tag");
    for d in ["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "base-uri 'none'"] {
        assert!(csp.contains(d), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{csp}");
    page.eval(
        "window.__violations = [];
         document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));
         document.body.insertAdjacentHTML('beforeend', '<img id=probe src=x onerror=\"window.__pwned=1\">');
         const s = document.createElement('script');
         s.textContent = 'window.__pwned = 2';
         document.body.appendChild(s);",
    );
    let v = page.wait_for("the violations", || {
        let v = page.eval("return window.__violations");
        (v.as_array().map_or(0, |a| a.len()) >= 2).then_some(v)
    });
    assert_eq!(
        page.eval("return typeof window.__pwned"),
        json!("undefined"),
        "an injected script ran"
    );
    let mut v: Vec<String> =
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap_or("").to_string()).collect();
    v.sort();
    assert_eq!(v, ["script-src-attr", "script-src-elem"]);
}

#[test]
fn an_example_from_the_gallery() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.click(&page.wait_find("#open-examples"));
    let n = page.eval("return document.querySelectorAll('#examples [data-example]').length");
    assert!(n.as_u64().unwrap() >= 12, "{n}");
    browser.screenshot("30-gallery.png");
    page.click(&page.find("[data-example='06-bounded-loop']"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    assert!(page
        .eval("return document.querySelector('#source').value")
        .as_str()
        .unwrap()
        .contains("if r1 < 10 goto loop"));
    // Step to the last step: r0 holds 45 at the exit.
    page.press("\u{E010}"); // End: no error, stays
    let n: usize = page.text("#step-position").rsplit(' ').next().unwrap().parse().unwrap();
    for _ in 1..n {
        page.press("\u{E014}");
    }
    assert_eq!(reg(page, "R0")[2], "45");
    browser.screenshot("31-example-loop.png");
}

/// The C line the page highlights, and the C line the editor's `; TEXT @ FILE:LINE`
/// comments give for the highlighted assembly line (the nearest one above it).
fn c_lines_shown(page: &Session) -> (Option<u64>, Option<u64>) {
    let v = page.eval(
        "const c = document.querySelector('#c-panel .line-current');
         const a = document.querySelector('.editor-lines .line-current');
         let want = null;
         if (a) {
           const lines = document.querySelector('#source').value.split('\\n');
           for (let i = Number(a.dataset.line) - 1; i >= 0; i--) {
             const m = lines[i].match(/^;.* @ [^:]+:(\\d+)$/);
             if (m) { want = Number(m[1]); break; }
           }
         }
         return [c ? Number(c.dataset.cLine) : null, want];",
    );
    (v[0].as_u64(), v[1].as_u64())
}

#[test]
fn a_c_example_highlights_the_c_line_of_each_step() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.click(&page.wait_find("#open-examples"));
    let n = page.eval("return document.querySelectorAll('#c-examples [data-c-example]').length");
    assert!(n.as_u64().unwrap() >= 7, "{n}");
    page.click(&page.find("[data-c-example='xdp_firewall']"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    assert_eq!(page.text("#c-title"), "xdp_firewall.c");
    let source = page.eval("return document.querySelector('#source').value");
    assert!(source.as_str().unwrap().contains("r1 = map[blocklist] ll"), "{source}");
    // Step from the start: at every step the highlighted C line is the one the assembly's
    // line info gives for the current instruction; the walk passes the map lookup's line.
    page.press("\u{E011}"); // Home: the first step
    let steps: usize = page.text("#step-position").rsplit(' ').next().unwrap().parse().unwrap();
    let lookup_line = page.eval(
        "return [...document.querySelectorAll('#c-panel [data-c-line]')]
            .find(e => e.textContent.includes('bpf_map_lookup_elem(&blocklist')).dataset.cLine",
    );
    let lookup_line: u64 = lookup_line.as_str().unwrap().parse().unwrap();
    let mut seen = Vec::new();
    for i in 0..steps {
        let (shown, want) = c_lines_shown(page);
        assert!(shown.is_some(), "step {i}: no C line highlighted");
        assert_eq!(shown, want, "step {i}");
        seen.push(shown.unwrap());
        if shown == Some(lookup_line) && !seen[..seen.len() - 1].contains(&lookup_line) {
            browser.screenshot("60-c-example-step.png");
        }
        page.press("\u{E014}"); // Right: the next step
    }
    assert!(seen.contains(&lookup_line), "{seen:?}");
    assert!(seen.windows(2).any(|w| w[0] != w[1]), "the C line moves: {seen:?}");
    // Run it: an IPv4 packet passes (XDP_PASS) and `passed` (.bss) counts it.
    page.click(&page.find("#run"));
    let r0 = page.wait_for("the run's result", || page.try_text("#r0"));
    assert!(r0.starts_with("2 (0x2)"), "{r0}");
    browser.assert_no_console_errors();
}

#[test]
fn open_a_compiled_object_without_its_c_file() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    let obj = Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/c/socket_protocols.o");
    let input = page.wait_find("#open-object");
    page.type_keys(&input, obj.canonicalize().unwrap().to_str().unwrap());
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    assert_eq!(page.text("#c-title"), "socket_protocols.c");
    assert!(page.text("#c-panel").contains("Only the lines named by the object's line info"));
    page.press("\u{E011}");
    let (shown, want) = c_lines_shown(page);
    assert!(shown.is_some() && shown == want, "{shown:?} {want:?}");
    browser.screenshot("61-open-object.png");
    // A file that is not an object: a message, the page still usable.
    let junk = Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/c/bpfplay.h");
    page.type_keys(&page.find("#open-object"), junk.canonicalize().unwrap().to_str().unwrap());
    let msg = page.wait_for("the error", || page.try_text("#link-error"));
    assert!(msg.contains("bpfplay.h: not a BPF object: no ELF header"), "{msg}");
    browser.assert_no_console_errors();
}

#[test]
fn run_with_a_packet_and_read_the_map_table() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.click(&page.wait_find("#open-examples"));
    page.click(&page.find("[data-example='03-socket-count-protocols']"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    page.click(&page.find("#run"));
    let r0 = page.wait_for("the run's result", || page.try_text("#r0"));
    assert!(r0.starts_with("50 (0x32)"), "{r0}");
    assert!(page.text("#r0-meaning").contains("keep the packet"));
    let rows = page.texts("[data-map='protocols'] tbody tr");
    assert!(
        rows.iter().any(|r| r.starts_with("06 00 00 00 (6)01 00 00 00 00 00 00 001")),
        "{rows:?}"
    );
    // Ten more runs of a UDP packet built with the builder.
    page.click(&page.find(".builder summary"));
    page.select("#pkt-proto", "udp");
    page.click(&page.find("#pkt-build"));
    let runs = page.find("#in-runs");
    page.type_keys(&runs, "10");
    page.click(&page.find("#run-button"));
    page.wait_for("ten runs", || page.try_text("#insns").filter(|t| t.contains("10 runs")));
    let changed = page.texts("[data-map='protocols'] tbody tr.changed");
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].starts_with("11 00 00 00 (17)0a 00"), "{changed:?}");
    assert!(changed[0].ends_with("10 (was 0)"), "{changed:?}");
    // The bar chart of the counters.
    page.click(&page.find("[data-map='protocols'] .map-head button"));
    // Non-zero counters only: TCP (6) once, UDP (17) ten times.
    assert_eq!(page.texts("[data-map=protocols] .bar-row"), ["61", "1710"]);
    page.eval("document.querySelector('[data-map=protocols]').scrollIntoView()");
    browser.screenshot("40-run-maps.png");
    browser.assert_no_console_errors();
}

#[test]
fn exercise_solved_and_progress_kept() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.click(&page.wait_find("#open-exercises"));
    assert!(page.text("#progress").starts_with("0 of "));
    page.click(&page.find("[data-exercise='01-return-value']"));
    let editor = page.wait_find("textarea#source");
    page.click(&page.find("#hint-button"));
    assert!(page.text("#exercise .hints").contains("Read the verifier's message"));
    page.click(&page.find("#verify"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Rejected")));
    assert!(page.try_text("#solved").is_none());
    page.clear(&editor);
    page.type_keys(&editor, "r2 = *(u32 *)(r1 +0)\nr0 = 0xffff\nexit");
    page.type_keys(&editor, "\u{E009}\u{E007}\u{E000}");
    page.wait_for("the exercise solved", || page.try_text("#solved"));
    browser.screenshot("50-exercise-solved.png");
    page.click(&page.find("#open-exercises"));
    assert!(page.text("#progress").starts_with("1 of "), "{}", page.text("#progress"));
    // Kept across a reload.
    page.eval("location.reload()");
    page.click(&page.wait_find("#open-exercises"));
    assert!(page.text("#progress").starts_with("1 of "));
}

#[test]
fn embed_page_with_two_embeds() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    let base = page.eval("return location.origin").as_str().unwrap().to_string();
    page.navigate(&format!("{base}/embed-example.html"));
    assert_eq!(page.eval("return document.querySelectorAll('iframe').length"), json!(2));
    page.frame("#embed-null");
    page.wait_for("the embedded verdict", || page.try_text("#verdict-message"));
    assert_eq!(page.text("#verdict-message"), "R0 invalid mem access 'map_value_or_null'");
    assert_eq!(
        page.eval("return document.querySelector('.app').classList.contains('embed')"),
        json!(true)
    );
    assert_eq!(page.eval("return document.querySelector('#source').readOnly"), json!(true));
    assert_eq!(page.eval("return document.querySelectorAll('header.topbar').length"), json!(0));
    let open = page.eval("return document.querySelector('#open-playground').getAttribute('href')");
    assert!(open.as_str().unwrap().starts_with("./#p="), "{open}");
    page.click(&page.find("#step-start"));
    assert_eq!(page.text("#step-position"), "step 1 of 6");
    page.frame_parent();
    page.frame("#embed-loop");
    page.wait_for("the embedded verdict", || {
        page.try_text("#verdict").filter(|t| t.contains("Accepted"))
    });
    page.click(&page.find("#run"));
    let r0 = page.wait_for("the run's result", || page.try_text("#r0"));
    assert!(r0.starts_with("45 "), "{r0}");
    page.frame_parent();
    browser.screenshot("60-embeds.png");
    browser.assert_no_console_errors();
}

#[test]
fn complexity_limit_keeps_the_page_responsive_and_can_be_cancelled() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.click(&page.wait_find("#open-examples"));
    page.click(&page.find("[data-example='15-complexity-limit']"));
    // The walk runs in the worker: the page shows progress and answers meanwhile.
    page.wait_find("#cancel-verify");
    let t0 = page.text("#elapsed");
    let editor = page.find("textarea#source");
    page.type_keys(&editor, "\u{E010}\n// typed while verifying");
    assert!(page
        .eval("return document.querySelector('#source').value")
        .as_str()
        .unwrap()
        .ends_with("// typed while verifying"));
    page.wait_for("the elapsed time to advance", || (page.text("#elapsed") != t0).then_some(()));
    // The worker reports how far it got: the bar and the count move.
    let processed = page.wait_for("progress from the worker", || {
        let v = page
            .eval("const p = document.querySelector('#verify-progress'); return p ? p.value : 0")
            .as_f64()
            .unwrap_or(0.0);
        (v > 0.0).then_some(v)
    });
    assert!(processed >= 65536.0 && processed <= 1_000_000.0, "{processed}");
    assert!(page.text("#verify-processed").ends_with("processed"));
    browser.screenshot("80-verifying.png");
    page.click(&page.find("#cancel-verify"));
    let note = page.wait_for("the cancelled note", || {
        page.try_text("#verdict").filter(|t| t.contains("cancelled"))
    });
    assert!(note.contains("Verification cancelled"), "{note}");
    // Another program verifies at once afterwards (a new worker).
    page.clear(&editor);
    page.type_keys(&editor, "r0 = 0\nexit");
    page.click(&page.find("#verify"));
    page.wait_for("the verdict", || page.try_text("#verdict").filter(|t| t.contains("Accepted")));
    // Verifying again while a long walk runs replaces it (the worker is restarted).
    page.click(&page.find("#open-examples"));
    page.click(&page.find("[data-example='15-complexity-limit']"));
    page.wait_find("#cancel-verify");
    let editor = page.find("textarea#source");
    page.clear(&editor);
    page.type_keys(&editor, "r0 = 1\nexit");
    page.type_keys(&editor, "\u{E009}\u{E007}\u{E000}");
    page.wait_for("the short program's verdict", || {
        page.try_text("#verdict").filter(|t| t.contains("Accepted"))
    });
    browser.assert_no_console_errors();
}

/// The figures of BENCHMARKS.md: time from navigation to an interactive page, and from
/// pressing Verify to the rendered verdict and stepper for a 1,000-instruction program (the
/// shape of `verifier_bench`'s, with `&= 127` so that every branch has one side: 996
/// instructions processed). Printed, and written to `target/browser-test/figures.txt`.
#[test]
fn figures_load_to_interactive_and_verify_to_render() {
    let mut lines = Vec::new();
    for round in 0..3 {
        let browser = Browser::open(&[]);
        let page = browser.page();
        page.wait_find("#verify");
        let ready = page.wait_for("the ready mark", || {
            page.eval("return document.documentElement.dataset.ready ?? null")
                .as_str()
                .map(String::from)
        });
        let nav = page.eval("const n = performance.getEntriesByType('navigation')[0]; return [n.responseEnd, n.domContentLoadedEventEnd]");
        lines.push(format!("round {round}: interactive at {ready} ms after navigation start (HTML received at {:.1} ms, DOMContentLoaded {:.1} ms)", nav[0].as_f64().unwrap(), nav[1].as_f64().unwrap()));

        let mut src = String::from("r6 = r1\nr7 = *(u32 *)(r6 +0)\nr0 = 0\n");
        let (mut n, mut k) = (3, 0);
        while n < 990 {
            src.push_str(&format!(
                "r2 = r7\nr2 &= 255\nr2 += {k}\n*(u64 *)(r10 -{o}) = r2\nr3 = *(u64 *)(r10 -{o})\nr0 += r3\nr0 ^= {k}\nr3 = r0\n",
                o = 8 * (1 + k % 60)
            ));
            n += 8;
            k += 1;
        }
        src.push_str("exit\n");
        page.eval(&format!(
            "const t = document.querySelector('#source'); t.value = {}; t.dispatchEvent(new InputEvent('input', {{bubbles: true}}));",
            json!(src)
        ));
        let probe = "return [document.querySelectorAll('.line-number').length, document.querySelector('#source').value.length]";
        page.wait_for("the program in the editor", || {
            (page.eval(probe)[0].as_u64().unwrap_or(0) > 900).then_some(())
        });
        page.eval(
            "window.__t = null; const start = performance.now();
             const obs = new MutationObserver(() => {
               const v = document.querySelector('#verdict');
               if (v && /Accepted|Rejected/.test(v.textContent) && document.querySelector('#registers, .verifier .note')) {
                 window.__t = performance.now() - start; obs.disconnect();
               }
             });
             obs.observe(document.body, {subtree: true, childList: true, characterData: true});
             document.querySelector('#verify').click();",
        );
        let ms = page.wait_for("the verdict", || page.eval("return window.__t").as_f64());
        let verdict = page.text("#verdict");
        let steps = page.try_text("#step-position").unwrap_or_default();
        lines.push(format!("round {round}: 1,000-instruction program: verify to rendered verdict and stepper {ms:.1} ms ({}, {steps})", verdict.lines().next().unwrap_or("").chars().take(60).collect::<String>()));
        // Again on the same page: the worker's and the page's code are warm now (the first
        // Verify after a load also waits for the engine's optimising compiler).
        page.eval(
            "window.__t2 = null; let busy = false;
             const start = performance.now();
             const obs = new MutationObserver(() => {
               const v = document.querySelector('#verdict');
               if (document.querySelector('.verdict-busy')) { busy = true; return; }
               if (busy && v && /Accepted|Rejected/.test(v.textContent) && document.querySelector('#registers, .verifier .note')) {
                 window.__t2 = performance.now() - start; obs.disconnect();
               }
             });
             obs.observe(document.body, {subtree: true, childList: true, characterData: true});
             document.querySelector('#verify').click();",
        );
        let again =
            page.wait_for("the second verdict", || page.eval("return window.__t2").as_f64());
        lines.push(format!(
            "round {round}: 1,000-instruction program: verify again on the same page {again:.1} ms"
        ));
        // The verifier alone, as wasm in this browser: the page's own module (the import
        // resolves to the instance boot.js started), the median of 21 runs per log level.
        page.eval(&format!(
            "window.__vt = null;
             const tag = document.querySelector('script[data-bindings]');
             import(tag.dataset.bindings).then(m => {{
               const src = {};
               const med = (lvl) => {{
                 const ts = [];
                 for (let i = 0; i < 21; i++) {{
                   const t0 = performance.now();
                   const r = m.verify_summary(src, 'socket_filter', false, lvl);
                   ts.push(performance.now() - t0);
                   if (!r.accepted) throw new Error('not accepted');
                 }}
                 ts.sort((a, b) => a - b);
                 return ts[10];
               }};
               window.__vt = [med(0), med(1), med(2)];
             }}).catch(e => {{ window.__vt = String(e); }});",
            json!(src)
        ));
        let vt = page.wait_for("the wasm verifier timings", || {
            let v = page.eval("return window.__vt");
            (!v.is_null()).then_some(v)
        });
        let vt: Vec<f64> = vt
            .as_array()
            .unwrap_or_else(|| panic!("wasm verify failed: {vt}"))
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        lines.push(format!(
            "round {round}: 1,000-instruction program: wasm verify_summary in the page (assemble + verify, median of 21) log 0 {:.1} ms, log 1 {:.1} ms, log 2 {:.1} ms",
            vt[0], vt[1], vt[2]
        ));
        // The interpreter as the page builds it: the three programs of the interpreter
        // benchmark (tests/wasm-bench/src), each run through the core's run session
        // (`run_summary`), ns per executed instruction, best and median of 7 after a warm-up.
        let programs = [
            ("(a) ALU loop", include_str!("../wasm-bench/src/alu.s")),
            ("(b) stack load/store loop", include_str!("../wasm-bench/src/stack.s")),
            ("(c) prime counting with calls", include_str!("../wasm-bench/src/primes.s")),
        ];
        page.eval(&format!(
            "window.__it = null;
             const tag = document.querySelector('script[data-bindings]');
             import(tag.dataset.bindings).then(m => {{
               const out = [];
               for (const src of {}) {{
                 const first = m.run_summary(src, 'socket_filter', 1e12);
                 if (first.error) throw new Error(first.error);
                 const ts = [];
                 for (let i = 0; i < 7; i++) {{
                   const t0 = performance.now();
                   const r = m.run_summary(src, 'socket_filter', 1e12);
                   ts.push((performance.now() - t0) * 1e6 / r.insns);
                   if (r.insns !== first.insns || r.r0 !== first.r0) throw new Error('runs differ');
                 }}
                 ts.sort((a, b) => a - b);
                 out.push([first.insns, first.r0, ts[0], ts[3]]);
               }}
               window.__it = out;
             }}).catch(e => {{ window.__it = String(e); }});",
            json!(programs.iter().map(|p| p.1).collect::<Vec<_>>())
        ));
        let it = page.wait_for_long("the interpreter timings", Duration::from_secs(120), || {
            let v = page.eval("return window.__it");
            (!v.is_null()).then_some(v)
        });
        let it = it.as_array().unwrap_or_else(|| panic!("wasm run failed: {it}")).clone();
        // The same instruction counts as the native benchmark (BENCHMARKS.md).
        let counts: Vec<u64> = it.iter().map(|r| r[0].as_u64().unwrap()).collect();
        assert_eq!(counts, [18_000_003, 16_000_005, 4_387_641]);
        for ((name, _), r) in programs.iter().zip(&it) {
            lines.push(format!(
                "round {round}: interpreter in the page, {name}: {} insns, r0 {}, best {:.2} ns/insn, median {:.2} ns/insn",
                r[0], r[1].as_str().unwrap_or("?"), r[2].as_f64().unwrap(), r[3].as_f64().unwrap()
            ));
        }
        if round == 0 {
            browser.screenshot("90-thousand.png");
            // The complexity-limit walk (1,000,001 processed) as wasm in the page, once.
            page.eval(
                "window.__lt = null;
                 const tag = document.querySelector('script[data-bindings]');
                 import(tag.dataset.bindings).then(m => {
                   const src = 'r1 = 0\\nl:\\nr1 += 1\\nif r1 < 100000000 goto l\\nr0 = 0\\nexit\\n';
                   const t = [];
                   for (const lvl of [0, 1, 2]) {
                     const t0 = performance.now();
                     const r = m.verify_summary(src, 'socket_filter', false, lvl);
                     t.push(performance.now() - t0, r.processed);
                   }
                   window.__lt = t;
                 }).catch(e => { window.__lt = String(e); });",
            );
            let lt = page.wait_for_long(
                "the complexity-limit timings",
                Duration::from_secs(180),
                || {
                    let v = page.eval("return window.__lt");
                    (!v.is_null()).then_some(v)
                },
            );
            let lt: Vec<f64> = lt
                .as_array()
                .unwrap_or_else(|| panic!("{lt}"))
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            lines.push(format!(
                "complexity-limit loop as wasm in the page: log 0 {:.2} s ({} processed), log 1 {:.2} s, log 2 {:.2} s",
                lt[0] / 1e3, lt[1], lt[2] / 1e3, lt[4] / 1e3
            ));
        }
    }
    for l in &lines {
        println!("{l}");
    }
    std::fs::create_dir_all(shots_dir()).unwrap();
    std::fs::write(shots_dir().join("figures.txt"), lines.join("\n") + "\n").unwrap();
}

#[test]
fn theme_toggle_and_help() {
    let browser = Browser::open(&[]);
    let page = browser.page();
    page.click(&page.wait_find("#theme"));
    let bg = page.eval("return getComputedStyle(document.body).backgroundColor");
    assert_eq!(bg, json!("rgb(14, 17, 22)"), "dark background after the toggle");
    page.press("?");
    let help = page.wait_for("the help dialog", || page.try_text("#help-dialog"));
    assert!(help.contains("Ctrl+Enter"), "{help}");
    browser.screenshot("70-dark-help.png");
    page.press("\u{E00C}"); // Escape
    assert!(page.try_text("#help-dialog").is_none());
    // The choice is kept.
    page.eval("location.reload()");
    page.wait_find("#theme");
    let bg = page.eval("return getComputedStyle(document.body).backgroundColor");
    assert_eq!(bg, json!("rgb(14, 17, 22)"));
}

#[test]
fn dark_theme_follows_the_system() {
    let browser = Browser::open(&["--force-dark-mode"]);
    let page = browser.page();
    page.wait_find("textarea#source");
    let bg = page.eval("return getComputedStyle(document.body).backgroundColor");
    assert_eq!(bg, json!("rgb(14, 17, 22)"), "dark background");
    browser.screenshot("04-dark.png");
    browser.assert_no_console_errors();
}

// ---------------------------------------------------------------------------------------------
// A browser on the built site

/// One browser session on the built site. Fields drop in order: the session (closing the
/// browser), then ChromeDriver, then the browser's profile directory.
struct Browser {
    session: Session,
    _driver: DriverProcess,
    _profile: TempDir,
    _site: SiteServer,
}

impl Browser {
    fn open(extra_args: &[&str]) -> Browser {
        let site = SiteServer::start(dist_dir());
        let port = free_port();
        let driver = DriverProcess(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("cannot start {CHROMEDRIVER} ({e}); `./x setup` installs it")
                }),
        );
        let profile = TempDir(
            std::env::temp_dir().join(format!("bpfplay-chromium-{}-{port}", std::process::id())),
        );
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,900",
        ]
        .iter()
        .chain(extra_args)
        .map(|a| a.to_string())
        .collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let wd = WebDriver { port };
        let deadline = Instant::now() + WAIT;
        while wd.call("GET", "/status", None).ok().and_then(|v| v["ready"].as_bool()) != Some(true)
        {
            assert!(Instant::now() < deadline, "ChromeDriver did not become ready on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        let created =
            wd.call("POST", "/session", Some(caps)).unwrap_or_else(|e| panic!("new session: {e}"));
        let session =
            Session { wd, id: created["sessionId"].as_str().expect("session id").to_string() };
        session.post("url", json!({ "url": format!("http://127.0.0.1:{}/", site.port) }));
        Browser { session, _driver: driver, _profile: profile, _site: site }
    }

    fn page(&self) -> &Session {
        &self.session
    }

    /// Saves a screenshot of the window into `target/browser-test/`.
    fn screenshot(&self, name: &str) {
        let data = self.session.get("screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("screenshot data"))
            .expect("screenshot base64");
        let dir = shots_dir();
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        let path = dir.join(name);
        std::fs::write(&path, png).expect("write screenshot");
        println!("screenshot: {}", path.display());
    }

    /// Fails the test if the page logged an error (a CSP violation is one).
    fn assert_no_console_errors(&self) {
        let problems = self.console_errors();
        assert!(problems.is_empty(), "browser console errors: {problems:#?}");
    }

    /// Console messages at error level (script errors and CSP violations land here), less a
    /// probe this logs first to show that the log is read at all.
    fn console_errors(&self) -> Vec<String> {
        const PROBE: &str = "bpfplay-console-probe";
        self.session.eval(&format!("console.error('{PROBE}')"));
        let log = self.session.post("se/log", json!({"type": "browser"}));
        let mut errors = log
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>();
        let before = errors.len();
        errors.retain(|m| !m.contains(PROBE));
        assert_eq!(errors.len() + 1, before, "the console probe is missing from the browser log");
        errors
    }
}

struct DriverProcess(Child);

impl Drop for DriverProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("BPFPLAY_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dist.join("index.html").is_file(),
        "no built site in {} (run `./x build` first, or set BPFPLAY_DIST)",
        dist.display()
    );
    dist
}

fn shots_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    workspace.join("target/browser-test")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

// ---------------------------------------------------------------------------------------------
// A minimal WebDriver client (W3C protocol, JSON over HTTP/1.1)

struct WebDriver {
    port: u16,
}

impl WebDriver {
    /// One request; the response's `value`, or the WebDriver error as text.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(Duration::from_secs(120))).map_err(|e| e.to_string())?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
        // ChromeDriver keeps connections open: read the head, then exactly Content-Length bytes.
        let mut reader = BufReader::new(stream);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).map_err(|e| e.to_string())?;
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("malformed status line")?;
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).map_err(|e| e.to_string())? == 0 || header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().map_err(|_| "bad Content-Length")?;
                }
            }
        }
        let mut payload = vec![0; length];
        reader.read_exact(&mut payload).map_err(|e| e.to_string())?;
        let payload = String::from_utf8_lossy(&payload);
        let json: Value = serde_json::from_str(&payload).map_err(|e| format!("{e}: {payload}"))?;
        if status == 200 {
            Ok(json["value"].clone())
        } else {
            Err(format!(
                "{method} {path}: HTTP {status}: {} {}",
                json["value"]["error"], json["value"]["message"]
            ))
        }
    }
}

/// A WebDriver element reference.
struct Element(String);

struct Session {
    wd: WebDriver,
    id: String,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.wd.call("DELETE", &format!("/session/{}", self.id), None);
    }
}

impl Session {
    fn post(&self, cmd: &str, body: Value) -> Value {
        self.wd
            .call("POST", &format!("/session/{}/{cmd}", self.id), Some(body))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn get(&self, cmd: &str) -> Value {
        self.wd
            .call("GET", &format!("/session/{}/{cmd}", self.id), None)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Runs `script` (a function body) in the page and returns its result.
    fn eval(&self, script: &str) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// The text content of every element matching `css`.
    fn texts(&self, css: &str) -> Vec<String> {
        let v = self.eval(&format!(
            "return [...document.querySelectorAll({})].map(e => e.textContent)",
            json!(css)
        ));
        serde_json::from_value(v).expect("list of strings")
    }

    fn try_text(&self, css: &str) -> Option<String> {
        self.eval(&format!("return document.querySelector({})?.textContent ?? null", json!(css)))
            .as_str()
            .map(String::from)
    }

    fn text(&self, css: &str) -> String {
        self.try_text(css).unwrap_or_else(|| panic!("no element matches `{css}`"))
    }

    fn find(&self, css: &str) -> Element {
        let v = self.post("element", json!({ "using": "css selector", "value": css }));
        let id = v
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element reference");
        Element(id.to_string())
    }

    fn clear(&self, el: &Element) {
        self.post(&format!("element/{}/clear", el.0), json!({}));
    }

    /// Types `text` into `el` key by key (`\n` is Enter; WebDriver key codes work too).
    fn type_keys(&self, el: &Element, text: &str) {
        self.post(&format!("element/{}/value", el.0), json!({ "text": text }));
    }

    fn navigate(&self, url: &str) {
        self.post("url", json!({ "url": url }));
    }

    /// Presses one key (or types one character) on whatever has the focus.
    fn press(&self, key: &str) {
        self.post(
            "actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
            ]}]}),
        );
        let _ = self.wd.call("DELETE", &format!("/session/{}/actions", self.id), None);
    }

    /// Chooses the option with `value` in the select `css` (as a user would).
    fn select(&self, css: &str, value: &str) {
        let el = self.find(&format!("{css} option[value='{value}']"));
        self.click(&el);
    }

    /// Waits for an element, then finds it.
    fn wait_find(&self, css: &str) -> Element {
        self.wait_for(css, || {
            self.eval(&format!("return document.querySelector({}) !== null", json!(css)))
                .as_bool()
                .filter(|&b| b)
        });
        self.find(css)
    }

    /// Switches into the iframe `css` (by its index among the page's frames).
    fn frame(&self, css: &str) {
        self.wait_find(css);
        let index = self.eval(&format!(
            "return [...document.querySelectorAll('iframe')].indexOf(document.querySelector({}))",
            json!(css)
        ));
        self.post("frame", json!({ "id": index }));
    }

    fn frame_parent(&self) {
        self.post("frame/parent", json!({}));
    }

    fn click(&self, el: &Element) {
        self.post(&format!("element/{}/click", el.0), json!({}));
    }

    /// Polls `probe` until it gives a value (the page updates asynchronously).
    fn wait_for<T>(&self, what: &str, probe: impl FnMut() -> Option<T>) -> T {
        self.wait_for_long(what, WAIT, probe)
    }

    fn wait_for_long<T>(
        &self,
        what: &str,
        limit: Duration,
        mut probe: impl FnMut() -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(v) = probe() {
                return v;
            }
            if Instant::now() > deadline {
                let body = self.eval("return document.body.innerText");
                panic!(
                    "timed out waiting for {what}; the page shows:\n{}",
                    body.as_str().unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A static file server for dist/ on 127.0.0.1

struct SiteServer {
    port: u16,
}

impl SiteServer {
    /// Serves `root` on a free port from a background thread (one thread per connection, so a
    /// browser's speculative idle connections block nothing). Lives as long as the test process.
    fn start(root: PathBuf) -> SiteServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the site server");
        let port = listener.local_addr().expect("site server address").port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || {
                    let _ = serve_one(&root, stream);
                });
            }
        });
        SiteServer { port }
    }
}

fn serve_one(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = Path::new(path.trim_start_matches('/'));
    let safe = rel.components().all(|c| matches!(c, Component::Normal(_)));
    let file = if rel.as_os_str().is_empty() { root.join("index.html") } else { root.join(rel) };
    let (status, body, kind) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body, content_type(&file)),
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())?;
    stream.write_all(&body)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
