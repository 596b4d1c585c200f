// type: xdp
// run: no
map phmap: percpu_hash key=4 value=48 max=1

// what: verifier_diff seed 18881 (priv): message: kernel `RN min value is negative, either use unsigned index or do a if (index >=N) check.`, bpfplay `bpfplay panicked: index out of bounds: the len is N but the index is N` | bpfplay: rejected E0 `bpfplay panicked: index out of bounds: the len is 3 but the index is 3`
call bpf_get_smp_processor_id
r7 = r0
r1 = map[phmap] ll
r2 = r10
r2 += -16
call bpf_map_lookup_elem
if r0 != 0 goto l5
goto l4
l5:
r1 = r7
r1 %= 9
r1 = (s32)r1
r1 = (s8)r1
r1 += r0
r1 = *(u32 *)(r1 +0)
l4:
exit
