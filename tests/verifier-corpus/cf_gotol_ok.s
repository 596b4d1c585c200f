// type: socket_filter
// what: the 32-bit-offset jump (gotol); returns 3
r0 = 3
if r0 != 3 goto other
gotol done
other:
r0 = 4
done:
exit
