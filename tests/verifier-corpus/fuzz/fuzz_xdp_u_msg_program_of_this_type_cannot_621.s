// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 621 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root` | bpfplay: rejected EACCES `R2 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root`, 14 insns
r6 = r1
r1 = r10
r1 += -56
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r9 = *(u32 *)(r6 +0)
r7 = *(u32 *)(r6 +4)
r3 = r9
r3 += 20
if r3 > r7 goto l3
r1 = *(u8 *)(r9 +0)
r2 = r9
r2 += r1
l3:
exit
