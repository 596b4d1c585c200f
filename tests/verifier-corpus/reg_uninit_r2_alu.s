// type: socket_filter

// what: r2 as the source of an addition before it is written
r0 = 0
r0 += r2
exit
