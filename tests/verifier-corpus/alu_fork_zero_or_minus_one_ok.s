// type: socket_filter
// what: 6.18's maybe_fork_scalars: a scalar that is 0 or -1 is split before `|= 3`; the
// same instruction is walked again with 0 ("from 4 to 4").
r9 = *(u32 *)(r1 +16)
r9 &= 1
r9 = -r9
r9 s>>= 5
r9 |= 3
r0 = 0
exit
