// type: socket_filter

// what: division by the constant 0
r0 = 1
r0 /= 0
exit
