// type: xdp
// mode: unpriv
// run: no
map pamap: percpu_array key=4 value=8 max=1

// what: verifier_diff seed 195 (unpriv): message: kernel `RN unbounded memory access, make sure to bounds check any such access`, bpfplay `RN pointer arithmetic of map value goes out of range, prohibited for !root` | bpfplay: rejected EACCES `R7 pointer arithmetic of map value goes out of range, prohibited for !root`, 10 insns
*(u32 *)(r10 -40) = 0
r1 = map[pamap] ll
r2 = r10
r2 += -40
call bpf_map_lookup_elem
r9 = r0
r7 = 0
r7 %= 9
r7 >>= 11
r7 += r9
exit
