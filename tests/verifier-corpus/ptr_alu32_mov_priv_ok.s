// type: socket_filter

// what: a 32-bit copy of a pointer gives a scalar with privileges
w2 = w10
r0 = 0
exit
