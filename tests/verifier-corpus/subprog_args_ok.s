// type: socket_filter

// what: arguments in r1-r2, result in r0: f(3, 4) = 7
r1 = 3
r2 = 4
call add
exit
add:
r0 = r1
r0 += r2
exit
