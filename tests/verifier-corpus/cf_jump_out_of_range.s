// type: socket_filter

// what: a jump past the end of the program
r0 = 0
goto +5
exit
