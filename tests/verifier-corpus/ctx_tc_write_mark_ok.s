// type: sched_cls

// what: tc programs may write mark, priority, tc_index, tc_classid, cb[], tstamp and queue_mapping, and read them back
r2 = 7
*(u32 *)(r1 +8) = r2
*(u32 *)(r1 +32) = r2
r0 = *(u32 *)(r1 +8)
r3 = *(u32 *)(r1 +32)
r0 += r3
exit
