// type: socket_filter

// what: a bitwise AND on a pointer
r2 = r10
r2 &= 0xff
r0 = 0
exit
