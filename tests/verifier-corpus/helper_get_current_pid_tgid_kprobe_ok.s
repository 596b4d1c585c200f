// type: kprobe

// what: bpf_get_current_pid_tgid in a kprobe
call bpf_get_current_pid_tgid
r0 = 0
exit
