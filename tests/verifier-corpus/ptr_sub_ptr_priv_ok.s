// type: socket_filter

// what: pointer - pointer gives a scalar with privileges
r2 = r10
r2 -= r1
r0 = 0
exit
