// type: tracepoint
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 1546 (priv): message: kernel `invalid access to memory, mem_size=N off=N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r2 = r10
r3 = r10
r2 = (s32)r2
r1 = map[rb] ll
r2 = 0
call bpf_ringbuf_reserve
if r0 == 0 goto l1
r8 = *(u8 *)(r0 +64)
l1:
exit
