// type: socket_filter

// what: the last instruction may be a jump instead of exit
r0 = 0
goto end
back:
exit
end:
goto back
