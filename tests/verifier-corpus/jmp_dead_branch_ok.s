// type: socket_filter

// what: a branch the verifier knows is never taken is not checked (r3 is uninitialised there)
r2 = 5
r0 = 0
if r2 == 6 goto bad
exit
bad:
r0 = r3
exit
