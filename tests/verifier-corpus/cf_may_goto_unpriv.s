// type: socket_filter
// mode: unpriv
// what: the may_goto loop of cf_may_goto_loop_ok, unprivileged
r1 = 0
r2 = r10
r2 += -64
loop:
may_goto done
*(u64 *)(r2 +0) = r1
r2 += 8
r1 += 1
if r1 != 8 goto loop
done:
r0 = 0
exit
