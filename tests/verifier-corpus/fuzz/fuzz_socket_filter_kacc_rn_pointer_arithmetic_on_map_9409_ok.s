// type: socket_filter
// run: no
map hmap: hash key=4 value=24 max=1

// what: verifier_diff seed 9409 (priv): verdict: kernel accepts, bpfplay rejects `RN pointer arithmetic on map_value_or_null prohibited, null-check it first` | bpfplay: rejected EACCES `R1 pointer arithmetic on map_value_or_null prohibited, null-check it first`, 9 insns
r6 = r1
call bpf_get_smp_processor_id
if w0 < 4 goto l1
r1 = map[hmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
r1 = *(u32 *)(r6 +4)
r1 += r0
l1:
exit
