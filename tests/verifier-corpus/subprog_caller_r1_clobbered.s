// type: socket_filter

// what: after a call r1-r5 are unreadable
r1 = 1
call f
r0 = r1
exit
f:
r0 = 0
exit
