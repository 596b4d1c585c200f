// type: kprobe

// what: the last field, ss at offset 160
r0 = *(u64 *)(r1 +160)
exit
