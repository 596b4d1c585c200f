// type: xdp
// mode: unpriv
// run: no
map dmap: array key=4 value=16 max=1

// what: verifier_diff seed 3813 (unpriv): message: kernel `program of this type cannot use helper bpf_probe_read_kernel#N`, bpfplay `RN pointer arithmetic of map value goes out of range, prohibited for !root` | bpfplay: rejected EACCES `R7 pointer arithmetic of map value goes out of range, prohibited for !root`, 7 insns
r1 = r10
r1 += -48
r2 = 0
r3 = 0
call bpf_probe_read_kernel
r7 = map_value[dmap]+12
r7 += 8
exit
