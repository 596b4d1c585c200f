// type: socket_filter
// run: no
// log: 0
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 911 (priv): message: kernel `BPF program is too large. Processed N insn`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 10`, 110 insns
r1 = map[rb] ll
r2 = r10
r2 += -56
r3 = 16
r4 = 0
call bpf_ringbuf_output
if w0 >= 67108864 goto l1
r7 = -16
l1:
r6 = 0
l2:
r6 = -1722260392
r0 += r6
r6 += 1
if r6 s< 5 goto l2
r1 = 262144
call f1
r6 = r10
r6 += -16
r1 += r7
r4 = *(u64 *)(r1 +0)
*(u64 *)(r7 +1) = 8
exit
f1:
r0 = 3
exit
