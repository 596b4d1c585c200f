// title: kprobe: walking kernel structures with probe_read
// type: kprobe
// expect: accepted
// about: A kprobe on a function whose first argument is a pointer to a kernel structure.
// about: pt_regs->di (offset 112 of the context) holds that argument. Kernel memory may not
// about: be read with a plain load: bpf_probe_read (helper 4) copies it to the stack, and
// about: the copy can then be used, here to follow a pointer inside the structure.

    r6 = *(u64 *)(r1 +112)        // first argument: struct task *t (pt_regs->di)
    r1 = r10
    r1 += -8                      // dst: 8 bytes on our stack
    r2 = 8                        // size
    r3 = r6
    r3 += 16                      // src: &t->parent (a pointer at offset 16)
    call bpf_probe_read
    r3 = *(u64 *)(r10 -8)         // t->parent, now a plain number
    r1 = r10
    r1 += -16
    r2 = 4
    r3 += 8                       // &t->parent->pid
    call bpf_probe_read
    r0 = *(u32 *)(r10 -16)        // the parent's pid (fp-16 was written by the helper)
    exit
