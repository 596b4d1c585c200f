//! bpfplay's disassembler against the kernel's: the level-2 logs of the verifier corpus begin
//! with the kernel's listing of the program (`Live regs before insn:`, one `N: LIVE (xx) text`
//! line per instruction); bpfplay's kernel-style disassembly of the same program must print
//! the same text. Runs anywhere: the logs are in the repository.

use bpfplay_core::disasm::{insn_text, Style};
use bpfplay_core::Insn;
use bpfplay_tests::corpus::{case_paths, Case};

/// Differences known and reported to the disassembler's owners: (case, insn index). Printed,
/// not failed on; remove an entry once bpfplay prints the kernel's text.
const KNOWN: &[(&str, usize, &str)] = &[
    // The kernel names helper 0 `bpf_unspec` (its __BPF_FUNC_MAPPER entry `unspec`).
    ("helper_zero_id", 0, "call bpf_unspec#0"),
];

/// The listing of a level-2 log: (instruction index, `(xx) text`).
fn kernel_listing(log: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut lines = log.lines().skip_while(|l| *l != "Live regs before insn:");
    lines.next();
    for l in lines {
        // `      3: .12....... (18) r1 = 0xffff8881043dd400`
        let Some((idx, rest)) = l.trim_start().split_once(": ") else { break };
        let Ok(idx) = idx.parse::<usize>() else { break };
        let Some((live, text)) = rest.split_once(' ') else { break };
        if live.len() != 10 || !text.starts_with('(') {
            break; // past the table: `0: R1=ctx() R10=fp0`
        }
        out.push((idx, text.to_string()));
    }
    out
}

#[test]
fn disassembly_matches_the_kernel_listing() {
    let mut compared = 0;
    let mut problems = Vec::new();
    for p in case_paths() {
        let case = Case::load(&p).unwrap();
        let log = std::fs::read_to_string(case.log_path()).unwrap_or_default();
        let listing = kernel_listing(&log);
        if listing.is_empty() || !case.patches.is_empty() {
            continue; // rejected before the listing, not a level-2 log, or patched bytes
        }
        // `program.insns` has one entry per slot (an LD_IMM64 is followed by its tail), so
        // the kernel's instruction index is the index into it.
        for (idx, want) in listing {
            let Some(insn) = case.assembled.program.insns.get(idx) else {
                problems
                    .push(format!("{}: the kernel lists insn {idx}, past the program", case.name));
                continue;
            };
            let Some(got) = insn_text(insn, Style::kernel(), &()) else { continue };
            compared += 1;
            // An LD_IMM64 of a map shows its kernel address in the kernel's listing, and one
            // of a callback its bare offset; bpfplay's listing names them so that it
            // assembles back (`map[NAME]`, `subprog[+N]`), and its verifier log prints the
            // callback's offset as the kernel does.
            let is_map_ref = matches!(insn, Insn::LdImm64 { pseudo: 1 | 2 | 4, .. });
            let same = if is_map_ref {
                want.starts_with(&got[..got.find(" = ").map_or(got.len(), |i| i + 3)])
            } else {
                got == want
            };
            if !same && KNOWN.iter().any(|k| k.0 == case.name && k.1 == idx) {
                eprintln!(
                    "known difference, {} insn {idx}: kernel `{want}`, bpfplay `{got}`",
                    case.name
                );
            } else if !same {
                problems
                    .push(format!("{} insn {idx}: kernel `{want}`, bpfplay `{got}`", case.name));
            }
        }
    }
    assert!(compared > 500, "compared only {compared} instructions");
    assert!(
        problems.is_empty(),
        "{} differences in {compared} instructions:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
