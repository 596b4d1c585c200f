// type: kprobe
// run: no

// what: verifier_diff seed 3838 (priv): message (numbers differ): kernel `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 11`, 58 insns
call f1
r2 = r0
r1 = r10
r1 += -24
r3 = 0
exit
f1:
call bpf_get_prandom_u32
r6 = r0
l1:
r6 += 1
if r6 != 0 goto l1
r7 = 0
l2:
r7 += 1
if r7 != 6 goto l2
exit
