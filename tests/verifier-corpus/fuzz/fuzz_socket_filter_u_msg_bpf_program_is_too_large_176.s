// type: socket_filter
// mode: unpriv
// run: no
// log: 0

// what: verifier_diff seed 176 (unpriv): message: kernel `BPF program is too large. Processed N insn`, bpfplay `bpfplay timed out (> N s)` | bpfplay: rejected E0 `bpfplay timed out (> 3 s)`
r6 = r1
r9 = 3
r3 = *(s32 *)(r6 +48)
r7 = 0
l3:
r3 -= 5
r7 += 2
if r7 < 4 goto l3
r0 = 1
exit
