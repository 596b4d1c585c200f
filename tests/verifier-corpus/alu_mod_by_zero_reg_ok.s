// type: socket_filter

// what: modulo by a register holding 0 leaves the dividend (returns 10)
r1 = 0
r0 = 10
r0 %= r1
exit
