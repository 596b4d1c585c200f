// type: socket_filter
// mode: unpriv
// run: no
map pamap: percpu_array key=4 value=16 max=1

// what: verifier_diff seed 3274 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `math between map_value pointer and register with unbounded min value is not allowed` | bpfplay: rejected EACCES `math between map_value pointer and register with unbounded min value is not allowed`, 18 insns
r1 = r10
r1 += -88
r2 = 0
r3 = 0
call bpf_probe_read_kernel
*(u32 *)(r10 -48) = 1
r1 = map[pamap] ll
r2 = r10
r2 += -48
call bpf_map_lookup_elem
if r0 != 0 goto l4
l4:
r8 = 0
r8 %= 17
r8 += r0
exit
