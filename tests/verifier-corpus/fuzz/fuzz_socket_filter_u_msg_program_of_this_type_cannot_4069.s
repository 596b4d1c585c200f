// type: socket_filter
// mode: unpriv
// run: no
map phmap: percpu_hash key=4 value=4 max=1

// what: verifier_diff seed 4069 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN pointer arithmetic with %= operator prohibited` | bpfplay: rejected EACCES `R9 pointer arithmetic with %= operator prohibited`, 15 insns
r8 = 0
*(u64 *)(r10 -40) = r8
r1 = map[phmap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
if r0 == 0 goto l1
r9 = *(u16 *)(r0 +0)
l1:
r1 = r10
r1 += -48
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r7 = r10
r9 %= r7
exit
