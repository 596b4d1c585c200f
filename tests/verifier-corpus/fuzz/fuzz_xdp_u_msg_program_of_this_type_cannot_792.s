// type: xdp
// mode: unpriv
// run: no
map phmap: percpu_hash key=4 value=8 max=64

// what: verifier_diff seed 792 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN pointer arithmetic on map_value_or_null prohibited, null-check it first` | bpfplay: rejected EACCES `R5 pointer arithmetic on map_value_or_null prohibited, null-check it first`, 14 insns
r6 = r1
r1 = r10
r1 += -72
r2 = 0
r3 = 0
call bpf_probe_read_kernel
*(u32 *)(r10 -28) = 11
r1 = map[phmap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
r9 = r0
r5 = *(u32 *)(r6 +12)
r5 += r9
exit
