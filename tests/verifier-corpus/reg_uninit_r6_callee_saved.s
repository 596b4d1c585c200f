// type: socket_filter

// what: r6 is not set on entry (only r1 and r10 are)
r0 = r6
exit
