// type: kprobe

// what: pt_regs->di (offset 112) and ->ip (offset 128)
r2 = *(u64 *)(r1 +112)
r0 = *(u64 *)(r1 +128)
r0 = 0
exit
