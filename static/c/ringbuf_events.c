// title: ring buffer event log
// type: tracepoint
// about: On every execve() entry, reserves a record in a ring buffer, fills in the pid, the
// about: time and the command name, and submits it for user space to read.
#include "bpfplay.h"

struct event {
	__u32 pid;
	__u32 syscall;
	__u64 time_ns;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/syscalls/sys_enter_execve")
int log_exec(struct sys_enter_args *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->syscall = ctx->id;
	e->time_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}
