// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 486 (unpriv): verdict: kernel accepts, bpfplay rejects `invalid bpf_context access off=N size=N` | bpfplay: rejected EACCES `invalid bpf_context access off=48 size=2`, 2 insns
r0 = 0
*(u16 *)(r1 +48) = r0
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r8 = r0
if r8 == 0 goto l1
r1 = r8
r2 = 0
call bpf_ringbuf_submit
l1:
r0 = 0
exit
