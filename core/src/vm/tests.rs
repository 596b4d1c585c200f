use super::exec::{alu32, alu64, byte_order, sign_extend};
use super::*;
use crate::isa::{AluOp, EndKind, Size};
use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::vec;

fn prog(src: &str) -> Program {
    crate::assemble(src).unwrap_or_else(|e| panic!("{e}\n{src}")).program
}

fn run_with(src: &str, input: &[u8]) -> Result<u64, VmError> {
    let mut vm = Vm::new(prog(src)).unwrap();
    vm.set_input(input);
    vm.run(&mut NoHost)
}

fn run(src: &str) -> Result<u64, VmError> {
    run_with(src, &[])
}

#[test]
fn div_mod_by_zero() {
    assert_eq!(alu64(AluOp::Div, 7, 0), 0);
    assert_eq!(alu64(AluOp::Mod, 7, 0), 7);
    assert_eq!(alu32(AluOp::Div, 7, 0), 0);
    assert_eq!(alu32(AluOp::Mod, 7, 0), 7);
    assert_eq!(alu64(AluOp::SDiv, (-7i64) as u64, 0), 0);
    assert_eq!(alu64(AluOp::SMod, (-7i64) as u64, 0), (-7i64) as u64);
    // 32-bit mod by zero keeps the low half of the dividend, zero-extended.
    assert_eq!(
        run("lddw %r0, 0x1122334455667788\nmov32 %r1, 0\nmod32 %r0, %r1\nexit"),
        Ok(0x55667788)
    );
    assert_eq!(run("lddw %r0, 0x1122334455667788\nmod %r0, 0\nexit"), Ok(0x1122334455667788));
    assert_eq!(run("lddw %r0, 0x1122334455667788\ndiv32 %r0, 0\nexit"), Ok(0));
    // smod32 by zero: low half, zero-extended.
    assert_eq!(run("lddw %r0, 0xffffffff80000001\nsmod32 %r0, 0\nexit"), Ok(0x80000001));
}

#[test]
fn signed_overflow() {
    assert_eq!(alu64(AluOp::SDiv, i64::MIN as u64, u64::MAX), i64::MIN as u64);
    assert_eq!(alu64(AluOp::SMod, i64::MIN as u64, u64::MAX), 0);
    assert_eq!(alu32(AluOp::SDiv, i32::MIN as u32, u32::MAX), i32::MIN as u32);
    assert_eq!(alu32(AluOp::SMod, i32::MIN as u32, u32::MAX), 0);
    assert_eq!(alu64(AluOp::SDiv, (-7i64) as u64, 2), (-3i64) as u64);
    assert_eq!(alu64(AluOp::SMod, (-7i64) as u64, 2), (-1i64) as u64);
    assert_eq!(alu32(AluOp::SMod, 7, (-2i32) as u32), 1);
    // sdiv32 result is zero-extended.
    assert_eq!(run("mov32 %r0, -8\nsdiv32 %r0, 2\nexit"), Ok(0xfffffffc));
}

#[test]
fn immediates_are_sign_extended_for_64_bit_ops() {
    // Unsigned 64-bit division by imm -1 divides by 0xffff_ffff_ffff_ffff.
    assert_eq!(run("lddw %r0, 0xfffffffffffffffe\ndiv %r0, -1\nexit"), Ok(0));
    assert_eq!(run("mov %r0, -1\nexit"), Ok(u64::MAX));
    assert_eq!(run("mov32 %r0, -1\nexit"), Ok(0xffff_ffff));
    assert_eq!(run("mov %r0, 10\ndiv32 %r0, -1\nexit"), Ok(0));
}

#[test]
fn shifts_are_masked() {
    assert_eq!(alu64(AluOp::Lsh, 1, 65), 2);
    assert_eq!(alu64(AluOp::Rsh, 4, 64 + 2), 1);
    assert_eq!(alu32(AluOp::Lsh, 1, 33), 2);
    assert_eq!(alu32(AluOp::Arsh, 0x8000_0000, 31 + 32), 0xffff_ffff);
    assert_eq!(alu64(AluOp::Arsh, 1 << 63, 63), u64::MAX);
    assert_eq!(run("mov %r0, 1\nlsh32 %r0, 32\nexit"), Ok(1));
    assert_eq!(run("lddw %r0, 0x8000000000000000\nmov32 %r1, 31\nrsh32 %r0, %r1\nexit"), Ok(0));
    // arsh32 sign-extends within 32 bits then zero-extends.
    assert_eq!(run("mov32 %r0, 0x80000000\narsh32 %r0, 4\nexit"), Ok(0xf8000000));
}

