// type: socket_filter
// mode: unpriv

// what: the callee initialises the caller's stack slot; the caller reads it; returns 3
r1 = r10
r1 += -8
call put
r0 = *(u64 *)(r10 -8)
exit
put:
r2 = 3
*(u64 *)(r1 +0) = r2
r0 = 0
exit
