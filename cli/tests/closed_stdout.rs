//! `bpfplay verify ... | head -1`: a reader that closes the pipe early must not make bpfplay
//! panic (it did: `failed printing to stdout: Broken pipe`, exit 101); the exit status still
//! gives the verdict. Found while measuring a fuzzing finding (RELIABILITY.md).

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn closed_stdout_is_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("bpfplay-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("long.s");
    // A long level-2 log (a few MB), so that the pipe is closed while bpfplay still writes.
    let body: String = (0..400).map(|_| "r3 += r2\n").collect();
    std::fs::write(&f, format!("r2 = *(u32 *)(r1 +0)\nr3 = 0\n{body}r0 = 0\nexit\n")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bpfplay"))
        .args(["verify", "--type", "kprobe", "--log-level", "2"])
        .arg(&f)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    let status = child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.code(), Some(0), "{status:?}: {err}");
}
