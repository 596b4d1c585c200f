// title: kprobe: walk the task tree with probe_read
// type: kprobe
// about: On each call of do_nanosleep, walks from the current task up its real_parent
// about: chain with bpf_probe_read_kernel, stores each ancestor's pid in an array map and
// about: prints the parent's comm. bpfplay's simulated kernel holds a small task tree
// about: (bpfplay -> bash -> systemd -> swapper/0).
#include "bpfplay.h"

#define MAX_DEPTH 8

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, MAX_DEPTH);
} ancestors SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe/do_nanosleep")
int walk_tasks(struct pt_regs *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	char comm[16] = {};

	for (__u32 depth = 0; depth < MAX_DEPTH; depth++) {
		__u32 key = depth; /* the loop counter stays in a register */
		int pid = 0;
		struct task_struct *parent = 0;

		if (bpf_probe_read_kernel(&pid, sizeof(pid), &task->pid))
			break;
		bpf_map_update_elem(&ancestors, &key, &pid, 0);
		if (pid == 0)
			break;
		if (bpf_probe_read_kernel(&parent, sizeof(parent), &task->real_parent))
			break;
		if (depth == 0) {
			bpf_probe_read_kernel(comm, sizeof(comm), parent->comm);
			static const char fmt[] = "parent: %s";
			bpf_trace_printk(fmt, sizeof(fmt), comm);
		}
		task = parent;
	}
	return 0;
}
