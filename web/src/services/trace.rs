//! The verifier's trace laid out for the stepper: registers, stack slots and the path at one
//! step, what changed since the step before, and where the next interesting step is.

use super::verify::Checked;
use bpfplay_core::verifier::Step;
use bpfplay_core::verifier::{reg_state, RegState, RegType, SlotType, StackSlot};

/// One register as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegRow {
    pub name: String,
    /// `scalar`, `ctx`, `fp`, `map_value_or_null`, ... or `not init`.
    pub ty: String,
    /// A constant, a range, or a pointer's offset.
    pub value: String,
    /// Known bits as `(value; mask)`; empty when constant or unknown.
    pub tnum: String,
    /// The register as the kernel's log prints it.
    pub kernel: String,
    pub changed: bool,
    pub init: bool,
}

/// One 8-byte stack slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotRow {
    /// `fp-8`, `fp-16`, ...
    pub offset: String,
    /// The kinds of its 8 bytes from the lowest address to the highest, as the log's
    /// characters (`m` data, `0` zero, `r` spilled register, `?` not written).
    pub kinds: String,
    /// The kinds in words.
    pub kinds_text: String,
    /// The spilled register, for `r` slots.
    pub spilled: Option<String>,
    pub changed: bool,
}

/// The step before `i` on the same path and in the same frame, to compare with.
pub fn before(steps: &[Step], i: usize) -> Option<&Step> {
    let cur = steps.get(i)?;
    let prev = steps.get(i.checked_sub(1)?)?;
    (cur.popped.is_none() && !prev.pruned && prev.frameno == cur.frameno).then_some(prev)
}

fn reg_text(r: &RegState, frameno: u8, c: &Checked) -> String {
    let mut s = String::new();
    reg_state(&mut s, r, frameno, c.maps());
    s
}

fn num(v: i64) -> String {
    if (-1024..=1024).contains(&v) {
        v.to_string()
    } else {
        format!("{:#x}", v as u64)
    }
}

fn unum(v: u64) -> String {
    if v <= 1024 {
        v.to_string()
    } else {
        format!("{v:#x}")
    }
}

/// A scalar's value: the constant, or its signed and unsigned ranges where they say something.
fn scalar_value(r: &RegState) -> String {
    if r.var_off.is_const() {
        return num(r.var_off.value as i64);
    }
    let mut parts = Vec::new();
    if r.smin != i64::MIN || r.smax != i64::MAX {
        parts.push(format!("[{}, {}]", num(r.smin), num(r.smax)));
    }
    let signed_same = r.smin >= 0 && r.smin as u64 == r.umin && r.smax as u64 == r.umax;
    if (r.umin != 0 || r.umax != u64::MAX) && !signed_same {
        parts.push(format!("u[{}, {}]", unum(r.umin), unum(r.umax)));
    }
    if parts.is_empty() {
        "any value".into()
    } else {
        parts.join(" ")
    }
}

fn reg_row(i: usize, r: &RegState, old: Option<&RegState>, frameno: u8, c: &Checked) -> RegRow {
    let init = r.typ != RegType::NotInit;
    let value = match r.typ {
        RegType::NotInit => String::new(),
        RegType::Scalar => scalar_value(r),
        _ => {
            let mut v = format!("off={}", r.off);
            if !r.var_off.is_const() {
                v.push_str(&format!(" + {}", scalar_value(r)));
            }
            if r.typ.is_pkt() {
                v.push_str(&format!(", range={}", r.range));
            }
            if r.typ == RegType::Mem {
                v.push_str(&format!(", size={}", r.mem_size));
            }
            if matches!(r.typ, RegType::MapPtr | RegType::MapValue | RegType::MapKey) {
                if let Some(m) = c.maps().get(r.map as usize) {
                    v.push_str(&format!(", map {}", m.name));
                }
            }
            v
        }
    };
    let tnum = if !init || r.var_off.is_const() || r.var_off.is_unknown() {
        String::new()
    } else {
        r.var_off.to_string()
    };
    RegRow {
        name: format!("R{i}"),
        ty: if init { r.type_name().to_string() } else { "not init".into() },
        value,
        tnum,
        kernel: if init { reg_text(r, frameno, c) } else { String::new() },
        changed: old.is_some_and(|o| o != r),
        init,
    }
}

