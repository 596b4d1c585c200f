// type: xdp
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 4570 (unpriv): processed: rejected `invalid size of register fill`, bpfplay counts more | bpfplay: rejected EACCES `invalid size of register fill`, 35 insns
r6 = r1
*(u64 *)(r10 -64) = r6
r5 = 0
w5 s%= -16
if w5 < 15 goto l1
r7 = *(u32 *)(r6 +0)
r8 = *(u32 *)(r6 +4)
r4 = r7
if r4 > r8 goto l2
l2:
goto l3
l1:
r9 = *(u16 *)(r10 -64)
l3:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r7 = r0
if r7 == 0 goto l4
r1 = r7
r2 = 0
call bpf_ringbuf_submit
l4:
r0 = 0
exit
