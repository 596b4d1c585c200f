// type: tracepoint
// what: a tracepoint program with 472 bytes of stack (480 rounded) calling one with 40 (48):
// the main program, at 64 bytes or more, runs on a private stack of its own, so the two do
// not add up
*(u16 *)(r10 -472) = 2
call f
r0 = 0
exit
f:
*(u64 *)(r10 -40) = 1
r0 = 0
exit
