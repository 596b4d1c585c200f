// type: socket_filter

// what: comparing two pointers with privileges
r2 = r10
r0 = 0
if r1 == r2 goto +1
r0 = 1
exit
