//! Plain explanations of the kernel verifier's messages, with a hint for the fix.
//!
//! Each entry is a pattern over the whole first error line (`*` matches any text) with an
//! explanation and a hint; `{r}` in either is replaced by the first register the message
//! names (`R0`, `R2`, ...). The first matching entry wins, so specific patterns come first.

/// An explanation and a fix hint for a kernel message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub pattern: &'static str,
    pub explanation: &'static str,
    pub hint: &'static str,
}

const fn e(pattern: &'static str, explanation: &'static str, hint: &'static str) -> Entry {
    Entry { pattern, explanation, hint }
}

pub const TABLE: &[Entry] = &[
    e("R* !read_ok",
      "{R} is read here but nothing was ever written to it on this path. Only R1 (the context) and R10 (the frame pointer) hold values when the program starts, and a helper call clears R1-R5.",
      "Give {R} a value before this instruction on every path that reaches it (for R0 before exit: `r0 = 0`). After a call, reload R1-R5 or keep values in R6-R9, which calls preserve."),
    e("R* invalid mem access '*_or_null*'",
      "{R} may be NULL here: a helper such as bpf_map_lookup_elem returns NULL when there is no entry, and the verifier refuses to dereference a pointer it has not seen checked.",
      "Test the pointer first, `if {r} == 0 goto out`, and only use it on the path where it is not zero."),
    e("R* invalid mem access 'scalar'",
      "{R} holds a number, not a pointer the verifier knows, so it cannot be dereferenced. Numbers read from memory or computed never become pointers.",
      "Load through a pointer the verifier tracks: the context (R1 at start), the stack (R10), a checked map value, or a checked packet pointer. To read arbitrary kernel memory in tracing programs use bpf_probe_read_kernel."),
    e("R* invalid mem access '*'",
      "{R} points to something that cannot be read or written with a plain load or store at this point.",
      "Check the pointer's type in the register panel; use the helper meant for that kind of object."),
    e("invalid access to packet*",
      "The load or store reaches past the bytes the program has proven to be inside the packet. For direct packet access the verifier must see a comparison with data_end that covers every byte touched (the `r=` in the register shows how many bytes are proven).",
      "Before the access, compute the end of what you read (`r4 = r2; r4 += 14`) and compare it: `if r4 > r3 goto drop` where r3 is data_end. Then access only within those bytes."),
    e("R* offset is outside of the packet",
      "On this path the verifier knows that {R} points at or past data_end (for example on the branch of `if {r} > data_end` that was taken), so no byte at it can be in the packet.",
      "Access the packet only on the path where the comparison with data_end proved the bytes inside: `if {r} > r3 goto drop`, then read on the fall-through path."),
    e("cannot write into packet",
      "This program type may read the packet directly but not write it (cgroup_skb, flow_dissector, lwt_in/lwt_out, sk_reuseport); tc and XDP programs may do both.",
      "Change the packet with a helper this type offers, if any, or do the rewrite in a tc or XDP program."),
    e("helper access to the packet is not allowed",
      "A helper got a pointer into the packet, but this helper may not read or write packet memory directly (a helper that changes the packet, such as bpf_skb_store_bytes, cannot also take its input from it), or this program type has no direct packet access.",
      "Copy the bytes to the stack first (with bpf_skb_load_bytes or loads) and pass the stack buffer."),
    e("R* invalid *sock* access off=* size=*",
      "{R} points to a socket (struct bpf_sock, bpf_tcp_sock or the smaller bpf_sock_common view), and only some of its fields may be read, each with its own size; this offset and size is not one of them.",
      "Read a field declared in struct bpf_sock or bpf_tcp_sock (linux/bpf.h) with its declared size. A sock_common pointer has fewer fields: call bpf_sk_fullsock or bpf_tcp_sock on it to get the rest."),
    e("R* cannot write into *",
      "{R} points to memory the program may only read: a socket, or memory a helper returned as read-only.",
      "Copy the data to the stack or a map value and change the copy, or change the object through the helper meant for it."),
    e("R* invalid variable buffer offset: off=*, var_off=*",
      "{R} points into a buffer (a writable tracepoint's buffer, an iterator's buffer) that may only be accessed at constant offsets, and its offset here depends on a run-time value.",
      "Use a constant offset in the instruction, for example by branching on the value and accessing each case with its own constant."),
    e("invalid access to map value pointer, value_size=* off=*",
      "A `map_value[name]` reference (a 16-byte `ll` instruction pointing straight into an array map's value) has an offset at or past the end of the value.",
      "Keep the offset below the map's `value_size`; to reach further, make the value bigger."),
    e("invalid access to map value*",
      "The access falls outside the map's value: the value has `value_size` bytes and `off`/`size` say where the access is.",
      "Keep offset + size within the value size declared on the map line, or make the value bigger (`value=N`)."),
    e("invalid access to memory*",
      "The access falls outside a memory region of known size (for example a ring-buffer reservation).",
      "Keep offset + size within the size you reserved."),
    e("R* min value is negative*",
      "An offset or size in {R} could be negative according to what the verifier knows.",
      "Bound the value from below (`if {r} s< 0 goto out`) or use an unsigned comparison that excludes negative values."),
    e("R* unbounded memory access*",
      "The offset in {R} has no upper bound the verifier can see, so the access could go anywhere.",
      "Compare the index with a constant before using it: `if {r} > 15 goto out`, or mask it (`{r} &= 15`)."),
    e("R* leaks addr as return value",
      "Without CAP_PERFMON a program may not return a pointer: it would tell user space a kernel address.",
      "Return a number (`r0 = 0`), or load the program privileged."),
    e("R* leaks addr into helper function",
      "Without CAP_PERFMON a pointer may not be passed where a helper takes a plain number: the helper could hand the address to user space (in a map, an event, the packet).",
      "Pass a number in {R} (or the value the pointer points to, loaded first), or load the program privileged."),
    e("R* leaks addr into *",
      "Without CAP_PERFMON a program may not store a pointer where user space or the kernel could read it back (a map value, the context).",
      "Store numbers only, or load the program privileged."),
    e("R* pointer comparison prohibited",
      "Without CAP_PERFMON comparing pointers is refused, since the result would reveal address bits.",
      "Compare pointers only against 0 (NULL checks are allowed), or load the program privileged."),
    e("R* tried to * from different maps, paths or scalars*",
      "Without privileges, pointer arithmetic is masked at run time against speculative execution (Spectre v1), and one instruction gets one mask. This instruction moves a pointer by different amounts (or different kinds of pointer, or a number) on different paths, so no single mask fits.",
      "Do the arithmetic on separate instructions for each path (for example, add in each branch rather than after they join), or load the program privileged."),
    e("R* tried to * beyond pointer bounds*",
      "Without privileges, the pointer in {R} may only move within its object (map value or stack), and this step could take it outside.",
      "Bound the offset so the result stays inside the object, or load the program privileged."),
    e("R* has unknown scalar with mixed signed bounds*",
      "Without privileges an offset added to a pointer must be known to be either non-negative or negative; {R} could be both.",
      "Bound the offset on both sides first, for example `if {r} > 15 goto out` on a value known to be non-negative."),
    e("R* 32-bit pointer arithmetic prohibited",
      "A 32-bit operation on a pointer would cut off its upper half.",
      "Use the 64-bit form (`r2 += 4`, not `w2 += 4`)."),
    e("R* pointer arithmetic on *_or_null* prohibited, null-check it first",
      "{R} may still be NULL (it comes from a lookup, reservation or socket helper that can fail), and the verifier refuses to move a pointer before the NULL check: NULL plus an offset would no longer compare equal to 0, so the check could not tell it apart from a real pointer.",
      "Check the pointer first, `if {r} == 0 goto out`, and do the arithmetic on the path where it is not zero."),
    e("R* stack pointer arithmetic goes out of range, prohibited for !root; off=*",
      "Without CAP_PERFMON every step of arithmetic on a stack pointer must leave it inside the 512-byte frame, at r10-512 to r10-1 (`off=` is where it would point; 0 is r10 itself, just past the frame). This keeps speculative execution from reaching other memory through it.",
      "Add the final offset in one step so that it lands inside the frame, for example `{r} = r10; {r} += -8`, or load the program privileged."),
    e("R* subtraction from stack pointer prohibited",
      "The verifier refuses `-=` on a pointer to the stack, in every mode: only adding to it is supported (some JITs could not handle the other form).",
      "Add a negative number instead: `{r} += -8` rather than `{r} -= 8`."),
    e("R* has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root",
      "Without CAP_PERFMON, adding or subtracting a register to or from a pointer needs a run-time mask against speculative out-of-bounds access, and the kernel has one only for stack and map-value pointers. {R} is another kind (a packet or context pointer, for example).",
      "Use a constant offset in the instruction, work through a map value or the stack, or load the program privileged."),
    e("R* pointer arithmetic*prohibited",
      "This arithmetic is not allowed on {R}'s kind of pointer (only adding or subtracting a bounded number is, and not on every kind).",
      "Do the arithmetic on a number and add the result to the pointer, or keep a copy of the original pointer."),
    e("R* bitwise operator * on pointer prohibited",
      "Masking or shifting a pointer would hide what it points to, so the verifier refuses it.",
      "Work on an offset (a number) and add it to the pointer afterwards."),
    e("R* tried to subtract pointer from scalar",
      "`number - pointer` has no meaning the verifier can track.",
      "Subtract the other way round, or compute on numbers."),
    e("R* pointer * pointer prohibited",
      "Two pointers cannot be combined like this.",
      "Keep pointers apart; compute offsets as numbers."),
    e("R* partial copy of pointer",
      "Part of a pointer was moved (for example with a 32-bit move); the result would be half an address.",
      "Copy pointers with 64-bit moves (`r2 = r1`)."),
    e("R* sign-extension part of pointer",
      "A sign-extending move (`(s8)`, `(s16)`, `(s32)`) of {R}, which holds a pointer, would keep only part of the address.",
      "Sign-extend numbers only; copy pointers with a plain 64-bit move (`r1 = {r}`)."),
    e("R* type=* expected=*",
      "A helper was called with {R} of the wrong kind: the message says what the register holds (`type=`) and what the helper's argument must be (`expected=`).",
      "Put the right kind of value in {R} before the call: a map with `r1 = map[name] ll`, a key or buffer on the stack with `r2 = r10; r2 += -8`, and so on."),
    e("R* is not a known constant*",
      "This argument must be a constant the verifier knows at this point.",
      "Load a constant into {R} right before the call."),
    e("R* invalid zero-sized read*",
      "The size argument in {R} may be 0 where the helper needs at least one byte.",
      "Check the size: `if {r} == 0 goto out`, or give a constant size."),
    e("invalid zero-sized read",
      "A pointer argument of this helper points to 0 bytes: a map whose key size is 0 (queue, stack, bloom_filter) has no keys, so bpf_map_lookup_elem, bpf_map_update_elem and bpf_map_delete_elem cannot be called with it.",
      "Use bpf_map_push_elem, bpf_map_pop_elem and bpf_map_peek_elem for queue, stack and bloom_filter maps."),
    e("R* is invalid",
      "eBPF has registers r0 to r10 only.",
      "Use a register between r0 and r10."),
    e("frame pointer is read only",
      "R10 is the frame pointer: programs may read it but never change it.",
      "Copy it first (`r2 = r10`) and change the copy."),
    e("invalid read from stack*",
      "The stack bytes read here were not written on this path, or the read is outside the 512-byte stack. Unprivileged programs may never read stack they did not write.",
      "Write the slot before reading it (`*(u64 *)(r10 -8) = 0`), and keep offsets between -512 and -1 from r10."),
    e("invalid write to stack*",
      "The write goes outside the stack: valid addresses are r10-512 to r10-1.",
      "Use negative offsets from r10 that stay within 512 bytes."),
    e("invalid unbounded variable-offset * stack R*",
      "The stack address in {R} has a variable part without bounds the verifier can see, so the access could land anywhere.",
      "Bound the index before adding it to the stack pointer (`if rN > 7 goto out`, or `rN &= 7`) so that every possible address stays in the frame."),
    e("invalid variable-offset * stack R* var_off=* off=* size=*",
      "The stack address in {R} depends on a run-time value, and across that value's range the access (from the smallest address to the largest plus `size`) would reach outside the 512-byte frame, above r10 or below r10-512.",
      "Tighten the bounds of the variable part (compare or mask it) so that every address it allows, plus the size, stays between r10-512 and r10."),
    e("attempt to corrupt spilled pointer on stack",
      "Without CAP_PERFMON, part of a stack slot that holds a saved pointer may not be overwritten (a store smaller than 8 bytes, or a helper writing into it byte by byte): the slot would then hold a forged, half-changed address.",
      "Give the store or the helper a slot that holds no pointer, or overwrite the whole slot with an 8-byte store first."),
    e("leaking pointer from stack off *",
      "Without CAP_PERFMON an atomic operation may not work on a stack slot that holds a saved pointer: it would turn the address into a number the program can read.",
      "Use atomic operations only on slots that hold numbers, or load the program privileged."),
    e("misaligned stack access*",
      "Stack accesses must be aligned to their size (8-byte loads at multiples of 8).",
      "Align the offset: for example `r10 -8` or `r10 -16` for 8-byte values."),
    e("misaligned packet access off *",
      "With strict alignment (BPF_F_STRICT_ALIGNMENT) a packet access must be aligned to its size, counting from 2 bytes before the packet start (NET_IP_ALIGN, which aligns the IP header after a 14-byte Ethernet header). The message adds up 2, the variable part, the pointer's offset and the instruction's offset.",
      "Make that sum a multiple of the access size, or read the field in smaller pieces (1-byte accesses are always aligned)."),
    e("misaligned *access off *",
      "The address is not a multiple of the access size. This is checked with strict alignment (BPF_F_STRICT_ALIGNMENT) and always for atomic instructions; the message adds up the variable part, the pointer's offset and the instruction's offset. When it names no kind of pointer (`misaligned access`), the base register is not a pointer the verifier can check at all, often a number.",
      "Align the offset to the size (8-byte accesses at multiples of 8), and for atomics use a map value or stack pointer as the base."),
    e("invalid size of register spill",
      "A pointer may only be saved to the stack with a full 8-byte store.",
      "Use `*(u64 *)(r10 -8) = rN` to spill a pointer."),
    e("invalid size of register fill",
      "A saved pointer can only be loaded back whole, with an 8-byte load.",
      "Use `rN = *(u64 *)(r10 -8)` to fill a spilled pointer."),
    e("invalid bpf_context access*",
      "The program reads or writes the context structure (R1 at start) at an offset or size that this program type does not allow.",
      "Check the field offsets and sizes of this type's context (struct __sk_buff, xdp_md, pt_regs, the tracepoint's fields); most fields are read-only and 4 bytes wide."),
    e("dereference of modified ctx ptr*",
      "The context pointer was moved (`r1 += 4`) and then dereferenced: context accesses must use the original pointer with a constant offset.",
      "Keep R1 unmodified and put the offset in the instruction: `r0 = *(u32 *)(r1 +4)`."),
    e("negative offset * ptr R* off=* disallowed",
      "{R} was moved before the start of the object (here the context) and then used or passed to a helper: such pointers must be passed as they were received.",
      "Pass the original pointer (`r1` as the program got it) and let the helper or the instruction's offset select the field."),
    e("variable ctx access*",
      "The context may only be accessed at constant offsets.",
      "Use a constant offset in the load instruction."),
    e("At program exit the register R* is not a known value (*)",
      "This program type restricts its return value to a range of numbers, and R0 holds a pointer at exit.",
      "Set R0 to a number before exit, for example `r0 = 1`."),
    e("At program exit the register R* has * should have been in [*]",
      "This program type gives its return value a meaning and accepts only the range shown: for example 0 or 1 (reject or allow) for cgroup programs, NF_DROP or NF_ACCEPT for netfilter, exactly 1 for recvmsg hooks. What the verifier knows of R0 at exit (`smin`/`smax`) allows values outside it.",
      "Return a constant in the range on every path (`r0 = 1` right before exit), or bound a computed value first (`r0 &= 1`)."),
    e("At callback return the register R* has * should have been in [*]",
      "A callback passed to a helper (bpf_loop, bpf_for_each_map_elem, ...) must return one of the values the helper understands, usually 0 (continue) or 1 (stop), and R0 may hold others here.",
      "Return a constant in the range from the callback, for example `r0 = 0` before its exit."),
    e("Unreleased reference*",
      "The program acquired a reference (for example a ring-buffer reservation) and can reach exit without releasing it, which would leak it.",
      "On every path after a successful bpf_ringbuf_reserve, call bpf_ringbuf_submit or bpf_ringbuf_discard before exit."),
    e("missing btf func_info",
      "The program passes a callback (an `LD_IMM64` of a subprogram, `r2 = subprog[cb]`, for bpf_loop), and the kernel accepts callbacks only in programs loaded with BTF func info, which says what each function's arguments are.",
      "Build the program from C with `clang -g` (libbpf loads the func info from .BTF.ext), or give each function a `// btf:` signature line in the assembly, as an opened object's assembly has."),
    e("callback function not static",
      "A callback must be a static function: the verifier checks it in the context of the helper that calls it, which it cannot do for a global function (those are verified once, on their own).",
      "Declare the callback `static` in C (`static long cb(u64 index, void *ctx)`)."),
    e("At callback return the register R0 has * should have been in *",
      "A bpf_loop callback returns 0 to go on with the next iteration or 1 to stop; the verifier found a path where R0 at the callback's exit may be something else.",
      "End the callback with `r0 = 0` (continue) or `r0 = 1` (break), or clamp the value you return to 0 or 1."),
    e("invalid may_goto imm *",
      "A `may_goto` (opcode 0xe5, BPF_JCOND with source BPF_MAY_GOTO) must have zero in its immediate and register fields; this one does not, or names another conditional pseudo jump, which the kernel does not know.",
      "Write it as `may_goto LABEL` (or the bpf_experimental.h `can_loop`/`cond_break` macros) and let the assembler encode it; only its 16-bit offset carries information."),
    e("infinite loop detected*",
      "The verifier came back to this instruction in the same state it was in before: the loop can never make progress toward its exit.",
      "Make the loop change something the exit condition depends on (a counter compared with a constant), or bound it with a constant limit."),
    e("back-edge*",
      "The program jumps backwards, which this loader refuses.",
      "Unroll the loop or load the program privileged."),
    e("BPF program is too large*",
      "The verifier walked a million instructions without finishing: every path and every loop iteration counts.",
      "Make loops shorter or simpler, let states prune (fewer distinct values), or split the work with bpf-to-bpf calls."),
    e("The sequence of * jumps is too complex*",
      "Too many branches were waiting to be explored at once.",
      "Reduce the number of nested branches."),
    e("unreachable insn*",
      "No path from the first instruction reaches this one; the kernel refuses dead code.",
      "Remove the instruction or jump to it."),
    e("jump out of range*",
      "A jump goes before the first or past the last instruction.",
      "Check the label or the offset of the jump."),
    e("jump into the middle of ldimm64*",
      "A jump lands on the second half of a 16-byte `ll` instruction.",
      "Jump to the start of the instruction."),
    e("last insn is not an exit or jmp",
      "The program can fall off its end.",
      "End the program with `exit` (or an unconditional jump)."),
    e("div by zero",
      "A division or modulo by the constant 0.",
      "Divide by a non-zero constant or a register (a register that is 0 at run time gives 0)."),
    e("invalid shift*",
      "Shifting by the register width or more (or by a negative amount) is undefined.",
      "Shift 64-bit registers by 0-63 and 32-bit ones by 0-31."),
    e("program of this type cannot use helper*",
      "This helper is not available to the selected program type.",
      "Choose another program type above, or a helper that this type may call."),
    e("invalid func*",
      "There is no helper with this number.",
      "Check the helper's name or number."),
    e("unknown opcode*",
      "The instruction's opcode byte is not one the kernel knows.",
      "Write the instruction in assembly instead of raw bytes."),
    e("BPF_* uses reserved fields",
      "An instruction has a field set that must be zero for this opcode.",
      "Re-type the instruction in assembly; the assembler sets the fields right."),
    e("at the time of BPF_LD_ABS|IND R6 != pointer to skb",
      "LD_ABS and LD_IND read the packet through R6, which must hold the context.",
      "Start with `r6 = r1` and keep R6 unchanged."),
    e("BPF_LD_[ABS|IND] instructions not allowed for this program type",
      "LD_ABS/LD_IND are for socket filters only.",
      "Read the packet with direct packet access (XDP: data and data_end from the context)."),
    e("cannot pass map_type * into func*",
      "This helper does not work with this kind of map.",
      "Use a map of the kind the helper expects (a ringbuf map for bpf_ringbuf_*, a prog_array for tail calls, a queue, stack or bloom_filter for bpf_map_push/pop/peek_elem; a bloom filter has no pop)."),
    e("expected prog array map for tail call",
      "bpf_tail_call needs a prog_array map.",
      "Declare `map progs: prog_array key=4 value=4 max=N` and pass it."),
    e("tail_call abusing map_ptr",
      "Different paths reach this bpf_tail_call with different prog_array maps. Without CAP_PERFMON the kernel masks the index with one map's size after the walk, so it needs a single map per call.",
      "Give each path its own bpf_tail_call, or pass the same map on every path."),
    e("read from map forbidden, value_size=* off=* size=*",
      "The map was created with BPF_F_WRONLY_PROG: programs may write its values but not read them.",
      "Only store into this map's values, or create the map without BPF_F_WRONLY_PROG."),
    e("write into map forbidden, value_size=* off=* size=*",
      "The map was created with BPF_F_RDONLY_PROG (as .rodata is): programs may read its values but not write them.",
      "Keep writable data in another map (.data, .bss or a map without BPF_F_RDONLY_PROG)."),
    e("cannot return stack pointer to the caller",
      "A function's stack frame is gone after it returns, so a pointer into it must not be returned.",
      "Return a number, or let the caller pass a pointer to its own stack."),
    e("the call stack of * frames is too deep*",
      "Calls nest deeper than the kernel's 8 frames.",
      "Flatten the call chain."),
    e("combined stack size of * calls is*",
      "The stack frames of a chain of calls add up to more than 512 bytes.",
      "Use less stack in the functions of the deepest chain."),
    e("R* variable stack access prohibited for !root*",
      "Without privileges the stack may only be accessed at constant offsets; {R} has a variable offset.",
      "Use a constant offset from r10, or load the program privileged."),
    e("math between * pointer and register with unbounded min value is not allowed",
      "The number added to the pointer has no lower bound the verifier can see: it could be hugely negative, which would point before the packet, map value or stack frame.",
      "Bound the number first (`if rN > 1500 goto out` on an unsigned value, or mask it, `rN &= 0xff`) and then add it."),
    e("BPF_ATOMIC stores into R* * is not allowed",
      "Atomic operations work on the stack and on map values only, not on the context or the packet.",
      "Copy the value to the stack or a map value and operate there."),
    e("BPF_ATOMIC uses invalid atomic opcode*",
      "This atomic operation does not exist.",
      "Use add, and, or, xor (with or without fetch), xchg or cmpxchg."),
    e("invalid atomic operand size",
      "Atomic operations work on 32- or 64-bit values only.",
      "Use `lock *(u32 *)` or `lock *(u64 *)`."),
    e("*bpf_ld_imm64 insn",
      "A 16-byte `ll` instruction is malformed: its second half is missing or has fields set, or its kind is unknown.",
      "Write the constant or map reference in assembly (`r1 = 0x1122334455667788 ll`, `r1 = map[name] ll`)."),
    e("no direct value access support for this map type",
      "`map_value[name]` works only on array maps.",
      "Declare the map as an array (`map name: array key=4 value=N max=1`)."),
    e("call to invalid destination",
      "A bpf-to-bpf call goes outside the program.",
      "Call a label inside the program."),
    e("'struct *' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN",
      "Reading a kernel structure directly through a pointer needs CAP_PERFMON: a map's own struct (bpf_array, bpf_htab, ...) through the map pointer, or a kernel object such as struct sk_buff or task_struct through a BTF-typed pointer. Such reads could show kernel addresses and data.",
      "Use the helpers made for the object (bpf_map_lookup_elem for a map, the context fields for the packet), or load the program privileged."),
    e("R* is * invalid negative access: off=*",
      "{R} points to a kernel structure (a map's own struct such as bpf_array, or a BTF-typed kernel object), and the load reaches before its start.",
      "Read fields at their offsets from the start of the structure (zero or more)."),
    e("only read from * is supported",
      "A map pointer gives read-only access to the map's own structure (for example `max_entries` of struct bpf_array); it cannot be written.",
      "Only load from the map pointer; change the map through helpers such as bpf_map_update_elem."),
    e("only read is supported",
      "The pointer leads to a kernel object the program may read but not write with a store: most kernel structures are read-only to programs, and pointers loaded from another object's fields (untrusted ones) always are.",
      "Only load through this pointer; change the object through a helper or kfunc meant for it, where there is one."),
    e("* cannot be accessed directly by load/store",
      "The map value holds a special field (a bpf_spin_lock, bpf_timer, bpf_wq, ...) that only its helpers may touch, and a load or store (or, without privileges, pointer arithmetic) reaches into it.",
      "Access the other fields only; use bpf_spin_lock/bpf_spin_unlock, bpf_timer_* and so on for the special one."),
    e("BPF_EXIT instruction in main prog cannot be used inside *-ed region",
      "The program can exit while a lock or a special section (bpf_spin_lock, bpf_rcu_read_lock, bpf_preempt_disable, bpf_local_irq_save) is still held: it would never be released.",
      "Release it on every path before exit: call bpf_spin_unlock (or the matching unlock, enable or restore) first."),
    e("BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region",
      "LD_ABS and LD_IND end the program when the read is outside the packet, which would leave the lock held.",
      "Read the packet before bpf_spin_lock or after bpf_spin_unlock, or use bpf_skb_load_bytes."),
    e("function calls are not allowed while holding a lock",
      "Between bpf_spin_lock and bpf_spin_unlock only bpf_spin_unlock (and a few list/rbtree kfuncs) may be called, so that the critical section stays short and cannot sleep or deadlock.",
      "Make the calls before taking the lock or after releasing it, and keep only loads and stores in between."),
    e("bpf_spin_unlock without taking a lock",
      "bpf_spin_unlock is called on a path where no lock is held.",
      "Call bpf_spin_lock on the same lock earlier on every path that reaches the unlock."),
    e("bpf_spin_unlock of different lock",
      "bpf_spin_unlock releases a different lock (another map value, or a pointer the verifier cannot prove to be the same) from the one bpf_spin_lock took.",
      "Unlock through the same pointer you locked, for example a copy kept in a callee-saved register."),
    e("tracing progs cannot use * yet",
      "Maps whose values hold a bpf_spin_lock, bpf_timer or bpf_wq cannot be used by kprobe, tracepoint, perf_event and raw tracepoint programs: these can run anywhere, even while the lock is held or in NMI context, where such objects are not safe.",
      "Keep the lock or timer in a map used only by other program types (tc, XDP, fentry ...), or use a map value without it."),
    e("LD_ABS is not allowed in subprogs without BTF",
      "LD_ABS and LD_IND end the whole program (returning 0) when the read falls outside the packet. In a bpf-to-bpf function the verifier must know that the function returns an int for that to be safe, which it learns from BTF, and assembly programs have none.",
      "Use LD_ABS/LD_IND in the main program only, or read the packet in the function with bpf_skb_load_bytes."),
    e("LD_ABS is only allowed in functions that return 'int'.",
      "LD_ABS and LD_IND can end the program with a return value of 0, so a function that uses them must return an int; its BTF says it returns something else (void or a pointer).",
      "Declare the function as returning int, or read the packet with bpf_skb_load_bytes."),
    e("same insn cannot be used with different pointers",
      "This load or store is reached with its base register holding different kinds of pointer on different paths (for example the context on one, the stack on another). The kernel rewrites context accesses per instruction, so one instruction must always access the same kind.",
      "Give each kind its own load or store instruction, for example by doing the access inside each branch."),
    e("cannot update sockmap in this context",
      "Adding or deleting sockmap/sockhash entries is allowed only in some program types (socket filters, tc, XDP, sk_reuseport, flow_dissector, sk_lookup, iterators; sock_ops programs may only delete), where no socket lock can be held.",
      "Update the map from one of those program types, or from user space."),
    e("get_local_storage() doesn't support non-zero flags",
      "bpf_get_local_storage cannot return an error, so its flags argument must be the constant 0.",
      "Pass `r2 = 0`."),
    e("CAP_BPF and CAP_PERFMON are required to use arena",
      "An arena map shares memory between the program and user space by address, so a program that uses one needs both CAP_BPF and CAP_PERFMON.",
      "Load the program privileged, or use another map type."),
    e("calling kernel function * is not allowed",
      "Each kernel function (kfunc) is available only to the program types it was registered for; the task, cgroup and cpumask kfuncs, for example, to fentry/fexit, tp_btf, struct_ops and syscall programs, not to kprobes or raw tracepoints.",
      "Use a program type that may call this kfunc, or a helper that this type offers."),
    e("R* must be referenced or trusted",
      "This kfunc takes only trusted pointers in {R}: ones the verifier knows stay valid during the call, such as a tp_btf or fentry program's arguments or a pointer returned by an acquire kfunc. A pointer loaded from a field of another kernel object is untrusted: that object may be freed meanwhile.",
      "Pass a pointer you got from a trusted source, or take a reference first (bpf_task_acquire, bpf_cgroup_acquire, ...) and release it afterwards."),
    e("R* must be referenced when passed to release function",
      "A release function (bpf_sk_release, bpf_ringbuf_submit, ...) may only be given a pointer the program holds a reference on, acquired by a helper such as bpf_sk_lookup_tcp. {R} is not one: bpf_get_listener_sock or bpf_sk_fullsock, for example, return pointers without a reference.",
      "Release only what you acquired, with the pointer the acquiring helper returned; do not release pointers derived from it."),
    e("R* must have zero offset when passed to release func or trusted arg to kfunc",
      "{R} was moved from the start of the object before being passed to a release function or a kfunc that needs the object itself.",
      "Pass the pointer exactly as the acquiring helper returned it: keep a copy before adding offsets."),
    e("release kernel function * expects refcounted PTR_TO_BTF_ID",
      "This release kfunc drops a reference, but the pointer passed to it carries none (it is trusted, for example a program argument, but was not acquired).",
      "Release only pointers you acquired with the matching kfunc (bpf_task_acquire or bpf_task_from_pid before bpf_task_release)."),
    e("expected an initialized iter_* as arg #*",
      "An open-coded iterator's `_next` or `_destroy` kfunc is called on a stack slot where no iterator of that kind was created.",
      "Create the iterator first with its `_new` kfunc on the same stack slot (`bpf_iter_bits_new(&it, ...)`), then call `_next` in the loop and `_destroy` at the end."),
    e("cannot access ptr member * with moff * in struct * with off * size *",
      "A kfunc argument has the wrong BTF type: the verifier looked inside the struct you passed for the type the kfunc expects and found a pointer field there instead. The next line of the log names both types.",
      "Pass a pointer to the struct type the kfunc declares (for bpf_arena_alloc_pages, the arena map itself)."),
    e("direct value offset of * is not allowed",
      "A `map_value[name]` reference has an offset of 2^29 or more (negative offsets count as huge here), which the verifier refuses before checking the map.",
      "Use a non-negative offset smaller than the map's value size."),
    e("* pointer offset * is not allowed",
      "The constant offset accumulated on the pointer reached 2^29 (536870912) in either direction, beyond what the verifier tracks without risk of overflow.",
      "Keep offsets within the object: a pointer can never usefully move this far."),
    e("math between * pointer and * is not allowed",
      "The constant added to the pointer is 2^29 (536870912) or more in size, beyond what the verifier tracks without risk of overflow; no object is that large.",
      "Add offsets that stay within the object, and check how the number was computed (a shift or a 32-bit wrap can make it huge)."),
    e("value * makes * pointer be out of bounds",
      "The smallest value the verifier allows for the number added to the pointer is 2^29 (536870912) or more in size, so every result would be far outside the object.",
      "Bound the number before adding it (compare it with the object's size, or mask it) so that its range starts near 0."),
    e("bpf(BPF_PROG_LOAD) failed: EPERM",
      "Unprivileged users cannot load this program type at all.",
      "Switch to privileged mode, or choose a socket filter."),
    e("bpf(BPF_PROG_LOAD) failed: E2BIG",
      "The program is empty or has more instructions than allowed: 1,000,000 with CAP_BPF (both of bpfplay's modes keep it), 4096 for a loader without CAP_BPF.",
      "Write at least `r0 = 0` and `exit`, and keep the program under the limit."),
    e("fd * is not pointing to valid bpf_map",
      "A map reference names no map.",
      "Refer to maps by name (`r1 = map[counts] ll`) and declare them with a `map` line."),
];

