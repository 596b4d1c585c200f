// type: socket_filter
// mode: unpriv
// run: no
map dmap: array key=4 value=64 max=1

// what: verifier_diff seed 319 (unpriv): message: kernel `direct value offset of N is not allowed`, bpfplay `invalid access to map value pointer, value_size=N off=N` | bpfplay: rejected EINVAL `invalid access to map value pointer, value_size=64 off=4294967288`, 0 insns
r8 = map_value[dmap]-8
exit
