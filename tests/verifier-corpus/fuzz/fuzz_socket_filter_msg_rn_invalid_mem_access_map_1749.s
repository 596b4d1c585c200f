// type: socket_filter
// run: no
map phmap: percpu_hash key=4 value=24 max=16

// what: verifier_diff seed 1749 (priv): message: kernel `RN invalid mem access 'map_value_or_null'`, bpfplay `invalid bpf_context access off=N size=N` | bpfplay: rejected EACCES `invalid bpf_context access off=48 size=2`, 3 insns
r6 = r1
r0 = 0
*(u16 *)(r6 +48) = r0
r1 = map[phmap] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
r8 = r0
*(u64 *)(r8 +0) = r0
exit
