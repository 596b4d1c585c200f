// type: socket_filter

// what: negating a pointer with privileges (the result is a scalar)
r2 = r10
r2 = -r2
r0 = 0
exit
