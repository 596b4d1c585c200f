// type: socket_filter

// what: instructions after exit that no jump reaches
r0 = 0
exit
r0 = 1
exit
