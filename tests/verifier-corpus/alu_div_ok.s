// type: socket_filter

// what: 100 / 7 = 14
r0 = 100
r0 /= 7
exit
