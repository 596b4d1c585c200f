// type: socket_filter

// what: the smallest valid program
r0 = 0
exit
