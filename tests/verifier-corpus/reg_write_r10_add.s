// type: socket_filter

// what: not even an addition to r10
r10 += -8
r0 = 0
exit