#[test]
fn byte_swaps() {
    let v = 0x1122_3344_5566_7788u64;
    assert_eq!(byte_order(EndKind::ToLe, 16, v), 0x7788);
    assert_eq!(byte_order(EndKind::ToLe, 32, v), 0x5566_7788);
    assert_eq!(byte_order(EndKind::ToLe, 64, v), v);
    assert_eq!(byte_order(EndKind::ToBe, 16, v), 0x8877);
    assert_eq!(byte_order(EndKind::ToBe, 32, v), 0x8877_6655);
    assert_eq!(byte_order(EndKind::ToBe, 64, v), 0x8877_6655_4433_2211);
    assert_eq!(byte_order(EndKind::Swap, 16, v), 0x8877);
    assert_eq!(byte_order(EndKind::Swap, 32, v), 0x8877_6655);
    assert_eq!(byte_order(EndKind::Swap, 64, v), 0x8877_6655_4433_2211);
    assert_eq!(run("lddw %r0, 0x1122334455667788\nbe16 %r0\nexit"), Ok(0x8877));
}

#[test]
fn neg_and_movsx() {
    assert_eq!(run("mov %r0, 1\nneg %r0\nexit"), Ok(u64::MAX));
    assert_eq!(run("mov %r0, 1\nneg32 %r0\nexit"), Ok(0xffff_ffff));
    assert_eq!(run("mov32 %r0, 0x80000000\nneg32 %r0\nexit"), Ok(0x8000_0000));
    assert_eq!(sign_extend(0x80, 8), 0xffff_ffff_ffff_ff80);
    assert_eq!(sign_extend(0x1234_8000, 16), 0xffff_ffff_ffff_8000);
    assert_eq!(sign_extend(0x8000_0000, 32), 0xffff_ffff_8000_0000);
    assert_eq!(run("mov %r1, 0xff\nmovsx864 %r0, %r1\nexit"), Ok(u64::MAX));
    assert_eq!(run("mov %r1, 0xff\nmovsx832 %r0, %r1\nexit"), Ok(0xffff_ffff));
    assert_eq!(run("mov %r1, 0x7fff\nmovsx1664 %r0, %r1\nexit"), Ok(0x7fff));
    assert_eq!(run("mov32 %r1, 0x80000000\nmovsx3264 %r0, %r1\nexit"), Ok(0xffff_ffff_8000_0000));
}

#[test]
fn signed_loads() {
    let mem = [0x80, 0xff, 0x00, 0x80, 0x01, 0x02, 0x03, 0x04];
    assert_eq!(run_with("ldxsb %r0, [%r1]\nexit", &mem), Ok(0xffff_ffff_ffff_ff80));
    assert_eq!(run_with("ldxsh %r0, [%r1+2]\nexit", &mem), Ok(0xffff_ffff_ffff_8000));
    assert_eq!(run_with("ldxsw %r0, [%r1]\nexit", &mem), Ok(0xffff_ffff_8000_ff80));
    assert_eq!(run_with("ldxw %r0, [%r1]\nexit", &mem), Ok(0x8000_ff80));
}

#[test]
fn jmp32_uses_low_halves() {
    assert_eq!(
        run("lddw %r1, 0x1ffffffff\nmov %r0, 0\njeq32 %r1, -1, +1\nexit\nmov %r0, 1\nexit"),
        Ok(1)
    );
    assert_eq!(
        run("lddw %r1, 0x1ffffffff\nmov %r0, 0\njeq %r1, -1, +1\nexit\nmov %r0, 1\nexit"),
        Ok(0)
    );
    assert_eq!(run("mov32 %r1, -1\nmov %r0, 0\njslt32 %r1, 0, +1\nexit\nmov %r0, 1\nexit"), Ok(1));
    assert_eq!(run("mov32 %r1, -1\nmov %r0, 0\njslt %r1, 0, +1\nexit\nmov %r0, 1\nexit"), Ok(0));
}

