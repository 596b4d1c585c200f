// type: kprobe
// run: no
map dmap: array key=4 value=16 max=1

// what: verifier_diff seed 4250 (priv): message: kernel `value -N makes map_value pointer be out of bounds`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r8 = map_value[dmap]+12
r7 = 0
r7 /= 5
r7 = (s32)r7
r7 += r8
exit
