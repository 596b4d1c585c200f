// type: kprobe

// what: a kprobe returning an unknown scalar
r0 = *(u64 *)(r1 +0)
exit
