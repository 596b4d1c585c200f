// type: socket_filter

// what: copy from r2, which no one wrote
r0 = r2
exit
