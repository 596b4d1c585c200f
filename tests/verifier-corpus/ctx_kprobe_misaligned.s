// type: kprobe

// what: an 8-byte load at offset 4
r0 = *(u64 *)(r1 +4)
exit
