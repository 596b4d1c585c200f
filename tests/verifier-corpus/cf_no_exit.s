// type: socket_filter

// what: the program falls off its end
r0 = 0
