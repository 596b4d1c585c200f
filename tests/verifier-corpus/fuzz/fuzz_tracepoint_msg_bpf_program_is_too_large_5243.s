// type: tracepoint
// run: no
// log: 0

// what: verifier_diff seed 5243 (priv): message: kernel `BPF program is too large. Processed N insn`, bpfplay `bpfplay timed out (> N s)` | bpfplay: rejected E0 `bpfplay timed out (> 3 s)`
r6 = r1
r2 = r6
*(u64 *)(r10 -16) = 0
r3 = r10
r3 += -16
call f1
r9 = 0
l1:
r0 += r9
r9 = 3
r8 = *(u64 *)(r10 -16)
r9 += 1
if r9 <= 7 goto l1
exit
f1:
r4 = *(u64 *)(r3 +0)
r0 = 1
exit
