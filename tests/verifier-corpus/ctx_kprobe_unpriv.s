// type: kprobe
// mode: unpriv

// what: kprobe programs need CAP_PERFMON: refused before verification
r0 = 0
exit