#[test]
fn atomics() {
    let base = "lddw %r2, 0x1122334455667788\nstxdw [%r10-8], %r2\n";
    // 32-bit fetch add: the old low half, zero-extended; the carry does not leave the word.
    let p = "mov32 %r1, 0xaa998878\nlock fetch add32 [%r10-8], %r1\nldxdw %r3, [%r10-8]\nmov %r0, %r1\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(0x5566_7788));
    let p = "mov32 %r1, 0xaa998878\nlock add32 [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(0x1122_3344_0000_0000));
    let p = "mov %r1, 1\nlock fetch add [%r10-8], %r1\nldxdw %r0, [%r10-8]\nsub %r0, %r1\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(1));
    let p = "mov %r1, 0x0f\nlock fetch and [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(8));
    let p = "mov %r1, 7\nlock xchg [%r10-8], %r1\nldxdw %r0, [%r10-8]\nadd %r0, %r1\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(0x1122_3344_5566_778f));
    let p = "mov %r1, 7\nlock xchg32 [%r10-8], %r1\nmov %r0, %r1\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(0x5566_7788));
    // cmpxchg: r0 receives the old value; the store happens only on a match.
    let p = "mov %r1, 9\nmov %r0, 0\nlock cmpxchg [%r10-8], %r1\nldxdw %r3, [%r10-8]\njne %r3, %r0, +1\nexit\nmov %r0, 0\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(0x1122_3344_5566_7788));
    let p = "mov %r1, 9\nmov %r0, %r2\nlock cmpxchg [%r10-8], %r1\nldxdw %r0, [%r10-8]\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(9));
    // 32-bit cmpxchg compares the low halves and zero-extends r0.
    let p = "mov %r1, 9\nlddw %r0, 0xffffffff55667788\nlock cmpxchg32 [%r10-8], %r1\nldxdw %r3, [%r10-8]\nlddw %r4, 0x1122334400000009\njne %r3, %r4, +1\nexit\nmov %r0, 0\nexit";
    assert_eq!(run(&alloc::format!("{base}{p}")), Ok(0x5566_7788));
}

#[test]
fn wild_accesses_are_typed_errors() {
    let e = run_with("ldxw %r0, [%r1+6]\nexit", &[0; 8]).unwrap_err();
    assert_eq!(
        e,
        VmError {
            pc: 0,
            kind: VmErrorKind::MemoryAccess { addr: INPUT_BASE + 6, size: 4, write: false }
        }
    );
    let e = run("mov %r1, 0\nstb [%r1], 1\nexit").unwrap_err();
    assert_eq!(
        e,
        VmError { pc: 1, kind: VmErrorKind::MemoryAccess { addr: 0, size: 1, write: true } }
    );
    // Below the entry frame and at the stack top.
    let e = run("stdw [%r10-520], 1\nexit").unwrap_err();
    assert!(matches!(e.kind, VmErrorKind::MemoryAccess { write: true, .. }), "{e}");
    let e = run("ldxb %r0, [%r10]\nexit").unwrap_err();
    assert_eq!(e.kind, VmErrorKind::MemoryAccess { addr: STACK_TOP, size: 1, write: false });
    // A huge offset that would wrap a naive bounds check.
    let e = run("lddw %r1, 0x2ffffffff\nldxdw %r0, [%r1+0]\nexit").unwrap_err();
    assert_eq!(e.pc, 2);
    let e = run("lddw %r1, 0xffffffffffffffff\nldxdw %r0, [%r1+0]\nexit").unwrap_err();
    assert_eq!(e.pc, 2);
    assert_eq!(
        e.to_string(),
        "insn 2: invalid memory access: read of 8 bytes at 0xffffffffffffffff"
    );
    // The stack and the input are fine.
    assert_eq!(
        run_with(
            "stdw [%r10-512], 3\nldxdw %r0, [%r10-512]\nldxb %r2, [%r1+7]\nadd %r0, %r2\nexit",
            &[0, 0, 0, 0, 0, 0, 0, 4]
        ),
        Ok(7)
    );
}

#[test]
fn read_only_regions() {
    let mut vm = Vm::new(prog("stb [%r1], 1\nexit")).unwrap();
    vm.set_input(&[0]);
    vm.memory_mut().set_input_writable(false);
    assert!(matches!(
        vm.run(&mut NoHost).unwrap_err().kind,
        VmErrorKind::MemoryAccess { write: true, .. }
    ));
    let mut vm = Vm::new(prog("ldxb %r0, [%r1]\nexit")).unwrap();
    let (_, base) = vm.memory_mut().add_region("value", vec![42], false).unwrap();
    vm.start();
    vm.set_reg(1, base);
    assert_eq!(vm.resume(&mut NoHost), Ok(42));
}

