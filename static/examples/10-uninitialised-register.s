// title: Rejected: uninitialised register
// type: socket_filter
// expect: rejected: R2 !read_ok
// about: At the start only r1 (the context) and r10 (the frame pointer) hold values. Reading
// about: any other register before writing it is refused; the stepper's register panel shows
// about: r2 as "not init".

    r0 = *(u32 *)(r1 +0)
    r0 += r2                      // r2 was never written
    exit
