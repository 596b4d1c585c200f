/* Test fixture: a CO-RE field access, which bpfplay refuses. Rebuild: clang-19 -O2 -g -target bpf -fdebug-prefix-map=$PWD=. -c core_reloc.c */
#include "../../../../static/c/bpfplay.h"

struct task { int pid; } __attribute__((preserve_access_index));

SEC("kprobe/x")
int get(struct pt_regs *ctx)
{
	struct task *t = (void *)ctx->di;
	int pid = 0;
	bpf_probe_read_kernel(&pid, 4, &t->pid);
	return pid;
}
