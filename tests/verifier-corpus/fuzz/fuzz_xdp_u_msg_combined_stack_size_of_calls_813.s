// type: xdp
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 813 (unpriv): message: kernel `combined stack size of N calls is N. Too large`, bpfplay `infinite loop detected at insn N` | bpfplay: rejected EINVAL `infinite loop detected at insn 10`, 34 insns
r6 = r1
r9 = *(u32 *)(r6 +0)
r7 = *(u32 *)(r6 +4)
r2 = r9
if r2 > r7 goto l1
l1:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l2
r1 = r0
r2 = 0
call bpf_ringbuf_submit
l2:
r1 = 0
*(u32 *)(r10 -44) = r1
call f1
exit
f1:
r7 = 0
*(u16 *)(r10 -494) = r7
r0 = 0
exit