/// The registers at step `i`.
pub fn registers(c: &Checked, i: usize) -> Vec<RegRow> {
    let steps = &c.verdict.trace.steps;
    let Some(step) = steps.get(i) else {
        return Vec::new();
    };
    let prev = before(steps, i).map(|p| p.frame.regs);
    // The first step compares with the state the walk starts from.
    let start = (i == 0).then(|| c.verdict.trace.initial.as_ref().map(|f| f.regs)).flatten();
    let old = prev.or(start);
    let f = &step.frame;
    f.regs
        .iter()
        .enumerate()
        .map(|(n, r)| reg_row(n, r, old.as_ref().map(|o| &o[n]), f.frameno, c))
        .collect()
}

fn kind_word(t: SlotType) -> &'static str {
    match t {
        SlotType::Invalid => "not written",
        SlotType::Spill => "spilled register",
        SlotType::Misc => "data",
        SlotType::Zero => "zero",
    }
}

fn slot_row(
    spi: usize,
    s: &StackSlot,
    old: Option<&StackSlot>,
    frameno: u8,
    c: &Checked,
) -> SlotRow {
    // types[j] is the byte at -(spi*8) - 1 - j: reverse for lowest address first.
    let kinds: String = s.types.iter().rev().map(|t| t.ch()).collect();
    let mut words: Vec<&str> = Vec::new();
    for t in s.types.iter().rev() {
        let w = kind_word(*t);
        if words.last() != Some(&w) {
            words.push(w);
        }
    }
    SlotRow {
        offset: format!("fp-{}", (spi + 1) * 8),
        kinds,
        kinds_text: words.join(", "),
        spilled: s.is_spilled_reg().then(|| reg_text(&s.spilled, frameno, c)),
        changed: old.is_some_and(|o| o != s),
    }
}

/// The stack slots at step `i` that hold anything, nearest the frame pointer first.
pub fn stack(c: &Checked, i: usize) -> Vec<SlotRow> {
    let steps = &c.verdict.trace.steps;
    let Some(step) = steps.get(i) else {
        return Vec::new();
    };
    let prev = before(steps, i);
    let empty = StackSlot::default();
    step.frame
        .stack
        .iter()
        .enumerate()
        .filter(|(_, s)| s.types.iter().any(|t| *t != SlotType::Invalid))
        .map(|(spi, s)| {
            let old = prev.map(|p| p.frame.stack.get(spi).unwrap_or(&empty));
            slot_row(spi, s, old, step.frame.frameno, c)
        })
        .collect()
}

/// Something that happened to the walk's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathEvent {
    /// At step `step` the branch at `from` was followed one way, and `from -> to` was queued.
    Queued { step: usize, from: usize, to: usize },
    /// At step `step` a queued branch was taken up.
    Resumed { step: usize, from: usize, to: usize },
    /// At step `step` the path ended as equal to a state already checked.
    Pruned { step: usize, insn: usize },
    /// At step `step` the path reached the program's exit.
    Exited { step: usize, insn: usize },
}

/// The path up to step `i`: what happened, and the branches still waiting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathView {
    pub events: Vec<PathEvent>,
    pub pending: Vec<(usize, usize)>,
}

pub fn path(c: &Checked, i: usize) -> PathView {
    let steps = &c.verdict.trace.steps;
    let mut v = PathView::default();
    for (n, s) in steps.iter().enumerate().take(i + 1) {
        if let Some((from, to)) = s.popped {
            v.pending.retain(|&p| p != (from, to));
            v.events.push(PathEvent::Resumed { step: n, from, to });
        }
        if s.pruned {
            v.events.push(PathEvent::Pruned { step: n, insn: s.insn });
        }
        if let Some((from, to)) = s.pushed {
            v.pending.push((from, to));
            v.events.push(PathEvent::Queued { step: n, from, to });
        }
        let ends = steps.get(n + 1).is_none_or(|next| next.popped.is_some());
        if ends && !s.pruned && (n + 1 != steps.len() || c.verdict.accepted) {
            v.events.push(PathEvent::Exited { step: n, insn: s.insn });
        }
    }
    v
}

/// Is step `i` a branch, a resumed branch or a prune?
pub fn is_event(s: &Step) -> bool {
    s.pushed.is_some() || s.popped.is_some() || s.pruned
}

