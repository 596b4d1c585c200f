// type: kprobe

// what: a 4-byte load from pt_regs
r0 = *(u32 *)(r1 +8)
exit
