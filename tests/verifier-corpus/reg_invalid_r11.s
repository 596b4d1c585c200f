// type: socket_filter

// what: register number 11 (patched: the assembler has no r11)
// patch: 0 dst=11
r0 = 0
exit
