//! Property tests: decode/encode and disassemble/assemble round trips over random valid
//! instructions, and no panic on random bytes or random text.

use bpfplay_core::disasm::{disassemble, Style};
use bpfplay_core::isa::RawInsn;
use bpfplay_core::isa::{decode, decode_bytes, opcode_known};
use bpfplay_core::{assemble, Program};
use proptest::prelude::*;

/// Random slots whose opcode is in the kernel's table, with small or edge-case fields, so that
/// a good share decodes.
fn raw_insn() -> impl Strategy<Value = RawInsn> {
    let codes: Vec<u8> = (0..=255u8).filter(|&c| opcode_known(c)).collect();
    let imm = prop_oneof![6 => Just(0i32), 1 => prop_oneof![Just(1), Just(-1), Just(8), Just(16), Just(32), Just(64), Just(i32::MIN), Just(i32::MAX), Just(0xe1), Just(0xf1), Just(0x41), any::<i32>()]];
    let off = prop_oneof![6 => Just(0i16), 1 => prop_oneof![Just(1), Just(8), Just(16), Just(32), Just(-8), any::<i16>()]];
    (
        proptest::sample::select(codes),
        prop_oneof![Just(0u8), 0u8..11],
        prop_oneof![3 => Just(0u8), 1 => Just(1u8), 3 => 0u8..11],
        off,
        imm,
    )
        .prop_map(|(code, dst, src, off, imm)| RawInsn::new(code, dst, src, off, imm))
}

/// Programs of random slots, with LD_IMM64 given a valid tail.
fn raw_program() -> impl Strategy<Value = Vec<RawInsn>> {
    (proptest::collection::vec(raw_insn(), 1..12), any::<i32>()).prop_map(|(mut v, hi)| {
        let mut out = Vec::new();
        for r in v.drain(..) {
            out.push(r);
            if r.code == 0x18 {
                out.push(RawInsn::new(0, 0, 0, 0, if matches!(r.src, 1 | 5) { 0 } else { hi }));
            }
        }
        out
    })
}

fn bytes_of(raw: &[RawInsn]) -> Vec<u8> {
    raw.iter().flat_map(|r| r.to_bytes()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// Every decodable program encodes back to the same bytes, and its disassembly
    /// (assembler-ready style) assembles back to the same bytes.
    #[test]
    fn decode_disasm_assemble_round_trip(raw in raw_program()) {
        if let Ok(prog) = decode(&raw) {
            prop_assert_eq!(prog.to_raw(), raw.clone());
            let text: Vec<String> = disassemble(&prog, Style::source(), &()).into_iter().map(|(_, t)| t).collect();
            let src = text.join("\n");
            let a = assemble(&src).map_err(|e| TestCaseError::fail(format!("{src}\n--> {e}")))?;
            prop_assert_eq!(bytes_of(&a.program.to_raw()), bytes_of(&raw), "{}", src);
        }
    }

    /// The kernel-style listing (with `(xx)` prefixes and indexes) also assembles to the same
    /// program, except plain 64-bit constants, which the kernel prints without `ll`.
    #[test]
    fn kernel_listing_assembles(raw in raw_program()) {
        if let Ok(prog) = decode(&raw) {
            let src = bpfplay_core::listing(&prog, &());
            let a = assemble(&src).map_err(|e| TestCaseError::fail(format!("{src}\n--> {e}")))?;
            let has_plain_imm64 = prog.insns.iter().any(|i| matches!(i, bpfplay_core::Insn::LdImm64 { pseudo: 0, .. }));
            if !has_plain_imm64 {
                prop_assert_eq!(a.program, prog);
            }
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_bytes(&bytes).map(|p: Program| disassemble(&p, Style::kernel(), &()));
    }

    #[test]
    fn random_text_never_panics(s in "\\PC{0,200}") {
        let _ = assemble(&s);
    }

    /// Token soup close to real syntax reaches deeper into both parsers.
    #[test]
    fn token_soup_never_panics(toks in proptest::collection::vec(proptest::sample::select(vec![
        "r0", "w1", "r10", "r11", "%r1", "%r99", "=", "+=", "s>>=", "*", "(", ")", "[", "]", "u32", "s8", "u64",
        "+", "-", "0x10", "4294967296", "99999999999999999999999999", "goto", "gotol", "if", "pc", "call", "exit",
        "lock", "fetch", "add32", "ldxw", "stxdw", "lddw", "map", "map_value", "ll", "skb", "atomic64_cmpxchg",
        "atomic_fetch_add", ",", ":", "#", "label", "be16", "bswap64", "movsx832", "\n", ";", "//", "jne32", "ja",
        "local", "==", "s<", "&", "(s8)", "subprog", "kfunc", "callx",
    ]), 0..40)) {
        let _ = assemble(&toks.join(" "));
    }
}

#[test]
fn huge_offsets_and_long_lines_are_errors_not_panics() {
    let e = assemble("goto +40000").unwrap_err();
    assert_eq!(
        (e.line, e.col, e.message.as_str()),
        (1, 1, "jump offset 40000 does not fit in 16 bits; use gotol")
    );
    assert!(assemble(&"r0 = r0\n".repeat(10)).is_ok());
    let nines = "9".repeat(10_000);
    let e = assemble(&format!("r0 = {nines}")).unwrap_err();
    assert_eq!((e.line, e.col, e.message), (1, 6, format!("`{nines}` is not a number")));
}

/// The round-trip properties mean something only if many generated programs decode.
#[test]
fn generator_yields_decodable_programs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strat = raw_insn();
    let mut ok = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..4000 {
        let r = strat.new_tree(&mut runner).unwrap().current();
        let prog = if r.code == 0x18 { vec![r, RawInsn::default()] } else { vec![r] };
        if let Ok(p) = decode(&prog) {
            ok += 1;
            kinds.insert(
                format!("{:?}", p.insns[0]).split([' ', '{', '(']).next().unwrap().to_string(),
            );
        }
    }
    println!("{ok} of 4000 decode; instruction kinds: {kinds:?}");
    assert!(ok > 1000, "only {ok} of 4000 generated instructions decode");
    assert!(kinds.len() >= 16, "kinds covered: {kinds:?}");
}
