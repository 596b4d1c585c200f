// type: socket_filter
// what: a loop bounded only by may_goto: the verifier proves it converges (a deeper
// may_goto state within the one being explored) instead of walking every iteration
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