/// The next step after `i` that is a branch, a resumption or a prune.
pub fn next_event(steps: &[Step], i: usize) -> Option<usize> {
    (i + 1..steps.len()).find(|&j| is_event(&steps[j]))
}

/// The step with the error (the last one of a rejected walk).
pub fn error_step(c: &Checked) -> Option<usize> {
    (!c.verdict.accepted && c.verdict.error.as_ref().is_some_and(|e| e.insn.is_some()))
        .then(|| c.verdict.trace.steps.len().checked_sub(1))
        .flatten()
}

/// Where the stepper is asked to go: the stepper's buttons, slider, path links and keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// Step `i` (clamped to the trace).
    To(usize),
    /// Forward or back by a number of steps.
    By(i64),
    /// The next branch, resumption or prune.
    NextEvent,
    /// The step with the error.
    Error,
}

/// The step the stepper shows after `nav` from step `cur` (it stays where nothing matches).
pub fn navigate(c: &Checked, cur: usize, nav: Nav) -> usize {
    let steps = &c.verdict.trace.steps;
    let last = steps.len().saturating_sub(1);
    match nav {
        Nav::To(i) => i.min(last),
        Nav::By(d) => (cur as i64 + d).clamp(0, last as i64) as usize,
        Nav::NextEvent => next_event(steps, cur).unwrap_or(cur),
        Nav::Error => error_step(c).unwrap_or(cur),
    }
}

/// A sentence for the step: what kind of step it is.
pub fn describe(c: &Checked, i: usize) -> String {
    let steps = &c.verdict.trace.steps;
    let Some(s) = steps.get(i) else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some((from, to)) = s.popped {
        parts.push(format!("resumed the queued branch from {from} to {to}"));
    }
    if s.pruned {
        parts.push("pruned: this state is covered by one already checked here".to_string());
    }
    if let Some((from, to)) = s.pushed {
        parts.push(format!("branch: following one side, {from} to {to} queued for later"));
    }
    if Some(i) == error_step(c) {
        parts.push("the verifier stops here (registers before the instruction)".to_string());
    }
    if s.frameno > 0 {
        parts.push(format!("in frame {}", s.frameno));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::verify::{check, prepare, Settings};

    #[test]
    fn registers_show_types_values_and_changes() {
        let src = "r2 = 5\nr3 = *(u32 *)(r1 +0)\nr3 &= 0xf0\nr0 = 0\nexit";
        let c = check(&prepare(src).unwrap(), Settings::default());
        let r = registers(&c, 0);
        assert_eq!(r[2].ty, "scalar");
        assert_eq!(r[2].value, "5");
        assert!(r[2].changed, "r2 = 5 changes R2 at the first step");
        assert!(!r[1].changed && !r[10].changed);
        assert_eq!(r[1].ty, "ctx");
        assert_eq!(r[0].ty, "not init");
        let r = registers(&c, 2);
        assert!(r[3].changed);
        assert!(!r[2].changed);
        assert_eq!(r[3].value, "[0, 240]");
        assert_eq!(r[3].tnum, "(0x0; 0xf0)");
        assert!(r[3].kernel.starts_with("scalar("), "{}", r[3].kernel);
    }

    #[test]
    fn stack_slots_and_path() {
        let src = "*(u64 *)(r10 -8) = r1\n*(u32 *)(r10 -12) = 0\nr2 = *(u32 *)(r1 +0)\nif r2 > 3 goto out\nr0 = 1\nexit\nout:\nr0 = 0\nexit";
        let c = check(&prepare(src).unwrap(), Settings::default());
        let s = stack(&c, 1);
        assert_eq!(s[0].offset, "fp-8");
        assert_eq!(s[0].kinds, "rrrrrrrr");
        assert_eq!(s[0].spilled.as_deref(), Some("ctx()"));
        assert_eq!(s[1].offset, "fp-16");
        assert_eq!(s[1].kinds, "????0000");
        assert!(s[1].changed && !s[0].changed);
        let n = c.verdict.trace.steps.len();
        let p = path(&c, 3);
        assert_eq!(p.pending.len(), 1);
        let p = path(&c, n - 1);
        assert!(p.pending.is_empty());
        assert!(p.events.iter().any(|e| matches!(e, PathEvent::Resumed { .. })));
        assert_eq!(next_event(&c.verdict.trace.steps, 0), Some(3));
    }
}