#[test]
fn budget() {
    let e = run("ja -1").unwrap_err();
    assert_eq!(e, VmError { pc: 0, kind: VmErrorKind::BudgetExhausted { limit: DEFAULT_BUDGET } });
    let mut vm = Vm::with_config(
        prog("mov %r0, 0\nadd %r0, 1\njlt %r0, 10, -2\nexit"),
        Config { budget: 22 },
    )
    .unwrap();
    assert_eq!(vm.run(&mut NoHost), Ok(10));
    assert_eq!(vm.executed(), 1 + 10 * 2 + 1);
    vm.set_config(Config { budget: 21 });
    assert!(matches!(
        vm.run(&mut NoHost).unwrap_err().kind,
        VmErrorKind::BudgetExhausted { limit: 21 }
    ));
}

#[test]
fn control_errors() {
    assert_eq!(run("mov %r0, 0").unwrap_err().kind, VmErrorKind::PcOutOfBounds { target: 1 });
    assert_eq!(
        run("ja +5\nexit").unwrap_err(),
        VmError { pc: 0, kind: VmErrorKind::PcOutOfBounds { target: 6 } }
    );
    assert_eq!(
        run("ja -2\nexit").unwrap_err(),
        VmError { pc: 0, kind: VmErrorKind::PcOutOfBounds { target: -1 } }
    );
    assert_eq!(
        run("ja +1\nlddw %r0, 1\nexit").unwrap_err(),
        VmError { pc: 2, kind: VmErrorKind::JumpIntoLdImm64 }
    );
    let bad = Program {
        insns: vec![
            Insn::Alu { alu64: true, op: AluOp::Mov, dst: 11, src: crate::isa::Operand::Imm(0) },
            Insn::Exit,
        ],
    };
    assert_eq!(Vm::new(bad).unwrap_err().kind, VmErrorKind::InvalidRegister { reg: 11 });
}

#[test]
fn local_calls() {
    let src = "
        mov %r6, 6
        mov %r1, 5
        stdw [%r10-8], 100
        mov %r2, %r10
        call local f
        add %r0, %r6
        exit
    f:
        mov %r6, 0
        ldxdw %r0, [%r10-8]     # fresh, zeroed frame
        ldxdw %r3, [%r2-8]      # the caller's frame through a pointer
        add %r0, %r3
        add %r0, %r1
        stdw [%r10-8], 1
        exit";
    assert_eq!(run(src), Ok(100 + 5 + 6));
    // Recursion is bounded by the frame limit.
    let e = run("f:\ncall local f\nexit").unwrap_err();
    assert_eq!(e, VmError { pc: 0, kind: VmErrorKind::CallDepthExceeded { max: MAX_FRAMES } });
    // Seven nested calls are fine.
    let src = "mov %r0, 0\ncall local a\nexit\na:\nadd %r0, 1\njge %r0, 7, +1\ncall local a\nexit";
    assert_eq!(run(src), Ok(7));
    let src = "mov %r0, 0\ncall local a\nexit\na:\nadd %r0, 1\njge %r0, 8, +1\ncall local a\nexit";
    assert_eq!(run(src).unwrap_err().kind, VmErrorKind::CallDepthExceeded { max: MAX_FRAMES });
}

