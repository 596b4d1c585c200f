// type: socket_filter

// what: no instruction at all
