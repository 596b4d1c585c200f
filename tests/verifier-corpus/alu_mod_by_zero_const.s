// type: socket_filter

// what: modulo by the constant 0
r0 = 1
r0 %= 0
exit
