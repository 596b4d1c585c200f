// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 1541 (unpriv): message: kernel `combined stack size of N calls is N. Too large`, bpfplay `RN has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root` | bpfplay: rejected EACCES `R5 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root`, 20 insns
r6 = r1
r9 = *(u32 *)(r6 +0)
call bpf_get_smp_processor_id
if r0 & 2 goto l2
goto l4
l2:
r8 = *(u32 *)(r6 +0)
r7 = *(u32 *)(r6 +4)
r1 = r8
r1 += 14
if r1 > r7 goto l5
r2 = *(u8 *)(r8 +0)
r5 = r8
r5 += r2
l5:
l4:
*(u64 *)(r10 -440) = r9
call f1
exit
f1:
r6 = 0
*(u64 *)(r10 -424) = r6
r0 = 0
exit
