// type: socket_filter
// mode: unpriv
// run: no
map dmap: array key=4 value=16 max=1

// what: verifier_diff seed 4027 (unpriv): message: kernel `value -N makes map_value pointer be out of bounds`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call f1
r9 = map_value[dmap]+0
r5 = r0
r5 /= 9
r5 = (s32)r5
r5 += r9
exit
f1:
r0 = 0
exit
