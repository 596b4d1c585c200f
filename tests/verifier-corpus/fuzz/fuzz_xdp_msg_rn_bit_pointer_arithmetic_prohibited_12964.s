// type: xdp
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 12964 (priv): message: kernel `RN N-bit pointer arithmetic prohibited`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r8 = 0
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r8 = (s32)r8
w0 += 1
exit