#[test]
fn helpers() {
    let mut table = HelperTable::new();
    table.register(1, Box::new(|a, _| Ok(HelperResult::Return(a[0] + a[1]))));
    table.register(
        2,
        Box::new(|a, _| {
            if a[0] == 0 {
                Ok(HelperResult::Exit(0))
            } else {
                Ok(HelperResult::Return(a[0]))
            }
        }),
    );
    table.register(
        3,
        Box::new(|a, mem| {
            mem.write(a[0], &[7]).map_err(|_| HostError::Failed("bad pointer".into()))?;
            Ok(HelperResult::Return(0))
        }),
    );
    let mut run_t = |src: &str| {
        let mut vm = Vm::new(prog(src)).unwrap();
        vm.run(&mut table)
    };
    assert_eq!(run_t("mov %r1, 2\nmov %r2, 3\ncall 1\nexit"), Ok(5));
    assert_eq!(run_t("mov %r1, 0\ncall 2\nmov %r0, 9\nexit"), Ok(0));
    assert_eq!(run_t("mov %r1, 4\ncall 2\nmov %r0, 9\nexit"), Ok(9));
    assert_eq!(run_t("mov %r1, 0\nmov %r3, 2\ncall %r3\nmov %r0, 9\nexit"), Ok(0));
    assert_eq!(run_t("mov %r1, %r10\nsub %r1, 1\ncall 3\nldxb %r0, [%r10-1]\nexit"), Ok(7));
    assert_eq!(
        run_t("mov %r1, 0\ncall 3\nexit").unwrap_err(),
        VmError { pc: 1, kind: VmErrorKind::HelperFailed { id: 3, message: "bad pointer".into() } }
    );
    assert_eq!(
        run_t("call 9\nexit").unwrap_err(),
        VmError { pc: 0, kind: VmErrorKind::UnknownHelper { id: 9 } }
    );
    assert_eq!(
        run_t("lddw %r1, 0x100000002\ncall %r1\nexit").unwrap_err().kind,
        VmErrorKind::UnknownHelper { id: 0x1_0000_0002 }
    );
}

#[test]
fn packet_loads() {
    let pkt = [0x12, 0x34, 0x56, 0x78, 0x9a];
    assert_eq!(run_with("ldabsh 1\nexit", &pkt), Ok(0x3456));
    assert_eq!(run_with("ldabsw 1\nexit", &pkt), Ok(0x3456_789a));
    assert_eq!(run_with("ldabsb 4\nexit", &pkt), Ok(0x9a));
    assert_eq!(run_with("mov %r0, 5\nldabsw 2\nmov %r0, 9\nexit", &pkt), Ok(0));
    assert_eq!(run_with("mov %r3, 3\nldindh %r3, 0\nexit", &pkt), Ok(0x789a));
    assert_eq!(run_with("mov %r3, -1\nldindb %r3, 1\nexit", &pkt), Ok(0x12));
    assert_eq!(run_with("mov %r3, -1\nldindb %r3, 0\nmov %r0, 9\nexit", &pkt), Ok(0));
}

#[test]
fn map_references_go_through_the_host() {
    struct Maps;
    impl Host for Maps {
        fn call_helper(
            &mut self,
            _: u32,
            _: [u64; 5],
            _: &mut Memory,
        ) -> Result<HelperResult, HostError> {
            Err(HostError::UnknownHelper)
        }
        fn load_imm64(
            &mut self,
            pseudo: u8,
            imm: i32,
            _: i32,
            mem: &mut Memory,
        ) -> Result<u64, HostError> {
            assert_eq!(pseudo, 2);
            let (_, base) = mem.add_region("map", vec![imm as u8; 8], true).unwrap();
            Ok(base)
        }
    }
    let p = Program {
        insns: vec![
            Insn::LdImm64 { dst: 1, pseudo: 2, imm: 5, imm2: 0 },
            Insn::Imm64Tail,
            Insn::Ldx { size: Size::B, signed: false, dst: 0, src: 1, off: 3 },
            Insn::Exit,
        ],
    };
    let mut vm = Vm::new(p.clone()).unwrap();
    assert_eq!(vm.run(&mut Maps), Ok(5));
    let mut vm = Vm::new(p).unwrap();
    assert!(matches!(
        vm.run(&mut NoHost).unwrap_err().kind,
        VmErrorKind::UnresolvedLdImm64 { pseudo: 2, imm: 5, .. }
    ));
}

