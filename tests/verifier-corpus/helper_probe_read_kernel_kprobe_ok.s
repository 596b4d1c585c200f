// type: kprobe

// what: bpf_probe_read_kernel(fp-8, 8, pt_regs->di) in a kprobe
r3 = *(u64 *)(r1 +112)
r1 = r10
r1 += -8
r2 = 8
call bpf_probe_read_kernel
r0 = 0
exit
