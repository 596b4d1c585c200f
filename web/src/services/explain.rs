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
    e("R* type=* expected=*",
      "A helper was called with {R} of the wrong kind: the message says what the register holds (`type=`) and what the helper's argument must be (`expected=`).",
      "Put the right kind of value in {R} before the call: a map with `r1 = map[name] ll`, a key or buffer on the stack with `r2 = r10; r2 += -8`, and so on."),
    e("R* is not a known constant*",
      "This argument must be a constant the verifier knows at this point.",
      "Load a constant into {R} right before the call."),
    e("R* invalid zero-sized read*",
      "The size argument in {R} may be 0 where the helper needs at least one byte.",
      "Check the size: `if {r} == 0 goto out`, or give a constant size."),
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
    e("misaligned stack access*",
      "Stack accesses must be aligned to their size (8-byte loads at multiples of 8).",
      "Align the offset: for example `r10 -8` or `r10 -16` for 8-byte values."),
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
    e("variable ctx access*",
      "The context may only be accessed at constant offsets.",
      "Use a constant offset in the load instruction."),
    e("Unreleased reference*",
      "The program acquired a reference (for example a ring-buffer reservation) and can reach exit without releasing it, which would leak it.",
      "On every path after a successful bpf_ringbuf_reserve, call bpf_ringbuf_submit or bpf_ringbuf_discard before exit."),
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
      "Use a map of the kind the helper expects (a ringbuf map for bpf_ringbuf_*, a prog_array for tail calls)."),
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
    }

    #[test]
    fn every_message_of_the_corpus_is_explained() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/verifier-corpus");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("expected") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if let Some(line) = text.lines().find_map(|l| l.strip_prefix("first_error: ")) {
                if lookup(line).is_none() {
                    missing.push(line.to_string());
                }
            }
        }
        assert!(missing.is_empty(), "unexplained: {missing:#?}");
    }

    #[test]
    fn glob_matches_whole_strings() {
        assert!(glob(b"a*c", b"abbc"));
        assert!(!glob(b"a*c", b"abcd"));
        assert!(glob(b"*", b""));
        assert!(glob(b"R* is invalid", b"R11 is invalid"));
    }
}