#[test]
fn stepping() {
    let mut vm =
        Vm::new(prog("mov %r0, 1\nstdw [%r10-8], 0x55\ncall local f\nexit\nf:\nadd %r0, 1\nexit"))
            .unwrap();
    vm.set_input(&[1, 2]);
    vm.start();
    assert_eq!(vm.regs()[1], INPUT_BASE);
    assert_eq!(vm.regs()[2], 2);
    assert_eq!(vm.regs()[10], STACK_TOP);
    assert_eq!(vm.step(&mut NoHost), Ok(Step::Continue));
    assert_eq!((vm.pc(), vm.reg(0)), (1, 1));
    assert_eq!(vm.step(&mut NoHost), Ok(Step::Continue));
    assert_eq!(vm.memory().frame_stack(0).unwrap()[FRAME_SIZE - 8], 0x55);
    assert_eq!(vm.step(&mut NoHost), Ok(Step::Continue));
    assert_eq!((vm.pc(), vm.frames().len(), vm.reg(10)), (4, 1, STACK_TOP - FRAME_SIZE as u64));
    assert_eq!(vm.frames()[0].return_pc, 3);
    assert_eq!(vm.memory().depth(), 2);
    vm.step(&mut NoHost).unwrap();
    vm.step(&mut NoHost).unwrap();
    assert_eq!((vm.pc(), vm.frames().len(), vm.reg(10)), (3, 0, STACK_TOP));
    assert_eq!(vm.step(&mut NoHost), Ok(Step::Exited(2)));
    assert_eq!(vm.step(&mut NoHost), Ok(Step::Exited(2)));
    assert_eq!(vm.status(), &Status::Exited(2));
    // A faulted machine keeps its error.
    let mut vm = Vm::new(prog("ldxb %r0, [%r1]\nexit")).unwrap();
    let e = vm.step(&mut NoHost).unwrap_err();
    assert_eq!(vm.step(&mut NoHost), Err(e));
}

mod random_programs {
    use super::*;
    use crate::isa::decode::{decode, opcode_known};
    use crate::isa::RawInsn;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn raw_insn() -> impl Strategy<Value = RawInsn> {
        let codes: Vec<u8> = (0..=255u8).filter(|&c| opcode_known(c)).collect();
        let imm = prop_oneof![3 => -4i32..8, 1 => Just(5), 1 => prop_oneof![Just(16), Just(32), Just(64), Just(i32::MIN), Just(-1), Just(0xe1), Just(0xf1), Just(0x01)], 1 => any::<i32>()];
        let off = prop_oneof![4 => -4i16..4, 1 => prop_oneof![Just(-8i16), Just(-512), Just(1), Just(8), Just(16)], 1 => any::<i16>()];
        (
            proptest::sample::select(codes),
            0u8..11,
            prop_oneof![2 => 0u8..11, 1 => Just(0u8), 1 => Just(1u8)],
            off,
            imm,
        )
            .prop_map(|(code, dst, src, off, imm)| RawInsn::new(code, dst, src, off, imm))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// Whatever decodes runs to an exit or a typed error: never a panic, never past the
        /// budget.
        #[test]
        fn never_panics(raw in proptest::collection::vec(raw_insn(), 1..16), input in proptest::collection::vec(any::<u8>(), 0..24)) {
            // Keep the slots that decode on their own, and end with `exit`.
            let mut slots = Vec::new();
            for r in raw {
                let one: Vec<RawInsn> = if r.code == 0x18 { vec![r, RawInsn::new(0, 0, 0, 0, 0)] } else { vec![r] };
                if decode(&one).is_ok() {
                    slots.extend(one);
                }
            }
            slots.push(RawInsn::new(0x95, 0, 0, 0, 0));
            if let Ok(p) = decode(&slots) {
                let mut vm = Vm::with_config(p, Config { budget: 5_000 }).unwrap();
                vm.set_input(&input);
                let r = vm.run(&mut crate::conformance::ConformanceHost);
                prop_assert!(vm.executed() <= 5_000);
                if let Err(e) = r {
                    let msg = e.to_string();
                    prop_assert!(!msg.is_empty());
                }
            }
        }
    }
}

#[test]
fn may_goto_falls_through_until_the_frames_budget_is_spent() {
    // A loop only may_goto ends: it falls through BPF_MAX_LOOPS times, then jumps.
    let src = "r0 = 0\nl:\nmay_goto out\nr0 += 1\ngoto l\nout:\nexit";
    let mut vm = Vm::with_config(prog(src), Config { budget: 100_000_000 }).unwrap();
    assert_eq!(vm.run(&mut NoHost), Ok(MAX_LOOPS as u64));
    // Each call gets a budget of its own: two calls of the loop count twice as far.
    let src = "call f\nr6 = r0\ncall f\nr0 += r6\nexit\nf:\nr0 = 0\nl:\nmay_goto out\nr0 += 1\ngoto l\nout:\nexit";
    let mut vm = Vm::with_config(prog(src), Config { budget: 100_000_000 }).unwrap();
    assert_eq!(vm.run(&mut NoHost), Ok(2 * MAX_LOOPS as u64));
    // A second run starts with a full budget again.
    assert_eq!(vm.run(&mut NoHost), Ok(2 * MAX_LOOPS as u64));
}
