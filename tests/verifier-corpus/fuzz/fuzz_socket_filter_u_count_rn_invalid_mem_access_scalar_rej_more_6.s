// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 6 (unpriv): processed: rejected `RN invalid mem access 'scalar'`, bpfplay counts more | bpfplay: rejected EACCES `R4 invalid mem access 'scalar'`, 44 insns
r6 = r1
r4 = 0
r4 %= 14
if w4 >= 14 goto l1
goto l2
l1:
r0 = *(u64 *)(r4 +0)
l2:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r8 = r0
if r8 == 0 goto l3
r1 = r8
r2 = 0
call bpf_ringbuf_discard
l3:
r1 = map[rb] ll
r2 = 16
r3 = 0
call bpf_ringbuf_reserve
r8 = r0
if r8 == 0 goto l4
*(u8 *)(r8 +4) = 188
r9 = 0
*(u32 *)(r6 +56) = r9
r1 = r8
r2 = 0
call bpf_ringbuf_submit
l4:
r0 = 0
exit
