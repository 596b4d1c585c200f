// type: socket_filter

// what: 32-bit arithmetic on the context pointer
w1 += 4
r0 = 0
exit
