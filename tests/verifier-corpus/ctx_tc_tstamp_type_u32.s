// type: sched_cls

// what: tstamp_type is one byte
r0 = *(u32 *)(r1 +180)
exit
