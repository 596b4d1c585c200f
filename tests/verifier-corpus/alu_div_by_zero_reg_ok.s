// type: socket_filter

// what: division by a register holding 0 is fine (the result is 0 at run time)
r1 = 0
r0 = 10
r0 /= r1
exit
