// type: socket_filter
// mode: unpriv

// what: comparing the (never NULL) context pointer with 0 without CAP_PERFMON
r0 = 0
if r1 != 0 goto +1
r0 = 1
exit
