// type: sched_cls

// what: packet access needs a bounds check against data_end
r2 = *(u32 *)(r1 +76)
r0 = *(u8 *)(r2 +12)
exit
