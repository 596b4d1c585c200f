// type: kprobe

// what: pt_regs is read-only
r2 = 0
*(u64 *)(r1 +0) = r2
r0 = 0
exit
