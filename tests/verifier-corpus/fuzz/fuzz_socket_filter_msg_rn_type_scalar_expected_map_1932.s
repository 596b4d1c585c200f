// type: socket_filter
// run: no

// what: verifier_diff seed 1932 (priv): message: kernel `RN type=scalar expected=map_ptr`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
r3 = 0
r3 = (s32)r3
r1 = 0
call bpf_map_delete_elem
exit
