// type: tracepoint
// run: no
map lmap: lru_hash key=4 value=24 max=16

// what: verifier_diff seed 19430 (priv): message: kernel `RN pointer arithmetic with <<= operator prohibited`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call f1
r1 = map[lmap] ll
r2 = r10
r1 = (s32)r1
r2 <<= 1
exit
f1:
exit
