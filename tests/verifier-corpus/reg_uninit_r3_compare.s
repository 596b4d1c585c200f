// type: socket_filter

// what: a conditional jump that reads an uninitialised register
r0 = 0
if r3 > 4 goto +1
r0 = 1
exit
