// type: socket_filter

// what: a jump before the first instruction
r0 = 0
goto -3
exit
