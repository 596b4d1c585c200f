// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 825 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN variable stack access prohibited for !root, var_off=(N; N) off=-N` | bpfplay: rejected EACCES `R8 variable stack access prohibited for !root, var_off=(0x0; 0xf) off=-64`, 10 insns
r1 = r10
r1 += -80
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r1 = r0
r1 &= 15
r8 = r10
r8 += -64
r8 += r1
exit
