// type: socket_filter
// run: no

// what: verifier_diff seed 10272 (priv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `RN invalid mem access 'scalar'` | bpfplay: rejected EACCES `R8 invalid mem access 'scalar'`, 3 insns
r6 = r1
r8 = *(u32 *)(r6 +28)
*(u64 *)(r8 -8) = 1
call f1
exit
f1:
r0 = *(u8 *)skb[40]
exit
