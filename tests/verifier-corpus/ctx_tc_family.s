// type: sched_cls

// what: tc programs have no socket addresses in their context (family..local_port)
r0 = *(u32 *)(r1 +88)
exit