/// The entry whose pattern matches the whole message, if any.
pub fn lookup(message: &str) -> Option<&'static Entry> {
    TABLE.iter().find(|e| glob(e.pattern.as_bytes(), message.as_bytes()))
}

/// The explanation and hint for `message`, with `{r}` filled in.
pub fn explain(message: &str) -> Option<(String, String)> {
    let e = lookup(message)?;
    let reg = first_register(message).unwrap_or_else(|| "the register".into());
    let low = reg.to_lowercase();
    let fill = |t: &str| t.replace("{R}", &reg).replace("{r}", &low);
    Some((fill(e.explanation), fill(e.hint)))
}

fn first_register(msg: &str) -> Option<String> {
    let b = msg.as_bytes();
    (0..b.len()).find_map(|i| {
        let starts = b[i] == b'R' && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        (starts && digits > 0 && digits <= 2).then(|| msg[i..i + 1 + digits].to_string())
    })
}

/// `*` matches any run of bytes; everything else matches itself.
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut back: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            back = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if let Some((bp, bs)) = back {
            pi = bp + 1;
            si = bs + 1;
            back = Some((bp, bs + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn common_messages_are_explained() {
        let (x, h) = explain("R0 invalid mem access 'map_value_or_null'").unwrap();
        assert!(x.contains("R0 may be NULL"), "{x}");
        assert!(h.contains("`if r0 == 0 goto out`"), "{h}");
        let (x, _) = explain("R2 !read_ok").unwrap();
        assert!(x.starts_with("R2 is read"), "{x}");
        assert!(explain("invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)").is_some());
        assert!(explain("Unreleased reference id=2 alloc_insn=4").is_some());
        assert!(explain("no such message").is_none());
        assert_eq!(
            lookup("R3 invalid mem access 'pkt_end'").unwrap().pattern,
            "R* invalid mem access '*'"
        );
        // Specific entries come before the general ones that would also match.
        assert_eq!(
            lookup("R0 32-bit pointer arithmetic prohibited").unwrap().pattern,
            "R* 32-bit pointer arithmetic prohibited"
        );
        assert_eq!(
            lookup("R2 leaks addr into helper function").unwrap().pattern,
            "R* leaks addr into helper function"
        );
        assert_eq!(
            lookup("invalid access to map value pointer, value_size=16 off=16").unwrap().pattern,
            "invalid access to map value pointer, value_size=* off=*"
        );
        assert_eq!(
            lookup("misaligned packet access off 2+0+15+-4 size 4").unwrap().pattern,
            "misaligned packet access off *"
        );
        let (x, h) =
            explain("R1 stack pointer arithmetic goes out of range, prohibited for !root; off=0")
                .unwrap();
        assert!(x.contains("r10-512 to r10-1"), "{x}");
        assert!(h.contains("`r1 = r10; r1 += -8`"), "{h}");
    }

    #[test]
    fn log_text_is_mapped_to_the_message() {
        let glued =
            "10: (ae) if w0 < w1 goto pc-2 BPF program is too large. Processed 1000001 insn";
        assert_eq!(
            page_message(glued, &[]).as_deref(),
            Some("BPF program is too large. Processed 1000001 insn")
        );
        let note = ";  @ verifier_bits_iter.c:191";
        assert_eq!(
            page_message(note, &["infinite loop detected at insn 24", "cur state: R0=scalar()"])
                .as_deref(),
            Some("infinite loop detected at insn 24")
        );
        assert_eq!(page_message("cur state: R0=3", &["old state: R0=P3"]), None);
        assert_eq!(page_message("func#0 @0", &[]), None);
        assert_eq!(page_message("R0 !read_ok", &[]).as_deref(), Some("R0 !read_ok"));
        // An instruction line without an explained tail stays whole, to be reported.
        assert_eq!(
            page_message("3: (bf) r1 = r2 no such", &[]).as_deref(),
            Some("3: (bf) r1 = r2 no such")
        );
    }

    /// The message the page would show for the first line of a kernel log's error block, as
    /// the corpora record it (`tests/src/kernel.rs`, `error_block`), and the block's other
    /// lines. The page shows bpfplay's message itself, never a log line, and three kinds of
    /// recorded line are log text rather than a message; they are mapped to the message:
    ///
    /// - an instruction line with the message at its end (log level 1 prints no newline
    ///   between them: `10: (ae) if w0 < w1 goto pc-2 BPF program is too large. ...`): the
    ///   longest explained tail after a space, else the whole line (then reported missing);
    /// - a source-line note (`;  @ file.c:191`) or a state dump (`cur state: ...`) before the
    ///   message: the block's next line that is not one (none when the message was glued to
    ///   the instruction line before the block, whose line the corpus does not keep: the same
    ///   message is then the first line of other programs);
    /// - `func#0 @0`, the subprogram list, when the kernel printed no message at all (an
    ///   EPERM before any instruction was verified): nothing; the page shows its
    ///   `bpf(BPF_PROG_LOAD) failed` line then, which has its entry.
    fn page_message(first: &str, more: &[&str]) -> Option<String> {
        let log_text = |l: &str| {
            l.starts_with(';')
                || l.starts_with("func#")
                || l.starts_with("cur state:")
                || l.starts_with("old state:")
        };
        let line = std::iter::once(first).chain(more.iter().copied()).find(|l| !log_text(l))?;
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && line[digits..].starts_with(": (") {
            let mut tails = line.match_indices(' ').map(|(i, _)| &line[i + 1..]);
            if let Some(t) = tails.find(|t| lookup(t).is_some()) {
                return Some(t.to_string());
            }
        }
        Some(line.to_string())
    }

    /// The first error lines of `tests/verifier-corpus` and its subdirectories (`fuzz/`):
    /// the `first_error: ` line of each `*.expected`.
    fn verifier_corpus_messages(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                verifier_corpus_messages(&path, out);
            } else if path.extension().and_then(|e| e.to_str()) == Some("expected") {
                let text = std::fs::read_to_string(&path).unwrap();
                if let Some(line) = text.lines().find_map(|l| l.strip_prefix("first_error: ")) {
                    out.extend(page_message(line, &[]));
                }
            }
        }
    }

    /// The first error lines of the kernel's answers to its own verifier selftests
    /// (`tests/selftests/answers/*.json`): `message` of each program's `priv` and `unpriv`
    /// answer, of their `level2` and of their `test_flags` loads, whatever the program type
    /// (they are the kernel's messages users meet, beyond the four types bpfplay models).
    ///
    /// Only answers of stage `verifier` have a `message`. A `kernel` refusal comes without a
    /// log (the page shows bpfplay's own `bpf(BPF_PROG_LOAD) failed: ...` line for it, which
    /// has its entry), and `libbpf`, `open` and `loader` answers carry libbpf's warnings about
    /// the object (map creation, relocations, another program of the object), which are not
    /// the first error of a verification and which the page, loading no object through
    /// libbpf, never shows: those are not read. Lines that libbpf rewrote in a verifier log
    /// (`fixup_verifier_log`) are that log's first error and are read.
    fn selftests_messages(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        fn answer(v: &serde_json::Value, out: &mut BTreeSet<String>) {
            if let Some(m) = v.get("message").and_then(|m| m.as_str()) {
                let more: Vec<&str> = match v.get("message_more").and_then(|m| m.as_array()) {
                    Some(a) => a.iter().filter_map(|l| l.as_str()).collect(),
                    None => Vec::new(),
                };
                out.extend(page_message(m, &more));
            }
        }
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            for prog in json["programs"].as_array().unwrap() {
                for mode in ["priv", "unpriv"] {
                    let a = &prog[mode];
                    answer(a, out);
                    answer(&a["level2"], out);
                    answer(&a["test_flags"], out);
                }
            }
        }
    }

    #[test]
    fn every_message_of_the_corpus_is_explained() {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests"));
        let mut corpus = BTreeSet::new();
        verifier_corpus_messages(&root.join("verifier-corpus"), &mut corpus);
        let mut selftests = BTreeSet::new();
        selftests_messages(&root.join("selftests/answers"), &mut selftests);
        // Guards against reading nothing (a moved directory, a renamed field).
        assert!(corpus.len() > 100, "{} verifier-corpus messages", corpus.len());
        assert!(selftests.len() > 300, "{} selftests messages", selftests.len());
        let missing: Vec<&String> =
            corpus.union(&selftests).filter(|m| lookup(m).is_none()).collect();
        assert!(missing.is_empty(), "{} unexplained: {missing:#?}", missing.len());
    }

    #[test]
    fn glob_matches_whole_strings() {
        assert!(glob(b"a*c", b"abbc"));
        assert!(!glob(b"a*c", b"abcd"));
        assert!(glob(b"*", b""));
        assert!(glob(b"R* is invalid", b"R11 is invalid"));
    }
}
