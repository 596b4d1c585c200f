// type: socket_filter

// what: r6 of the caller is not visible in the callee
r6 = 1
call f
exit
f:
r0 = r6
exit
