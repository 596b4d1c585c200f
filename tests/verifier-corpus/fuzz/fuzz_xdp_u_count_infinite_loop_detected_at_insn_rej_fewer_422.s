// type: xdp
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 422 (unpriv): processed: rejected `infinite loop detected at insn N`, bpfplay counts fewer | bpfplay: rejected EINVAL `infinite loop detected at insn 1`, 230 insns
r7 = 0
l1:
r0 = r7
r7 += 1
if r7 <= 12 goto l1
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r8 = r0
if r8 == 0 goto l2
r1 = r8
r2 = 0
call bpf_ringbuf_submit
l2:
r0 = 0
exit
