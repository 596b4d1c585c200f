// type: socket_filter
// mode: unpriv
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 3140 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `combined stack size of N calls is N. Too large` | bpfplay: rejected EACCES `combined stack size of 2 calls is 544. Too large`, 24 insns
call bpf_get_prandom_u32
r2 = r0
r2 &= 31
r1 = r10
r1 += -32
r3 = 0
call bpf_probe_read_kernel
call f1
exit
f1:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r8 = r0
if r8 == 0 goto l2
*(u64 *)(r10 -504) = r8
r1 = r8
r2 = 0
call bpf_ringbuf_discard
l2:
r0 = 0
exit
