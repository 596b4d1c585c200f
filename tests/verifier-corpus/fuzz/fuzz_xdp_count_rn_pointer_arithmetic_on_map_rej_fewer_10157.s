// type: xdp
// run: no
map hmap: hash key=8 value=12 max=1

// what: verifier_diff seed 10157 (priv): processed: rejected `RN pointer arithmetic on map_value_or_null prohibited, null-check it first`, bpfplay counts fewer | bpfplay: rejected EACCES `R9 pointer arithmetic on map_value_or_null prohibited, null-check it first`, 11 insns
r6 = r1
r7 = 0
w7 /= 11
r5 = -1646710311
if r7 < r5 goto l1
goto l2
l1:
r1 = map[hmap] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
r9 = r0
r9 += 0
l2:
r0 = r6
exit
