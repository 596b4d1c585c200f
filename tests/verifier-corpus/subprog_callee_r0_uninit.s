// type: socket_filter

// what: the callee returns without setting r0
call f
exit
f:
exit
