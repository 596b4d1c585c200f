use super::*;
use crate::disasm::{insn_text, Style};
use crate::isa::decode::decode;

fn one(src: &str) -> Insn {
    let a = assemble(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    a.program.insns[0]
}

fn err(src: &str) -> AsmError {
    assemble(src).expect_err(src)
}

#[test]
fn pseudo_c_forms() {
    assert_eq!(
        one("r0 = *(u32 *)(r1 + 4)"),
        Insn::Ldx { size: Size::W, signed: false, dst: 0, src: 1, off: 4 }
    );
    assert_eq!(
        one("r0 = *(s16 *)(r1 -2)"),
        Insn::Ldx { size: Size::H, signed: true, dst: 0, src: 1, off: -2 }
    );
    assert_eq!(
        one("if w1 s< w2 goto +3"),
        Insn::Jmp { jmp32: true, cond: JmpCond::Slt, dst: 1, src: Operand::Reg(2), off: 3 }
    );
    assert_eq!(
        one("if r1 > 0x10 goto pc-1"),
        Insn::Jmp { jmp32: false, cond: JmpCond::Gt, dst: 1, src: Operand::Imm(16), off: -1 }
    );
    assert_eq!(one("call bpf_map_lookup_elem"), Insn::Call { kind: CallKind::Helper, imm: 1 });
    assert_eq!(one("call map_update_elem"), Insn::Call { kind: CallKind::Helper, imm: 2 });
    assert_eq!(one("call bpf_map_lookup_elem#1"), Insn::Call { kind: CallKind::Helper, imm: 1 });
    assert_eq!(
        one("lock *(u64 *)(r10 -8) += r1"),
        Insn::Atomic { size: Size::DW, op: AtomicOp::Add, fetch: false, dst: 10, src: 1, off: -8 }
    );
    assert_eq!(
        one("r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)"),
        Insn::Atomic { size: Size::DW, op: AtomicOp::Add, fetch: true, dst: 10, src: 1, off: -8 }
    );
    assert_eq!(
        one("r0 = atomic_cmpxchg((u32 *)(r2 +0), r0, r3)"),
        Insn::Atomic { size: Size::W, op: AtomicOp::Cmpxchg, fetch: true, dst: 2, src: 3, off: 0 }
    );
    assert_eq!(
        one("r1 = 0x1122334455667788"),
        Insn::LdImm64 { dst: 1, pseudo: 0, imm: 0x55667788, imm2: 0x11223344 }
    );
    assert_eq!(one("r1 = 5 ll"), Insn::LdImm64 { dst: 1, pseudo: 0, imm: 5, imm2: 0 });
    assert_eq!(
        one("r1 = -1"),
        Insn::Alu { alu64: true, op: AluOp::Mov, dst: 1, src: Operand::Imm(-1) }
    );
    assert_eq!(
        one("w1 = 0xffffffff"),
        Insn::Alu { alu64: false, op: AluOp::Mov, dst: 1, src: Operand::Imm(-1) }
    );
    assert_eq!(one("r1 = 0xffffffff"), Insn::LdImm64 { dst: 1, pseudo: 0, imm: -1, imm2: 0 });
    assert_eq!(
        one("r2 s/= r3"),
        Insn::Alu { alu64: true, op: AluOp::SDiv, dst: 2, src: Operand::Reg(3) }
    );
    assert_eq!(
        one("w2 s>>= 3"),
        Insn::Alu { alu64: false, op: AluOp::Arsh, dst: 2, src: Operand::Imm(3) }
    );
    assert_eq!(one("r2 = (s8)r3"), Insn::MovSx { alu64: true, dst: 2, src: 3, bits: 8 });
    assert_eq!(one("r2 = be16 r2"), Insn::End { kind: EndKind::ToBe, bits: 16, dst: 2 });
    assert_eq!(one("r2 = bswap64 r2"), Insn::End { kind: EndKind::Swap, bits: 64, dst: 2 });
    assert_eq!(one("r0 = -r0"), Insn::Neg { alu64: true, dst: 0 });
    assert_eq!(one("*(u16 *)(r10 -2) = 7"), Insn::St { size: Size::H, dst: 10, off: -2, imm: 7 });
    assert_eq!(
        one("*(u64 *)(r10 -8) = r1"),
        Insn::Stx { size: Size::DW, dst: 10, src: 1, off: -8 }
    );
    assert_eq!(one("r0 = *(u8 *)skb[23]"), Insn::LdAbs { size: Size::B, imm: 23 });
    assert_eq!(one("r0 = *(u16 *)skb[r1 + -4]"), Insn::LdInd { size: Size::H, src: 1, imm: -4 });
    assert_eq!(one("gotol +70000"), Insn::Ja { off: 70000, long: true });
    assert_eq!(
        one("3: (bf) r6 = r1                 ; R1=ctx()"),
        Insn::Alu { alu64: true, op: AluOp::Mov, dst: 6, src: Operand::Reg(1) }
    );
}

#[test]
fn labels_and_maps() {
    let a = assemble("map counts: hash key=4 value=8 max=64\n  r1 = map[counts] ll\n  r2 = map[other]\nloop: if r1 == 0 goto out\n goto loop\nout:\n  call f\n  exit\nf: r0 = 0\n exit").unwrap();
    assert_eq!(a.maps, ["counts", "other"]);
    assert_eq!(a.map_decls[0].spec, "hash key=4 value=8 max=64");
    assert_eq!(a.program.insns[0], Insn::LdImm64 { dst: 1, pseudo: 1, imm: 0, imm2: 0 });
    assert_eq!(a.program.insns[2], Insn::LdImm64 { dst: 2, pseudo: 1, imm: 1, imm2: 0 });
    assert_eq!(
        a.program.insns[4],
        Insn::Jmp { jmp32: false, cond: JmpCond::Eq, dst: 1, src: Operand::Imm(0), off: 1 }
    );
    assert_eq!(a.program.insns[5], Insn::Ja { off: -2, long: false });
    assert_eq!(a.program.insns[6], Insn::Call { kind: CallKind::Local, imm: 1 });
    assert_eq!(a.lines[4], 4);
}

#[test]
fn ubpf_forms() {
    let a = assemble("mov %r0, 1\nldxw %r0, [%r1+4]\nlddw %r0, 0x1122334455667788\njne %r0, %r1, l\nlock xor [%r10-8], %r1\nlock fetch add32 [%r10-4], %r2\nl:\ncall local f\nmovsx832 %r0, %r1\nbe16 %r3\nexit\nf:\nexit").unwrap();
    let i = &a.program.insns;
    assert_eq!(i[0], Insn::Alu { alu64: true, op: AluOp::Mov, dst: 0, src: Operand::Imm(1) });
    assert_eq!(i[1], Insn::Ldx { size: Size::W, signed: false, dst: 0, src: 1, off: 4 });
    assert_eq!(
        i[4],
        Insn::Jmp { jmp32: false, cond: JmpCond::Ne, dst: 0, src: Operand::Reg(1), off: 2 }
    );
    assert_eq!(
        i[5],
        Insn::Atomic { size: Size::DW, op: AtomicOp::Xor, fetch: false, dst: 10, src: 1, off: -8 }
    );
    assert_eq!(
        i[6],
        Insn::Atomic { size: Size::W, op: AtomicOp::Add, fetch: true, dst: 10, src: 2, off: -4 }
    );
    assert_eq!(i[7], Insn::Call { kind: CallKind::Local, imm: 3 });
    assert_eq!(i[8], Insn::MovSx { alu64: false, dst: 0, src: 1, bits: 8 });
}

#[test]
fn errors_have_positions() {
    let e = err("r0 = 1\nr0 = *(u33 *)(r1 +0)");
    assert_eq!((e.line, e.col), (2, 8));
    assert!(e.message.contains("u33"), "{}", e.message);
    let e = err("or %r0, %r50");
    assert_eq!((e.line, e.col), (1, 9));
    let e = err("ja NOT_A_LABEL");
    assert!(e.message.contains("NOT_A_LABEL"));
    assert!(err("mov32 %r0, 2147483648").message.contains("32 bits"));
    assert!(err("mov32 %r0, 0x100000000").message.contains("32 bits"));
    assert!(err("ldxb %r0, [%r1+0x10000]").message.contains("16 bits"));
    assert!(err("lock").message.contains("atomic"));
    assert!(err("lddw %r0").message.contains("`,`"));
    assert!(err("ldxq %r0, %r1").message.contains("unknown mnemonic"));
    assert!(err("r0 = ").message.contains("end of line"));
    assert!(err("w0 += r1").message.contains("32-bit"));
}

#[test]
fn disasm_matches_kernel_text() {
    let t = |s: &str| insn_text(&one(s), Style::kernel(), &()).unwrap();
    assert_eq!(t("r6 = r1"), "(bf) r6 = r1");
    assert_eq!(t("r0 = *(u32 *)(r1 +0)"), "(61) r0 = *(u32 *)(r1 +0)");
    assert_eq!(t("call 1"), "(85) call bpf_map_lookup_elem#1");
    assert_eq!(t("call 9999"), "(85) call unknown#9999");
    assert_eq!(t("if r0 == 0 goto +2"), "(15) if r0 == 0x0 goto pc+2");
    assert_eq!(
        t("r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)"),
        "(db) r1 = atomic64_fetch_add((u64 *)(r10 -8), r1)"
    );
    assert_eq!(t("r0 = 0"), "(b7) r0 = 0");
    assert_eq!(t("w0 = -1"), "(b4) w0 = -1");
    assert_eq!(t("r1 = 0x1122334455667788"), "(18) r1 = 0x1122334455667788");
    assert_eq!(t("r2 = le32 r2"), "(d4) r2 = le32 r2");
    assert_eq!(t("r2 = bswap16 r2"), "(d7) r2 = bswap16 r2");
    assert_eq!(t("lock *(u32 *)(r1 +4) |= r2"), "(c3) lock *(u32 *)(r1 +4) |= r2");
    assert_eq!(
        t("r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)"),
        "(db) r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)"
    );
    assert_eq!(
        t("r2 = atomic_xchg((u32 *)(r10 -8), r2)"),
        "(c3) r2 = atomic_xchg((u32 *)(r10 -8), r2)"
    );
    assert_eq!(t("w1 s%= 3"), "(94) w1 s%= 3");
    assert_eq!(t("r1 = (s32)r2"), "(bf) r1 = (s32)r2");
    assert_eq!(t("r1 = *(s8 *)(r2 -1)"), "(91) r1 = *(s8 *)(r2 -1)");
    assert_eq!(t("gotol -3"), "(06) gotol pc-3");
    assert_eq!(t("may_goto +4"), "(e5) may_goto pc+4");
    assert_eq!(t("may_goto pc-1"), "(e5) may_goto pc-1");
    assert_eq!(t("r0 = *(u16 *)skb[12]"), "(28) r0 = *(u16 *)skb[12]");
    assert_eq!(t("call pc+4"), "(85) call pc+4");
    let a = assemble("r1 = map[counts] ll").unwrap();
    assert_eq!(
        insn_text(&a.program.insns[0], Style::kernel(), &a.maps).unwrap(),
        "(18) r1 = map[counts]"
    );
}

#[test]
fn decode_tidiness_messages() {
    let msg =
        |r: RawInsn| decode(&[r, RawInsn::new(0x95, 0, 0, 0, 0)]).unwrap_err().kind.to_string();
    assert_eq!(msg(RawInsn::new(0xff, 0, 0, 0, 0)), "unknown opcode ff");
    assert_eq!(msg(RawInsn::new(0x07, 0, 1, 0, 1)), "BPF_ALU uses reserved fields");
    assert_eq!(msg(RawInsn::new(0x85, 1, 0, 0, 1)), "BPF_CALL uses reserved fields");
    assert_eq!(msg(RawInsn::new(0x05, 0, 0, 0, 1)), "BPF_JA uses reserved fields");
    assert_eq!(msg(RawInsn::new(0x61, 0, 1, 0, 1)), "BPF_LDX uses reserved fields");
    assert_eq!(msg(RawInsn::new(0xdc, 1, 0, 0, 8)), "BPF_END uses reserved fields");
    let e = decode(&[RawInsn::new(0x18, 0, 0, 0, 0)]).unwrap_err();
    assert_eq!(e.kind.to_string(), "invalid bpf_ld_imm64 insn");
}

#[test]
fn dialects_differ_where_the_kernel_is_lenient() {
    use crate::isa::decode::{decode_with, Dialect};
    // Measured on Linux 6.18: `exit` with off=1 loads; callx (0x8d) is "unknown opcode 8d".
    let exit_off = [RawInsn::new(0xb7, 0, 0, 0, 0), RawInsn::new(0x95, 0, 0, 1, 0)];
    assert!(decode_with(&exit_off, Dialect::Kernel).is_ok());
    assert_eq!(
        decode_with(&exit_off, Dialect::Conformance).unwrap_err().kind.to_string(),
        "BPF_EXIT uses reserved fields"
    );
    let callx = [RawInsn::new(0x8d, 2, 0, 0, 0), RawInsn::new(0x95, 0, 0, 0, 0)];
    assert_eq!(
        decode_with(&callx, Dialect::Kernel).unwrap_err().kind.to_string(),
        "unknown opcode 8d"
    );
    assert_eq!(decode_with(&callx, Dialect::Conformance).unwrap().insns[0], Insn::Callx { reg: 2 });
    let asc = [RawInsn::new(0xbf, 1, 2, 1, 0), RawInsn::new(0x95, 0, 0, 0, 0)];
    assert_eq!(
        decode(&asc).unwrap_err().kind.to_string(),
        "addr_space_cast insn can only convert between address space 1 and 0"
    );
}

/// The kernel prints `LD_IMM64` of a small constant like a move (`(18) r3 = 0xf000f00`);
/// its opcode makes the line reassemble to the two-slot load, so a kernel listing gives back
/// the same bytes.
#[test]
fn a_kernel_listing_of_a_small_ld_imm64_reassembles_to_it() {
    let a = assemble("r3 = 0xf000f00 ll\nr4 = -5 ll\nr0 = 7\nexit").unwrap();
    let text: String = a
        .program
        .insns
        .iter()
        .filter(|i| !matches!(i, Insn::Imm64Tail))
        .map(|i| insn_text(i, Style::kernel(), &()).unwrap() + "\n")
        .collect();
    assert!(text.starts_with("(18) r3 = 0xf000f00\n"), "{text}");
    let back = assemble(&text).unwrap();
    assert_eq!(back.program.insns, a.program.insns, "{text}");
    // Without the opcode it stays a move.
    assert_eq!(assemble("r3 = 0xf000f00").unwrap().program.insns.len(), 1);
}
