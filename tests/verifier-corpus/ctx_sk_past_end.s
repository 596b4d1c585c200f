// type: socket_filter

// what: offset 192, past the end of struct __sk_buff
r0 = *(u32 *)(r1 +192)
exit
