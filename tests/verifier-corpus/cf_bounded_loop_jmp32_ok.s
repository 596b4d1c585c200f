// type: socket_filter

// what: the same with 32-bit registers and a down-counting loop
w0 = 0
w1 = 5
loop:
w0 += 2
w1 -= 1
if w1 != 0 goto loop
exit
