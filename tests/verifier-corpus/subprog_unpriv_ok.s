// type: socket_filter
// mode: unpriv

// what: a bpf-to-bpf call without CAP_SYS_ADMIN/CAP_PERFMON
r1 = 5
call f
exit
f:
r0 = r1
exit
