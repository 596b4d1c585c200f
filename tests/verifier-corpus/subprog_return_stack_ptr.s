// type: socket_filter

// what: the callee returns a pointer into its own (dead) frame
call f
r0 = 0
exit
f:
r0 = r10
r0 += -8
exit
