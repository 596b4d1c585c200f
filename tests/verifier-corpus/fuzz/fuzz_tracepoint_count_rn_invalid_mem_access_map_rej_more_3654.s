// type: tracepoint
// run: no
map hmap: hash key=8 value=8 max=1

// what: verifier_diff seed 3654 (priv): processed: rejected `RN invalid mem access 'map_value_or_null'`, bpfplay counts more | bpfplay: rejected EACCES `R0 invalid mem access 'map_value_or_null'`, 9 insns
call bpf_get_smp_processor_id
r1 = 3
if r0 <= r1 goto l1
r9 = 0
l1:
r1 = map[hmap] ll
r2 = r10
r2 += -24
call bpf_map_lookup_elem
r7 = *(u8 *)(r0 +0)
exit
