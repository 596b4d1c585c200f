// type: socket_filter
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 5757 (priv): message: kernel `Unreleased reference id=N alloc_insn=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call bpf_get_prandom_u32
r2 = r0
r2 = (s32)r2
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
exit
