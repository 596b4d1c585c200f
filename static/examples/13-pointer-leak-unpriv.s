// title: Rejected: pointer leak in unprivileged mode
// type: socket_filter
// mode: unpriv
// expect: rejected: R0 leaks addr as return value
// about: Without CAP_PERFMON a program must not hand a kernel address to user space: here the
// about: return value is the stack pointer. Switch to privileged mode and the same program
// about: is accepted.

    r0 = r10
    r0 += -8
    exit
