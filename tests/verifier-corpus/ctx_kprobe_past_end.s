// type: kprobe

// what: offset 168, past the end of struct pt_regs
r0 = *(u64 *)(r1 +168)
exit
