//! What the verifier knows about each instruction, apart from the states that reach it: the
//! kernel's `struct bpf_insn_aux_data` (include/linux/bpf_verifier.h), one record per
//! instruction in `env->insn_aux_data`. Some fields are set before the walk (by `check_cfg`
//! and `compute_live_registers`) and only read by it; the others are learnt on one path and
//! bind every later path through the instruction.
//!
//! (The module is not called `aux.rs`: AUX is a reserved file name on Windows.)

/// One instruction's record. The fields bpfplay models keep the kernel's names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct InsnAux {
    /// `prune_point`: `check_cfg` marked the instruction as a place where states are compared
    /// and checkpoints made (`is_state_visited`).
    pub prune_point: bool,
    /// `jmp_point`: a branch or `goto` target or a call's return point, where the kernel
    /// records a jump-history entry (see `VState::jmp_history_cnt`).
    pub jmp_point: bool,
    /// `force_checkpoint`: a `may_goto`, where every state that is not pruned becomes a
    /// checkpoint (loops through it must be able to converge) and checkpoints still being
    /// explored are evicted only after 64 misses.
    pub force_checkpoint: bool,
    /// `calls_callback`: a call of a helper that calls a callback (bpf_loop): the walk comes
    /// back to it after each iteration, and a state there within one still being explored
    /// ends the iterations.
    pub calls_callback: bool,
    /// `loop_inline_state.fit_for_inline` of a bpf_loop call: None before its first visit,
    /// then whether its flags were 0 at every visit.
    pub loop_inline: Option<bool>,
    /// `scc`: the loop (strongly connected component of the control-flow graph) the
    /// instruction is in, numbered from 1; 0 outside loops.
    pub scc: u32,
    /// `live_regs_before`: the registers live before the instruction (bit i = r_i), from
    /// `compute_live_registers`; pruning and `collect_linked_regs` look only at those.
    pub live_regs_before: u32,
    /// Not the kernel's: may an instruction from here on read the stack? (A coarse stand-in
    /// for the kernel's stack liveness: where nothing reads the stack again, slots do not
    /// matter when pruning.)
    pub stack_read_later: bool,
    /// `nospec`: a speculative path failed here; later speculative paths stop before the
    /// instruction (a barrier will be patched in).
    pub nospec: bool,
    /// `nospec_result`: a store here needs a Spectre v4 barrier after it, so speculative
    /// paths end right after it.
    pub nospec_result: bool,
    /// `alu_state`: how pointer arithmetic here is masked (Spectre v1; the
    /// `BPF_ALU_SANITIZE_*`, `BPF_ALU_NEG_VALUE`, `BPF_ALU_NON_POINTER`, `BPF_ALU_IMMEDIATE`
    /// flags), 0 until a path sets it; every path through the instruction must agree.
    pub alu_state: u8,
    /// `alu_limit`: the masking limit that goes with `alu_state`.
    pub alu_limit: u32,
    /// `map_ptr_state.map_ptr`: the map a map helper call here was given (an index into the
    /// program's maps), by `record_func_map`.
    pub map_ptr: Option<u32>,
    /// `map_ptr_state.poison`: paths reached the call with different maps.
    pub map_ptr_poison: bool,
}
