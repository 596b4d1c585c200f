// type: socket_filter
// what: bpf_loop with a callback, loaded without BTF func info: the kernel needs it for
// a callback (check_ld_imm: "missing btf func_info")
*(u64 *)(r10 -8) = 0
r1 = 10
r2 = subprog[cb]
r3 = r10
r3 += -8
r4 = 0
call bpf_loop
r1 = *(u64 *)(r10 -8)
r0 <<= 32
r0 |= r1
exit
cb:
r3 = *(u64 *)(r2 +0)
r3 += r1
*(u64 *)(r2 +0) = r3
r0 = 0
if r1 != 6 goto out
r0 = 1
out:
exit
