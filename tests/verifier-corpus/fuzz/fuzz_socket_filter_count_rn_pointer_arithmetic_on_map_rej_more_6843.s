// type: socket_filter
// run: no
map amap: array key=4 value=32 max=16
map pamap: percpu_array key=4 value=32 max=16

// what: verifier_diff seed 6843 (priv): processed: rejected `RN pointer arithmetic on map_value_or_null prohibited, null-check it first`, bpfplay counts more | bpfplay: rejected EACCES `R6 pointer arithmetic on map_value_or_null prohibited, null-check it first`, 33 insns
r6 = r1
r2 = *(u32 *)(r6 +28)
call f1
call f2
exit
f1:
r1 = map[amap] ll
r2 = r10
r2 += -28
call bpf_map_lookup_elem
r7 = r0
call bpf_get_prandom_u32
r6 = r0
if r6 <= 30 goto l4
goto l3
l4:
r6 += r7
l3:
r4 = 0
r4 s%= r4
if w4 <= 65536 goto l5
*(u8 *)(r10 -38) = r0
l5:
exit
f2:
r1 = map[pamap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
exit
