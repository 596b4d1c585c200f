// type: xdp
// run: no
map rb: ringbuf key=0 value=0 max=4096

// what: verifier_diff seed 8172 (priv): message: kernel `RN invalid mem access 'ringbuf_mem_or_null'`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r8 = 0
r8 = (s32)r8
call f1
exit
f1:
r1 = map[rb] ll
r2 = 0
r3 = 0
call bpf_ringbuf_reserve
r9 = r0
r7 = *(u32 *)(r9 +8)
exit
