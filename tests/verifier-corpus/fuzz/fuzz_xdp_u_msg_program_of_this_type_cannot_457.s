// type: xdp
// mode: unpriv
// run: no

// what: verifier_diff seed 457 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 15`, 40 insns
r6 = r1
r9 = *(u32 *)(r6 +0)
r8 = *(u32 *)(r6 +4)
r4 = r9
if r8 < r4 goto l1
l1:
r2 = 0
if r2 <= 7 goto l3
l3:
r1 = r10
r1 += -56
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r8 = *(u32 *)(r6 +0)
r7 = *(u32 *)(r6 +4)
r2 = r8
if r2 > r7 goto l6
l6:
exit
