// type: socket_filter

// what: a loop counting to an unknown but bounded value (len & 7)
r2 = *(u32 *)(r1 +0)
r2 &= 7
r0 = 0
r1 = 0
loop:
r0 += 1
r1 += 1
if r1 < r2 goto loop
exit
