// type: socket_filter
// mode: unpriv

// what: a bounded loop without CAP_SYS_ADMIN/CAP_PERFMON: the speculative path of the back-edge loops
r0 = 0
r1 = 0
loop:
r0 += r1
r1 += 1
if r1 < 4 goto loop
exit
