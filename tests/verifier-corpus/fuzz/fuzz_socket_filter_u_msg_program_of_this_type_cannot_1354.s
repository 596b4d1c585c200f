// type: socket_filter
// mode: unpriv
// run: no
map pamap: percpu_array key=4 value=64 max=16

// what: verifier_diff seed 1354 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN !read_ok` | bpfplay: rejected EACCES `R1 !read_ok`, 7 insns
call f1
exit
f1:
*(u32 *)(r10 -8) = 10
r1 = map[pamap] ll
r2 = r10
r2 += -8
call bpf_map_lookup_elem
call bpf_probe_read_kernel
exit
