// type: socket_filter
// mode: unpriv
// run: no

// what: verifier_diff seed 2908 (unpriv): message: kernel `LD_ABS is not allowed in subprogs without BTF`, bpfplay `RN variable stack access prohibited for !root, var_off=(N; N) off=-N` | bpfplay: rejected EACCES `R8 variable stack access prohibited for !root, var_off=(0x0; 0x1f) off=-64`, 6 insns
call bpf_get_prandom_u32
r7 = r0
r7 &= 31
r8 = r10
r8 += -64
r8 += r7
call f1
exit
f1:
r0 = *(u32 *)skb[r7 + 2]
exit
