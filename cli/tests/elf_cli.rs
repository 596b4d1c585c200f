//! `bpfplay verify` and `bpfplay run` on clang-compiled `.o` files (static/c).

use std::process::Command;

fn bpfplay(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bpfplay"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn verify_infers_the_type_from_the_section() {
    let (code, out, _) = bpfplay(&["verify", "--json", "static/c/xdp_firewall.o"]);
    assert_eq!(code, 0);
    assert!(out.contains(r#""accepted":true"#) && out.contains(r#""processed_insns":32"#), "{out}");
}

#[test]
fn run_uses_the_objects_maps_and_the_task_tree() {
    let (code, out, err) = bpfplay(&["run", "--json", "static/c/kprobe_ancestors.o"]);
    assert_eq!(code, 0, "{err}");
    // ancestors: 1000, 812, 1, 0 (little-endian); the parent's comm printed.
    assert!(out.contains(r#"{"key":"01000000","value":"2c030000"}"#), "{out}");
    assert!(out.contains(r#""printk":["parent: bash"]"#), "{out}");
    let (code, out, _) = bpfplay(&["run", "--json", "static/c/subprog_calls.o"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(r#""retval":2"#) && out.contains("01000000000000000100000000000000"),
        "{out}"
    );
}

#[test]
fn several_programs_need_prog() {
    let (code, _, err) = bpfplay(&["verify", "core/src/elf/testdata/legacy_two.o"]);
    assert_eq!(code, 2);
    assert!(err.contains("pick one of: first, second"), "{err}");
    let (code, out, _) =
        bpfplay(&["verify", "--prog", "second", "--json", "core/src/elf/testdata/legacy_two.o"]);
    assert_eq!(code, 0, "{out}");
    let (code, _, err) = bpfplay(&["verify", "static/c/bpfplay.h"]);
    assert_eq!(code, 2);
    assert!(err.contains("--type is required"), "{err}");
    let (code, _, err) = bpfplay(&["verify", "static/c/build.sh.o"]);
    assert_eq!(code, 2, "{err}");
}
