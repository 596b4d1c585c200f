// type: xdp
// run: no
map dmap: array key=4 value=24 max=1

// what: verifier_diff seed 190 (priv): message: kernel `invalid access to map value, value_size=N off=N size=N`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r9 = map_value[dmap]+4
r3 = *(u32 *)(r9 +12)
r4 = (s32)r3
r7 = map_value[dmap]+16
r7 += 28
r0 = *(u32 *)(r7 +0)
exit
