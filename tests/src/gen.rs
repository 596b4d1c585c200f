//! A seeded, type-aware generator of random eBPF programs for differential testing of the
//! verifier against the running kernel (`verifier_diff`).
//!
//! Programs are written as bpfplay assembly (pseudo-C, with labels and map declarations), so
//! that a disagreement can be stored as an ordinary corpus case. The generator keeps a rough
//! model of what each register and stack byte holds (scalar, ctx, stack pointer, map value,
//! packet pointer, ringbuf memory, ...) and composes small idiomatic snippets — context loads,
//! spills and fills, map lookups with and without NULL checks, packet bounds checks, ALU on
//! scalars and pointers, conditional blocks, bounded loops, helper calls, bpf-to-bpf calls —
//! so that most programs get deep into the verifier. In a "dirty" program each decision point
//! may take a wrong turn (a bad offset, a missing check, a wrong argument type, ...), which
//! the kernel should reject; about half of all programs are accepted.
//!
//! The model is only the generator's belief: it need not match the verifier exactly (that is
//! the point of comparing two verifiers), it only has to steer programs towards interesting
//! places. Everything is a pure function of the seed.

use crate::corpus::MapSpec;
use crate::kernel::{MapKind, ProgType};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// splitmix64: small, fast, good enough, and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (0 for n = 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u32) -> bool {
        self.below(100) < pct as u64
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// An index into `ws`, chosen with the given weights.
    pub fn weighted(&mut self, ws: &[u32]) -> usize {
        let total: u64 = ws.iter().map(|&w| w as u64).sum();
        let mut r = self.below(total);
        for (i, &w) in ws.iter().enumerate() {
            if r < w as u64 {
                return i;
            }
            r -= w as u64;
        }
        ws.len() - 1
    }
}

/// What the generator believes a register (or a spilled stack slot) holds.
// `MapVal` mirrors the verifier's `map_value` register type.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Val {
    Uninit,
    /// Different things on merged paths (possibly uninitialised): not used by valid snippets.
    Tainted,
    Const(i64),
    /// A scalar in `0..=max` (unsigned).
    Bounded(u64),
    Any,
    Ctx,
    Fp(i32),
    MapPtr(usize),
    MapVal {
        map: usize,
        off: i32,
        maybe_null: bool,
    },
    /// `data + off`, from the packet-pointer group `gen`.
    Pkt {
        off: i32,
        gen: u32,
    },
    PktEnd,
    PktMeta,
    /// Ringbuf memory of `size` bytes, reference `rid`.
    RbMem {
        size: i32,
        maybe_null: bool,
        rid: u32,
    },
}

impl Val {
    fn is_scalar(self) -> bool {
        matches!(self, Val::Const(_) | Val::Bounded(_) | Val::Any)
    }
    fn is_ptr(self) -> bool {
        !matches!(self, Val::Uninit | Val::Tainted) && !self.is_scalar()
    }
}

/// The generator's model of one frame.
#[derive(Clone, Debug)]
struct Model {
    regs: [Val; 11],
    /// Per byte of the 512-byte frame (index 0 = fp-512): written?
    init: Vec<bool>,
    /// Spilled registers by 8-byte slot (index 0 = fp-512..fp-504).
    spill: Vec<Option<Val>>,
    /// Proven packet range (bytes from `data`) of the current packet-pointer group.
    pkt_range: i32,
    pkt_gen: u32,
    /// Ringbuf references not yet released.
    refs: Vec<u32>,
}

impl Model {
    fn new() -> Model {
        let mut regs = [Val::Uninit; 11];
        regs[10] = Val::Fp(0);
        Model {
            regs,
            init: vec![false; 512],
            spill: vec![None; 64],
            pkt_range: 0,
            pkt_gen: 0,
            refs: Vec::new(),
        }
    }

    /// The state after two paths join.
    fn merge(a: &Model, b: &Model) -> Model {
        let mut m = a.clone();
        for r in 0..11 {
            let (x, y) = (a.regs[r], b.regs[r]);
            m.regs[r] = if x == y {
                x
            } else if x.is_scalar() && y.is_scalar() {
                match (x, y) {
                    (Val::Bounded(p), Val::Bounded(q)) => Val::Bounded(p.max(q)),
                    (Val::Const(c), Val::Bounded(q)) | (Val::Bounded(q), Val::Const(c))
                        if c >= 0 =>
                    {
                        Val::Bounded(q.max(c as u64))
                    }
                    (Val::Const(c), Val::Const(d)) if c >= 0 && d >= 0 => {
                        Val::Bounded(c.max(d) as u64)
                    }
                    _ => Val::Any,
                }
            } else {
                Val::Tainted
            };
        }
        for i in 0..512 {
            m.init[i] = a.init[i] && b.init[i];
        }
        for s in 0..64 {
            m.spill[s] = if a.spill[s] == b.spill[s] { a.spill[s] } else { None };
        }
        m.pkt_range = if a.pkt_gen == b.pkt_gen { a.pkt_range.min(b.pkt_range) } else { 0 };
        m.pkt_gen = a.pkt_gen.max(b.pkt_gen);
        // A reference open on either path stays a (possible) leak.
        for r in &b.refs {
            if !m.refs.contains(r) {
                m.refs.push(*r);
            }
        }
        m
    }

    fn stack_init(&self, off: i32, size: i32) -> bool {
        (off..off + size).all(|o| (-512..0).contains(&o) && self.init[(o + 512) as usize])
    }

    fn write_stack(&mut self, off: i32, size: i32, v: Option<Val>) {
        for o in off..off + size {
            if (-512..0).contains(&o) {
                self.init[(o + 512) as usize] = true;
                self.spill[((o + 512) / 8) as usize] = None;
            }
        }
        if size == 8 && off % 8 == 0 && (-512..0).contains(&off) {
            self.spill[((off + 512) / 8) as usize] = v;
        }
    }

    fn spilled(&self, off: i32) -> Option<Val> {
        if off % 8 == 0 && (-512..0).contains(&off) {
            self.spill[((off + 512) / 8) as usize]
        } else {
            None
        }
    }
}

/// Which programs to generate.
#[derive(Clone, Debug)]
pub struct GenConfig {
    /// Unprivileged-like loads (socket_filter and xdp only: tracing types need CAP_PERFMON).
    pub unpriv: bool,
    pub types: Vec<ProgType>,
    /// Weight of bounded loops among the snippets (0: none). Unprivileged-like loads explore
    /// the speculative path of a loop's exit branch, which usually runs a constant-bounded
    /// loop on to the 1M-instruction limit (seconds per program in the kernel), so they get
    /// a small weight there by default.
    pub loop_weight: u32,
}

impl GenConfig {
    pub fn new(unpriv: bool) -> GenConfig {
        let types = if unpriv {
            vec![ProgType::SocketFilter, ProgType::Xdp]
        } else {
            ProgType::ALL.to_vec()
        };
        GenConfig { unpriv, types, loop_weight: if unpriv { 1 } else { 4 } }
    }
}

/// One generated program.
#[derive(Clone, Debug)]
pub struct Generated {
    pub seed: u64,
    pub prog_type: ProgType,
    pub unpriv: bool,
    pub maps: Vec<MapSpec>,
    /// Instruction and label lines (main program, then the subprograms).
    pub body: Vec<String>,
    /// The features used (`ctx`, `stack`, `map`, `pkt`, `alu`, `jmp`, `loop`, ...).
    pub tags: Vec<&'static str>,
    /// Whether deliberate mistakes were allowed.
    pub dirty: bool,
}

impl Generated {
    /// The program as a corpus-format source file.
    pub fn source(&self, what: &str) -> String {
        source_text(self.prog_type, self.unpriv, &self.maps, &self.body, what)
    }
}

/// A corpus-format source: headers, map declarations, the lines.
pub fn source_text(
    prog_type: ProgType,
    unpriv: bool,
    maps: &[MapSpec],
    body: &[String],
    what: &str,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "// type: {}", prog_type.name());
    if unpriv {
        let _ = writeln!(s, "// mode: unpriv");
    }
    // Random programs may return addresses, times or random numbers.
    let _ = writeln!(s, "// run: no");
    for m in maps {
        let _ = writeln!(s, "{}", map_decl(m));
    }
    if !what.is_empty() {
        let _ = writeln!(s, "\n// what: {what}");
    }
    for l in body {
        let _ = writeln!(s, "{l}");
    }
    s
}

pub fn map_decl(m: &MapSpec) -> String {
    let mut d = format!(
        "map {}: {} key={} value={} max={}",
        m.name,
        m.kind.name(),
        m.key_size,
        m.value_size,
        m.max_entries
    );
    if m.flags != 0 {
        let _ = write!(d, " flags={}", m.flags);
    }
    d
}

/// Generates the program for `seed`.
pub fn generate(seed: u64, cfg: &GenConfig) -> Generated {
    let mut rng = Rng::new(seed);
    let prog_type = rng.pick(&cfg.types);
    let dirty = rng.chance(50);
    let mut g = Gen {
        rng,
        ty: prog_type,
        unpriv: cfg.unpriv,
        loop_weight: cfg.loop_weight,
        dirty,
        maps: Vec::new(),
        out: Vec::new(),
        m: Model::new(),
        labels: 0,
        funcs: Vec::new(),
        depth: 0,
        in_func: false,
        tags: BTreeSet::new(),
        next_rid: 1,
        value_size: 0,
        budget: 0,
    };
    g.value_size = g.rng.pick(&[4, 8, 8, 12, 16, 16, 24, 32, 48, 64]);
    g.main();
    let mut body = std::mem::take(&mut g.out);
    for f in std::mem::take(&mut g.funcs) {
        body.extend(f);
    }
    Generated {
        seed,
        prog_type,
        unpriv: cfg.unpriv,
        maps: g.maps,
        body,
        tags: g.tags.into_iter().collect(),
        dirty,
    }
}

struct Gen {
    loop_weight: u32,
    rng: Rng,
    ty: ProgType,
    unpriv: bool,
    dirty: bool,
    maps: Vec<MapSpec>,
    out: Vec<String>,
    m: Model,
    labels: u32,
    funcs: Vec<Vec<String>>,
    depth: u32,
    in_func: bool,
    tags: BTreeSet<&'static str>,
    next_rid: u32,
    /// Value size of the hash/array maps of this program.
    value_size: u32,
    /// Snippets left for the current function.
    budget: i32,
}

fn sz(size: i32) -> &'static str {
    match size {
        1 => "u8",
        2 => "u16",
        4 => "u32",
        _ => "u64",
    }
}

fn mem(size: i32, reg: u8, off: i32) -> String {
    format!("*({} *)(r{reg} {off:+})", sz(size))
}

impl Gen {
    // ---- basics -------------------------------------------------------------------------

    /// Whether to take a wrong turn here.
    fn bad(&mut self) -> bool {
        self.dirty && self.rng.chance(12)
    }

    fn emit(&mut self, s: impl Into<String>) {
        self.out.push(s.into());
    }

    fn label(&mut self) -> String {
        self.labels += 1;
        format!("l{}", self.labels)
    }

    fn tag(&mut self, t: &'static str) {
        self.tags.insert(t);
    }

    fn regs_where(&self, f: impl Fn(Val) -> bool) -> Vec<u8> {
        (0..10u8).filter(|&r| f(self.m.regs[r as usize])).collect()
    }

    fn ctx_reg(&self) -> Option<u8> {
        // Prefer r6 (survives calls), then r1.
        let v = self.regs_where(|v| v == Val::Ctx);
        v.iter().copied().find(|&r| r >= 6).or_else(|| v.first().copied())
    }

    fn scalar_reg(&mut self) -> Option<u8> {
        let v = self.regs_where(|v| v.is_scalar());
        if v.is_empty() {
            None
        } else {
            Some(self.rng.pick(&v))
        }
    }

    /// A register that may be overwritten: not the only ctx holder, not holding an open
    /// reference. `callee_saved` prefers r6-r9.
    fn dst_pct(&mut self, pct: u32) -> u8 {
        let c = self.rng.chance(pct);
        self.dst(c)
    }

    fn dst(&mut self, callee_saved: bool) -> u8 {
        self.dst_x(callee_saved, &[])
    }

    /// [`Gen::dst`], avoiding the registers in `except`.
    fn dst_x(&mut self, callee_saved: bool, except: &[u8]) -> u8 {
        let ctx_count = self.regs_where(|v| v == Val::Ctx).len();
        let m = &self.m;
        let ok = |r: u8| {
            let v = m.regs[r as usize];
            let last_ctx = v == Val::Ctx && ctx_count == 1;
            !(last_ctx || matches!(v, Val::RbMem { .. }) || except.contains(&r))
        };
        let pool: Vec<u8> = if callee_saved {
            (6..10).filter(|&r| ok(r)).collect()
        } else {
            (0..10).filter(|&r| ok(r)).collect()
        };
        if pool.is_empty() {
            let rest: Vec<u8> = (0..10).filter(|r| !except.contains(r)).collect();
            return self.rng.pick(&rest);
        }
        // Prefer registers holding nothing of value.
        let free: Vec<u8> = pool
            .iter()
            .copied()
            .filter(|&r| {
                matches!(m.regs[r as usize], Val::Uninit | Val::Tainted)
                    || m.regs[r as usize].is_scalar()
            })
            .collect();
        if !free.is_empty() && self.rng.chance(75) {
            self.rng.pick(&free)
        } else {
            self.rng.pick(&pool)
        }
    }

    fn set(&mut self, r: u8, v: Val) {
        self.m.regs[r as usize] = v;
    }

    /// After a helper call: r1-r5 scratched, r0 = `ret`.
    fn clobber_call(&mut self, ret: Val) {
        for r in 1..=5 {
            self.m.regs[r] = Val::Uninit;
        }
        self.m.regs[0] = ret;
    }

    fn imm_value(&mut self) -> i64 {
        match self.rng.below(10) {
            0..=3 => self.rng.range(0, 16),
            4 => self.rng.pick(&[-1, -2, -8, -16, -128, -4096]),
            5 => self.rng.pick(&[
                0x7f,
                0x80,
                0xff,
                0x100,
                0xffff,
                0x1_0000,
                0x7fff_ffff,
                -0x8000_0000,
            ]),
            6 => self.rng.range(-1000, 1000),
            7 => 1 << self.rng.range(0, 30),
            8 => self.rng.range(i32::MIN as i64, i32::MAX as i64),
            _ => self.rng.pick(&[0, 1, 2, 3, 4, 7, 8, 31, 32, 63, 64]),
        }
    }

    /// A scalar register (creating one with a constant if there is none).
    fn need_scalar(&mut self) -> u8 {
        if let Some(r) = self.scalar_reg() {
            if self.rng.chance(80) {
                return r;
            }
        }
        let d = self.dst_pct(50);
        let v = self.imm_value();
        self.emit(format!("r{d} = {v}"));
        self.set(d, Val::Const(v));
        d
    }

    fn map_index(&mut self, kind: MapKind) -> usize {
        let name = match kind {
            MapKind::Hash => "hmap",
            MapKind::Array => "amap",
            MapKind::PercpuArray => "pamap",
            MapKind::PercpuHash => "phmap",
            MapKind::LruHash => "lmap",
            MapKind::Ringbuf => "rb",
            MapKind::ProgArray => "progs",
            // Not generated (the generator's maps are the kinds above).
            MapKind::LruPercpuHash => "lpmap",
            MapKind::LpmTrie => "trie",
            MapKind::Queue => "queue",
            MapKind::Stack => "stack",
            MapKind::BloomFilter => "bloom",
            MapKind::StackTrace => "stacks",
            MapKind::UserRingbuf => "urb",
            k => k.name(),
        };
        if let Some(i) = self.maps.iter().position(|m| m.name == name) {
            return i;
        }
        let (key_size, value_size, max_entries) = match kind {
            MapKind::Ringbuf => (0, 0, 4096),
            MapKind::Array | MapKind::PercpuArray => {
                (4, self.value_size, self.rng.pick(&[1, 2, 4, 16]))
            }
            MapKind::ProgArray => (4, 4, 4),
            _ => (self.rng.pick(&[4, 4, 8]), self.value_size, self.rng.pick(&[1, 16, 64])),
        };
        self.maps.push(MapSpec {
            name: name.to_string(),
            kind,
            key_size,
            value_size,
            max_entries,
            flags: 0,
            map_extra: 0,
        });
        self.maps.len() - 1
    }

    // ---- program structure ------------------------------------------------------------------

    fn main(&mut self) {
        self.m.regs[1] = Val::Ctx;
        if self.rng.chance(85) {
            self.emit("r6 = r1");
            self.set(6, Val::Ctx);
        }
        self.budget = self.rng.range(2, 9) as i32;
        while self.budget > 0 {
            self.budget -= 1;
            self.snippet();
        }
        self.epilogue();
    }

    fn epilogue(&mut self) {
        self.tag("ret");
        // Release what is open, unless we leak deliberately.
        let open: Vec<u8> = self.regs_where(|v| matches!(v, Val::RbMem { maybe_null: false, .. }));
        for r in open {
            if !self.bad() {
                self.release(r);
            }
        }
        match self.rng.below(10) {
            0 if self.bad() => {
                // Leave r0 as it is (maybe uninitialised, maybe a pointer).
            }
            1 => {
                // Return a pointer.
                let ptrs = self.regs_where(|v| v.is_ptr() && !matches!(v, Val::RbMem { .. }));
                if !ptrs.is_empty() && (self.bad() || !self.unpriv) {
                    let p = self.rng.pick(&ptrs);
                    self.emit(format!("r0 = r{p}"));
                } else {
                    self.emit("r0 = 0");
                }
            }
            2 | 3 => {
                let s = self.regs_where(|v| v.is_scalar());
                if s.is_empty() {
                    self.emit("r0 = 1");
                } else {
                    let r = self.rng.pick(&s);
                    if self.ty == ProgType::Xdp && self.rng.chance(50) {
                        // Keep XDP return codes meaningful when tests run it.
                        self.emit(format!("w0 = w{r}"));
                        self.emit("w0 &= 3");
                    } else if r != 0 {
                        self.emit(format!("r0 = r{r}"));
                    }
                }
            }
            _ => {
                let v = if self.ty == ProgType::Xdp {
                    self.rng.range(0, 3)
                } else {
                    self.rng.pick(&[0, 1, -1, 0xffff])
                };
                self.emit(format!("r0 = {v}"));
            }
        }
        self.emit("exit");
    }

    /// One snippet, chosen by what is available.
    fn snippet(&mut self) {
        let xdp = self.ty == ProgType::Xdp;
        let sk = self.ty == ProgType::SocketFilter;
        let nested = self.depth < 2;
        // weights: scalar, alu, ctx load, ctx store, stack store, stack load, map lookup,
        // map update/delete, simple helper, probe_read, ringbuf, packet, cond block, loop,
        // subprog call, pointer arithmetic, ldabs, atomic
        let ws = [
            6,
            14,
            8,
            2,
            8,
            7,
            if nested { 10 } else { 0 },
            3,
            4,
            if self.ty == ProgType::Kprobe || self.ty == ProgType::Tracepoint { 4 } else { 1 },
            if nested { 4 } else { 1 },
            if xdp && nested {
                12
            } else if nested {
                1
            } else {
                0
            },
            if nested { 8 } else { 0 },
            if self.depth == 0 { self.loop_weight } else { 0 },
            if !self.in_func && self.depth == 0 { 4 } else { 0 },
            6,
            if sk { 4 } else { 0 },
            3,
            2,
            5,
        ];
        match self.rng.weighted(&ws) {
            0 => self.set_scalar(),
            1 => self.alu(),
            2 => self.ctx_load(),
            3 => self.ctx_store(),
            4 => self.stack_store(),
            5 => self.stack_load(),
            6 => self.map_lookup(),
            7 => self.map_update_delete(),
            8 => self.helper_scalar(),
            9 => self.probe_read(),
            10 => self.ringbuf(),
            11 => self.packet(),
            12 => self.cond_block(),
            13 => self.bounded_loop(),
            14 => self.subprog_call(),
            15 => self.ptr_arith(),
            16 => self.ldabs(),
            17 => self.atomic(),
            18 => self.direct_value(),
            _ => self.dead_branch(),
        }
    }

    /// `n` snippets inside a block (one nesting level deeper).
    fn inner(&mut self, n: usize) {
        self.depth += 1;
        for _ in 0..n {
            self.snippet();
        }
        self.depth -= 1;
    }

    // ---- scalars ------------------------------------------------------------------------------

    fn set_scalar(&mut self) {
        self.tag("alu");
        let d = self.dst_pct(50);
        let v = self.imm_value();
        match self.rng.below(6) {
            0 => {
                let v = v as u32;
                self.emit(format!("w{d} = {}", v as i32));
                self.set(d, Val::Const(v as i64));
            }
            1 => {
                let big = (self.rng.next_u64() >> self.rng.below(64)) as i64;
                self.emit(format!("r{d} = {big:#x} ll"));
                self.set(d, Val::Const(big));
            }
            _ => {
                self.emit(format!("r{d} = {v}"));
                self.set(d, Val::Const(v));
            }
        }
    }

    fn alu(&mut self) {
        self.tag("alu");
        let d = self.need_scalar();
        let alu64 = self.rng.chance(65);
        let (r, bits) = if alu64 { ('r', 64) } else { ('w', 32) };
        let dv = self.m.regs[d as usize];
        let kind = self.rng.below(20);
        let result: Val = match kind {
            // neg
            0 => {
                self.emit(format!("{r}{d} = -{r}{d}"));
                match dv {
                    Val::Const(c) if alu64 => Val::Const(c.wrapping_neg()),
                    Val::Const(c) => Val::Const((c as u32).wrapping_neg() as i64),
                    _ => Val::Any,
                }
            }
            // movsx
            1 => {
                let s = self.need_scalar();
                let b = if alu64 { self.rng.pick(&[8, 16, 32]) } else { self.rng.pick(&[8, 16]) };
                self.tag("movsx");
                self.emit(format!("{r}{d} = (s{b}){r}{s}"));
                match self.m.regs[s as usize] {
                    Val::Const(c) => {
                        let x = match b {
                            8 => c as i8 as i64,
                            16 => c as i16 as i64,
                            _ => c as i32 as i64,
                        };
                        Val::Const(if alu64 { x } else { x as u32 as i64 })
                    }
                    _ => Val::Any,
                }
            }
            // byte swaps
            2 => {
                self.tag("bswap");
                let (op, w) = match self.rng.below(9) {
                    0 => ("be", 16),
                    1 => ("be", 32),
                    2 => ("be", 64),
                    3 => ("le", 16),
                    4 => ("le", 32),
                    5 => ("le", 64),
                    6 => ("bswap", 16),
                    7 => ("bswap", 32),
                    _ => ("bswap", 64),
                };
                self.emit(format!("r{d} = {op}{w} r{d}"));
                match (dv, op) {
                    (Val::Const(c), "le") => Val::Const(if w == 64 {
                        c
                    } else {
                        ((c as u64) & ((1u64 << w) - 1)) as i64
                    }),
                    (Val::Const(c), _) => Val::Const(match w {
                        16 => (c as u16).swap_bytes() as i64,
                        32 => (c as u32).swap_bytes() as i64,
                        _ => (c as u64).swap_bytes() as i64,
                    }),
                    _ => Val::Any,
                }
            }
            _ => {
                let ops = [
                    "+=", "-=", "*=", "/=", "s/=", "%=", "s%=", "|=", "&=", "^=", "<<=", ">>=",
                    "s>>=", "=",
                ];
                let op = self.rng.pick(&ops);
                let use_reg = self.rng.chance(40);
                let shift = matches!(op, "<<=" | ">>=" | "s>>=");
                let div = matches!(op, "/=" | "s/=" | "%=" | "s%=");
                if div {
                    self.tag("divmod");
                }
                let src_text;
                let mut sv: Option<i64> = None;
                if use_reg {
                    let s = if self.bad() {
                        // uninitialised, or a pointer
                        let cands = self.regs_where(|v| v == Val::Uninit || v.is_ptr());
                        if cands.is_empty() {
                            self.need_scalar()
                        } else {
                            self.rng.pick(&cands)
                        }
                    } else {
                        self.need_scalar()
                    };
                    src_text = format!("{r}{s}");
                    if let Val::Const(c) = self.m.regs[s as usize] {
                        sv = Some(c);
                    }
                    if self.m.regs[s as usize].is_ptr() {
                        self.tag("ptr");
                    }
                } else {
                    let mut v = if shift {
                        if self.bad() {
                            self.rng.pick(&[bits, bits + 1, 64, -1])
                        } else {
                            self.rng.range(0, bits - 1)
                        }
                    } else {
                        self.imm_value()
                    };
                    if div && v == 0 && !self.bad() {
                        v = self.rng.pick(&[1, 3, 7, -2]);
                    }
                    src_text = v.to_string();
                    sv = Some(v);
                }
                self.emit(format!("{r}{d} {op} {src_text}"));
                fold(op, alu64, dv, sv)
            }
        };
        let d_val = self.m.regs[d as usize];
        if d_val.is_scalar() || d_val == Val::Uninit || d_val == Val::Tainted {
            self.set(d, result);
        }
    }

    // ---- context -------------------------------------------------------------------------------

    /// Valid (offset, size) reads of this program type's context, and what a read gives.
    fn ctx_fields(&self) -> Vec<(i32, i32, Val)> {
        match self.ty {
            ProgType::SocketFilter => {
                let mut v: Vec<(i32, i32, Val)> = (0..12).map(|i| (i * 4, 4, Val::Any)).collect();
                v.extend((0..5).map(|i| (48 + i * 4, 4, Val::Any)));
                v.extend([
                    (68, 4, Val::Any),
                    (84, 4, Val::Any),
                    (0, 2, Val::Any),
                    (4, 1, Val::Any),
                    (16, 2, Val::Any),
                    (8, 1, Val::Any),
                ]);
                v
            }
            ProgType::Xdp => vec![
                (0, 4, Val::Pkt { off: 0, gen: 0 }),
                (4, 4, Val::PktEnd),
                (8, 4, Val::PktMeta),
                (12, 4, Val::Any),
                (16, 4, Val::Any),
            ],
            ProgType::Kprobe => (0..21)
                .map(|i| (i * 8, 8, Val::Any))
                .chain([(0, 4, Val::Any), (8, 4, Val::Any)])
                .collect(),
            ProgType::Tracepoint => (1..16)
                .map(|i| (i * 8, 8, Val::Any))
                .chain([(8, 4, Val::Any), (12, 4, Val::Any), (16, 2, Val::Any)])
                .collect(),
        }
    }

    fn ctx_load(&mut self) {
        self.tag("ctx");
        let Some(c) = self.ctx_reg() else {
            return self.stack_load();
        };
        let fields = self.ctx_fields();
        let (off, size, mut val) = if self.bad() {
            let size = self.rng.pick(&[1, 2, 4, 8]);
            let off = match self.rng.below(4) {
                0 => self.rng.range(-8, 200) as i32,
                1 => self.ty_ctx_size() + self.rng.range(-8, 8) as i32,
                2 => self.rng.pick(&[76, 80, 140, 144, 152, 168, 20, 1, 3, 5]),
                _ => self.rng.range(0, 24) as i32,
            };
            (off, size, Val::Any)
        } else {
            self.rng.pick(&fields)
        };
        if let Val::Pkt { .. } = val {
            self.m.pkt_gen += 1;
            self.m.pkt_range = 0;
            val = Val::Pkt { off: 0, gen: self.m.pkt_gen };
        }
        let d = self.dst_pct(60);
        let signed = size < 8 && self.rng.chance(8);
        if signed {
            self.emit(format!("r{d} = *(s{} *)(r{c} {off:+})", size * 8));
        } else {
            self.emit(format!("r{d} = {}", mem(size, c, off)));
        }
        self.set(d, if signed && val.is_scalar() { Val::Any } else { val });
    }

    fn ty_ctx_size(&self) -> i32 {
        match self.ty {
            ProgType::SocketFilter => 192,
            ProgType::Xdp => 24,
            ProgType::Kprobe => 168,
            ProgType::Tracepoint => 64,
        }
    }

    fn ctx_store(&mut self) {
        self.tag("ctx");
        let Some(c) = self.ctx_reg() else {
            return self.stack_store();
        };
        let (off, size) = if self.ty == ProgType::SocketFilter && !self.bad() {
            (48 + 4 * self.rng.range(0, 4) as i32, 4)
        } else {
            (self.rng.pick(&[0, 4, 8, 12, 16, 48, 52, 64, 68]), self.rng.pick(&[4, 4, 8, 2, 1]))
        };
        if self.rng.chance(50) {
            let v = self.imm_value();
            self.emit(format!("{} = {v}", mem(size, c, off)));
        } else {
            let s = if self.bad() { self.rng.range(0, 9) as u8 } else { self.need_scalar() };
            self.emit(format!("{} = r{s}", mem(size, c, off)));
        }
    }

    // ---- stack ---------------------------------------------------------------------------------

    /// An aligned offset for `size` bytes, usually near the top of the frame.
    fn stack_off(&mut self, size: i32) -> i32 {
        let slots = if self.rng.chance(85) { 8 } else { 64 };
        let base = -8 * self.rng.range(1, slots) as i32;
        base + size * self.rng.range(0, (8 / size - 1) as i64) as i32
    }

    fn stack_store(&mut self) {
        self.tag("stack");
        let size = self.rng.pick(&[8, 8, 8, 4, 4, 2, 1]);
        let mut off = self.stack_off(size);
        if self.bad() {
            off = match self.rng.below(4) {
                0 => off + self.rng.range(1, size.max(2) as i64 - 1) as i32, // misaligned
                1 => self.rng.pick(&[0, 8, -520, -516, -513]),
                2 => -(size / 2).max(1), // straddles the top
                _ => off,
            };
        }
        match self.rng.below(3) {
            0 => {
                let v = self.imm_value();
                self.emit(format!("{} = {v}", mem(size, 10, off)));
                self.m.write_stack(off, size, if size == 8 { Some(Val::Const(v)) } else { None });
            }
            1 => {
                // Spill a pointer (or a partial write of one).
                let ptrs = self.regs_where(|v| v.is_ptr());
                let s = if ptrs.is_empty() { self.need_scalar() } else { self.rng.pick(&ptrs) };
                let size = if self.m.regs[s as usize].is_ptr() && !self.bad() { 8 } else { size };
                let off = if size == 8 && off % 8 != 0 && !self.bad() { off & !7 } else { off };
                self.tag("spill");
                self.emit(format!("{} = r{s}", mem(size, 10, off)));
                let v = self.m.regs[s as usize];
                self.m.write_stack(off, size, Some(v));
            }
            _ => {
                let s = if self.bad() { self.rng.range(0, 9) as u8 } else { self.need_scalar() };
                self.emit(format!("{} = r{s}", mem(size, 10, off)));
                let v = self.m.regs[s as usize];
                self.m.write_stack(off, size, Some(v));
            }
        }
    }

    fn stack_load(&mut self) {
        self.tag("stack");
        // Prefer a spilled slot or an initialised region.
        let spills: Vec<i32> =
            (0..64).filter(|&s| self.m.spill[s].is_some()).map(|s| s as i32 * 8 - 512).collect();
        let (off, size) = if !spills.is_empty() && self.rng.chance(50) {
            let off = self.rng.pick(&spills);
            let size = if self.bad() { self.rng.pick(&[1, 2, 4]) } else { 8 };
            (off, size)
        } else {
            let size = self.rng.pick(&[8, 4, 2, 1]);
            let inits: Vec<i32> = (0..512 / size)
                .map(|i| i * size - 512)
                .filter(|&o| self.m.stack_init(o, size))
                .collect();
            let want_uninit = self.bad() || (!self.unpriv && self.rng.chance(15));
            if !inits.is_empty() && !want_uninit {
                (self.rng.pick(&inits), size)
            } else if want_uninit {
                let mut off = self.stack_off(size);
                if self.rng.chance(30) {
                    off += 1; // misaligned
                }
                (off, size)
            } else {
                return self.stack_store();
            }
        };
        let d = self.dst_pct(50);
        self.emit(format!("r{d} = {}", mem(size, 10, off)));
        let v = match self.m.spilled(off) {
            Some(v) if size == 8 => v,
            _ => Val::Any,
        };
        if v.is_ptr() {
            self.tag("fill");
        }
        self.set(d, v);
    }

    // ---- maps ----------------------------------------------------------------------------------

    /// Writes a key for `map` on the stack; returns its offset. The key may be deliberately
    /// uninitialised or out of range.
    fn write_key(&mut self, map: usize) -> (i32, Option<i64>) {
        let ks = self.maps[map].key_size as i32;
        let max = self.maps[map].max_entries as i64;
        let off = if ks == 8 {
            -8 * self.rng.range(1, 6) as i32
        } else {
            -4 * self.rng.range(1, 12) as i32
        };
        let key = if self.rng.chance(80) {
            self.rng.range(0, max - 1)
        } else {
            self.rng.pick(&[max, max + 1, -1, 1000])
        };
        if self.bad() && self.rng.chance(50) {
            // Leave the key uninitialised (fine for root, not for unprivileged loads).
            return (off, None);
        }
        match self.rng.below(3) {
            0 if ks == 4 => {
                // Through a register, spilled as a whole u64 when aligned.
                let r = self.dst(false);
                self.emit(format!("r{r} = {key}"));
                self.set(r, Val::Const(key));
                let al = off & !7;
                if self.rng.chance(50) {
                    self.emit(format!("{} = r{r}", mem(8, 10, al)));
                    self.m.write_stack(al, 8, Some(Val::Const(key)));
                    return (al, Some(key));
                }
                self.emit(format!("{} = r{r}", mem(4, 10, off)));
                self.m.write_stack(off, 4, None);
            }
            _ => {
                self.emit(format!("{} = {key}", mem(ks, 10, off)));
                self.m.write_stack(off, ks, if ks == 8 { Some(Val::Const(key)) } else { None });
            }
        }
        (off, Some(key))
    }

    fn pick_map(&mut self) -> usize {
        let kind = self.rng.pick(&[
            MapKind::Hash,
            MapKind::Array,
            MapKind::Array,
            MapKind::PercpuArray,
            MapKind::Hash,
            MapKind::LruHash,
            MapKind::PercpuHash,
        ]);
        self.map_index(kind)
    }

    fn load_map(&mut self, reg: u8, map: usize) {
        let name = self.maps[map].name.clone();
        self.emit(format!("r{reg} = map[{name}] ll"));
        self.set(reg, Val::MapPtr(map));
    }

    fn map_lookup(&mut self) {
        self.tag("map");
        let map = self.pick_map();
        let (koff, _key) = self.write_key(map);
        // r1: the map (or something else)
        if self.bad() && self.rng.chance(30) {
            self.tag("helper_args");
            match self.ctx_reg() {
                Some(c) if self.rng.chance(50) => self.emit(format!("r1 = r{c}")),
                _ => self.emit("r1 = 0"),
            }
        } else {
            self.load_map(1, map);
        }
        // r2: the key pointer
        if self.bad() && self.rng.chance(40) {
            self.tag("helper_args");
            match (self.rng.below(3), self.ctx_reg()) {
                (0, _) => self.emit(format!("r2 = {koff}")),
                (1, Some(c)) => self.emit(format!("r2 = r{c}")),
                _ => {
                    self.emit("r2 = r10");
                    self.emit("r2 += -2");
                }
            }
        } else {
            // The key: usually on the stack; sometimes inside a map value we hold.
            let ks = self.maps[map].key_size;
            let vals =
                self.regs_where(|v| matches!(v, Val::MapVal { maybe_null: false, off: 0, .. }));
            let vals: Vec<u8> = vals
                .into_iter()
                .filter(|&r| r != 1 && matches!(self.m.regs[r as usize], Val::MapVal { map: m2, .. } if self.maps[m2].value_size >= ks))
                .collect();
            if !vals.is_empty() && self.rng.chance(30) {
                self.tag("key_in_value");
                let v = self.rng.pick(&vals);
                self.emit(format!("r2 = r{v}"));
            } else {
                self.emit("r2 = r10");
                self.emit(format!("r2 += {koff}"));
            }
        }
        self.emit("call bpf_map_lookup_elem");
        self.clobber_call(Val::MapVal { map, off: 0, maybe_null: true });
        let keep = if self.rng.chance(40) {
            let d = self.dst(true);
            self.emit(format!("r{d} = r0"));
            self.set(d, Val::MapVal { map, off: 0, maybe_null: true });
            d
        } else {
            0
        };
        if self.rng.chance(85) && !self.bad() {
            // Null check around a block that uses the value.
            let out = self.label();
            self.tag("null_check");
            let before = self.m.clone();
            if self.rng.chance(80) {
                self.emit(format!("if r{keep} == 0 goto {out}"));
            } else {
                // Inverted: jump into the block when non-NULL.
                let inb = self.label();
                self.emit(format!("if r{keep} != 0 goto {inb}"));
                self.emit(format!("goto {out}"));
                self.emit(format!("{inb}:"));
            }
            let mut skip = before.clone();
            skip.regs[keep as usize] = Val::Const(0);
            // Every copy of the pointer is non-NULL in the block.
            for r in 0..10 {
                if let Val::MapVal { map: m2, off, maybe_null: true } = self.m.regs[r] {
                    if m2 == map && (r == keep as usize || r == 0) {
                        self.m.regs[r] = Val::MapVal { map, off, maybe_null: false };
                    }
                }
            }
            let n = self.rng.range(1, 3) as usize;
            for _ in 0..n {
                self.map_value_access(keep);
            }
            if self.rng.chance(40) {
                self.inner(1);
            }
            self.emit(format!("{out}:"));
            self.m = Model::merge(&skip, &self.m);
        } else {
            // No NULL check: fine only for an array lookup with a constant in-range key.
            self.tag("no_null_check");
            self.m.regs[keep as usize] = Val::MapVal { map, off: 0, maybe_null: false };
            self.map_value_access(keep);
            self.m.regs[keep as usize] = Val::Tainted;
        }
    }

    /// A load, store or variable-offset access of the map value in `r` (non-NULL).
    fn map_value_access(&mut self, r: u8) {
        let Val::MapVal { map, off: base, .. } = self.m.regs[r as usize] else {
            return;
        };
        let vs = self.maps[map].value_size as i32;
        let size = *[8, 4, 2, 1]
            .iter()
            .filter(|&&s| s <= vs)
            .nth(self.rng.below(3) as usize)
            .unwrap_or(&1);
        match self.rng.below(8) {
            6 | 7 => {
                // An offset whose bound comes from ALU ops (and maybe a trip through the
                // stack), added without any compare.
                let room = vs - size - base;
                if room < 0 {
                    return;
                }
                let Some(t) = self.derived_offset(room as u64, &[r]) else {
                    return;
                };
                self.emit(format!("r{t} += r{r}"));
                let d = self.dst_x(false, &[r]);
                self.emit(format!("r{d} = {}", mem(size, t, 0)));
                self.set(t, Val::Tainted);
                self.set(d, Val::Any);
            }
            0 | 1 => {
                // Constant offset load.
                let mut off = size * self.rng.range(0, ((vs - size) / size) as i64) as i32 - base;
                if self.bad() {
                    off = self.rng.pick(&[
                        vs - base,
                        vs - size + 1 - base,
                        -1 - base,
                        -size - base,
                        vs + 8,
                    ]);
                }
                let d = self.dst_pct(50);
                self.emit(format!("r{d} = {}", mem(size, r, off)));
                self.set(d, Val::Any);
            }
            2 => {
                // Constant offset store of a scalar or a pointer.
                let mut off = size * self.rng.range(0, ((vs - size) / size) as i64) as i32 - base;
                if self.bad() {
                    off = self.rng.pick(&[vs - base, vs - size + 1 - base, -4]);
                }
                if self.rng.chance(20) && vs >= 8 && (self.bad() || !self.unpriv) {
                    // A pointer into the map (root may; unprivileged leaks).
                    self.tag("ptr_leak");
                    let ptrs = self.regs_where(|v| v.is_ptr());
                    let p = self.rng.pick(&ptrs);
                    let off = if base == 0 { 0 } else { -base };
                    self.emit(format!("{} = r{p}", mem(8, r, off)));
                } else if self.rng.chance(50) {
                    let v = self.imm_value();
                    self.emit(format!("{} = {v}", mem(size, r, off)));
                } else {
                    let s = self.need_scalar();
                    if let Val::MapVal { .. } = self.m.regs[r as usize] {
                        self.emit(format!("{} = r{s}", mem(size, r, off)));
                    }
                }
            }
            3 | 4 => {
                // Variable offset after a bounds check or a mask.
                self.tag("var_off");
                let t = self.dst(false);
                if t == r {
                    return;
                }
                if self.rng.chance(50) {
                    self.emit(format!("r{t} = {}", mem(1.max(size.min(4)), r, -base)));
                } else {
                    self.emit("call bpf_get_prandom_u32".to_string());
                    self.clobber_call(Val::Any);
                    if r <= 5 {
                        // The value pointer was in a scratch register: gone.
                        self.m.regs[r as usize] = Val::Tainted;
                        return;
                    }
                    if t != 0 {
                        self.emit(format!("r{t} = r0"));
                    }
                }
                self.set(t, Val::Any);
                let limit = (vs - size - base).max(0);
                let limit = if self.bad() { limit + self.rng.range(1, 16) as i32 } else { limit };
                let out = self.label();
                let before = self.m.clone();
                if self.rng.chance(50) && ((limit + 1) as u32).is_power_of_two() {
                    self.emit(format!("r{t} &= {limit}"));
                } else if self.bad() && self.rng.chance(30) {
                    // No bound at all: rejected.
                    self.tag("unbounded");
                } else {
                    let jmp32 = self.rng.chance(25);
                    let w = if jmp32 { 'w' } else { 'r' };
                    match self.rng.below(6) {
                        // Signed: needs a lower bound too (`s< 0`), or it is rejected.
                        0 => {
                            self.tag("signed_bounds");
                            if !self.bad() {
                                self.emit(format!("if {w}{t} s< 0 goto {out}"));
                            }
                            self.emit(format!("if {w}{t} s> {limit} goto {out}"));
                        }
                        // Bounded from both sides with a reversed compare.
                        1 => {
                            self.tag("signed_bounds");
                            let l2 = self.label();
                            self.emit(format!("if {w}{t} <= {limit} goto {l2}"));
                            self.emit(format!("goto {out}"));
                            self.emit(format!("{l2}:"));
                        }
                        _ => self.emit(format!("if {w}{t} > {limit} goto {out}")),
                    }
                }
                self.set(t, Val::Bounded(limit as u64));
                let p = if self.rng.chance(60) { t } else { r };
                let q = if p == t { r } else { t };
                if p == t {
                    self.emit(format!("r{t} += r{r}"));
                } else {
                    self.emit(format!("r{r} += r{t}"));
                }
                let d = self.dst(false);
                self.emit(format!("r{d} = {}", mem(size, p, 0)));
                let _ = q;
                self.set(d, Val::Any);
                self.emit(format!("{out}:"));
                let after = self.m.clone();
                self.m = Model::merge(&before, &after);
                // The pointer that moved is no longer at a known offset.
                self.m.regs[p as usize] = Val::Tainted;
            }
            _ => {
                // Move the pointer by a constant, then access.
                self.tag("ptr");
                let k = if self.bad() {
                    self.rng.pick(&[vs, vs + 4, -8])
                } else {
                    size * self.rng.range(0, ((vs - size) / size) as i64) as i32
                };
                let p = self.dst(true);
                if p != r {
                    self.emit(format!("r{p} = r{r}"));
                }
                self.emit(format!("r{p} += {k}"));
                self.set(p, Val::MapVal { map, off: base + k, maybe_null: false });
                self.emit(format!("r{} = {}", if p == 0 { 1 } else { 0 }, mem(size, p, 0)));
                let d = if p == 0 { 1 } else { 0 };
                self.set(d, Val::Any);
            }
        }
    }

    /// A scalar register bounded (as the generator believes) by `room`, computed from an
    /// unknown source by a chain of ALU ops and maybe a spill and fill; in a dirty program
    /// the bound may be too loose. Avoids the registers in `keep`. `None` if none fits.
    fn derived_offset(&mut self, room: u64, keep: &[u8]) -> Option<u8> {
        self.tag("derived_bounds");
        let t = self.dst_x(false, keep);
        // max: what the value can be at most (unsigned), u64::MAX for unknown.
        let mut max: u64 = match self.rng.below(4) {
            0 => {
                if keep.iter().any(|&k| k <= 5) {
                    // A call would clobber what we keep.
                    let v = self.rng.range(0, 7);
                    self.emit(format!("r{t} = {v}"));
                    v as u64
                } else {
                    self.emit("call bpf_get_prandom_u32");
                    self.clobber_call(Val::Any);
                    if t != 0 {
                        self.emit(format!("r{t} = r0"));
                    }
                    u32::MAX as u64
                }
            }
            1 => {
                let vals = self.regs_where(|v| matches!(v, Val::MapVal { maybe_null: false, .. }));
                match vals.first() {
                    Some(&v) if v != t => {
                        let Val::MapVal { off, .. } = self.m.regs[v as usize] else {
                            unreachable!()
                        };
                        let sz = self.rng.pick(&[1, 2, 4]);
                        self.emit(format!("r{t} = {}", mem(sz, v, -off)));
                        (1u64 << (8 * sz)) - 1
                    }
                    _ => {
                        let v = self.imm_value();
                        self.emit(format!("r{t} = {v}"));
                        u64::MAX
                    }
                }
            }
            2 => match self.ctx_reg() {
                Some(c) if self.ty != ProgType::Xdp => {
                    let (off, size, _) = {
                        let f = self.ctx_fields();
                        self.rng.pick(&f)
                    };
                    self.emit(format!("r{t} = {}", mem(size, c, off)));
                    if size == 8 {
                        u64::MAX
                    } else {
                        (1u64 << (8 * size)) - 1
                    }
                }
                Some(c) => {
                    self.emit(format!("r{t} = *(u32 *)(r{c} +12)"));
                    u32::MAX as u64
                }
                None => {
                    self.emit(format!("r{t} = -1"));
                    u64::MAX
                }
            },
            _ => {
                let s = self.scalar_reg().filter(|&s| s != t && !keep.contains(&s));
                match s {
                    Some(s) => {
                        self.emit(format!("r{t} = r{s}"));
                        match self.m.regs[s as usize] {
                            Val::Const(c) => c as u64,
                            Val::Bounded(m) => m,
                            _ => u64::MAX,
                        }
                    }
                    None => {
                        let v = self.rng.range(0, 3);
                        self.emit(format!("r{t} = {v}"));
                        3
                    }
                }
            }
        };
        // All bits below the highest set bit of x, set.
        let smear = |x: u64| {
            if x == 0 {
                0
            } else {
                u64::MAX >> x.leading_zeros()
            }
        };
        for _ in 0..self.rng.range(1, 3) {
            match self.rng.below(17) {
                10 => {
                    let c = self.rng.range(1, 255) as u64;
                    let op = self.rng.pick(&["^=", "|="]);
                    self.emit(format!("r{t} {op} {c}"));
                    max = if max == u64::MAX { u64::MAX } else { smear(max) | smear(c) };
                }
                11 => {
                    let c = self.rng.range(1, 16);
                    self.emit(format!("r{t} -= {c}"));
                    max = u64::MAX;
                }
                12 => {
                    let k = self.rng.range(1, 40) as u64;
                    self.emit(format!("r{t} s>>= {k}"));
                    max = if max < 1 << 63 { max >> k } else { u64::MAX };
                }
                13 => {
                    let k = self.rng.range(1, 31) as u64;
                    self.emit(format!("w{t} s>>= {k}"));
                    max = if max < 1 << 31 { max >> k } else { u32::MAX as u64 };
                }
                14 => {
                    let b = self.rng.pick(&[8u32, 16, 32]);
                    self.tag("movsx");
                    self.emit(format!("r{t} = (s{b})r{t}"));
                    max = if max < 1 << (b - 1) { max } else { u64::MAX };
                }
                15 => {
                    let c = self.rng.range(2, 300) as u64;
                    self.emit(format!("w{t} *= {c}"));
                    max = max.saturating_mul(c).min(u32::MAX as u64);
                }
                16 => {
                    // Negate twice (back where we were), or once.
                    self.emit(format!("r{t} = -r{t}"));
                    if self.rng.chance(50) {
                        self.emit(format!("r{t} = -r{t}"));
                    } else {
                        max = u64::MAX;
                    }
                }
                0 => {
                    let k = self.rng.range(1, 40) as u64;
                    self.emit(format!("r{t} >>= {k}"));
                    max = if max == u64::MAX { u64::MAX >> k } else { max >> k };
                }
                1 => {
                    let k = self.rng.range(1, 31) as u64;
                    self.emit(format!("w{t} >>= {k}"));
                    max = max.min(u32::MAX as u64) >> k;
                }
                2 => {
                    let k = self.rng.range(2, 17) as u64;
                    self.emit(format!("r{t} %= {k}"));
                    max = max.min(k - 1);
                }
                3 => {
                    let k = self.rng.range(2, 9) as u64;
                    self.emit(format!("r{t} /= {k}"));
                    max /= k;
                }
                4 => {
                    self.emit(format!("w{t} = w{t}"));
                    max = max.min(u32::MAX as u64);
                }
                5 if max < 1 << 20 => {
                    let c = self.rng.range(1, 8) as u64;
                    self.emit(format!("r{t} += {c}"));
                    max += c;
                }
                6 if max < 1 << 20 => {
                    let c = self.rng.range(2, 4) as u64;
                    self.emit(format!("r{t} *= {c}"));
                    max *= c;
                }
                7 => {
                    // A trip through the stack: spilled and filled whole, or as 32 bits.
                    let off = -8 * self.rng.range(1, 8) as i32;
                    if self.rng.chance(60) {
                        self.emit(format!("{} = r{t}", mem(8, 10, off)));
                        self.emit(format!("r{t} = {}", mem(8, 10, off)));
                    } else {
                        self.emit(format!("{} = r{t}", mem(4, 10, off)));
                        self.emit(format!("r{t} = {}", mem(4, 10, off)));
                        max = max.min(u32::MAX as u64);
                    }
                    self.tag("spill");
                    self.m.write_stack(off, 8, None);
                }
                8 => {
                    let k = self.rng.range(1, 3) as u64;
                    if max < 1 << 20 {
                        self.emit(format!("r{t} <<= {k}"));
                        max <<= k;
                    }
                }
                _ => {
                    let m = self.rng.pick(&[1u64, 3, 7, 15, 31, 63, 255, 12, 6, 0xff0]);
                    self.emit(format!("r{t} &= {m}"));
                    max = max.min(m);
                }
            }
        }
        if max > room && !self.bad() {
            // Make it fit: a mask below the room.
            let m = if room == 0 { 0 } else { (1u64 << (63 - room.leading_zeros())) - 1 };
            let m = if m == 0 && room >= 1 { 1 } else { m };
            self.emit(format!("r{t} &= {m}"));
            max = m;
        }
        self.set(t, Val::Bounded(max));
        Some(t)
    }

    /// A branch that is dead if the verifier tracks a derived bound as precisely as the
    /// generator believes: `if t > MAX goto bad`, where `bad` dereferences a scalar.
    fn dead_branch(&mut self) {
        self.tag("dead_branch");
        let Some(t) = self.derived_offset(u64::MAX, &[]) else {
            return;
        };
        let Val::Bounded(max) = self.m.regs[t as usize] else {
            return;
        };
        if max >= i32::MAX as u64 {
            self.set(t, Val::Any);
            return;
        }
        let bound = if self.bad() { max.saturating_sub(1) } else { max };
        let w = if self.rng.chance(30) { 'w' } else { 'r' };
        let (dead, ok) = (self.label(), self.label());
        match self.rng.below(3) {
            0 => self.emit(format!("if {w}{t} > {bound} goto {dead}")),
            1 => self.emit(format!("if {w}{t} >= {} goto {dead}", bound + 1)),
            _ => {
                // Both signed sides.
                self.emit(format!("if {w}{t} s< 0 goto {dead}"));
                self.emit(format!("if {w}{t} s> {bound} goto {dead}"));
            }
        }
        self.emit(format!("goto {ok}"));
        self.emit(format!("{dead}:"));
        self.emit(format!("r0 = *(u64 *)(r{t} +0)"));
        self.emit("exit");
        self.emit(format!("{ok}:"));
    }

    /// `LD_IMM64` of a direct map-value address (`BPF_PSEUDO_MAP_VALUE`, arrays with one
    /// entry), then accesses through it.
    fn direct_value(&mut self) {
        self.tag("map");
        self.tag("direct_value");
        let name = "dmap";
        let map = match self.maps.iter().position(|m| m.name == name) {
            Some(i) => i,
            None => {
                let max = if self.bad() { self.rng.pick(&[2, 4]) } else { 1 };
                let kind =
                    if self.bad() && self.rng.chance(30) { MapKind::Hash } else { MapKind::Array };
                self.maps.push(MapSpec {
                    name: name.into(),
                    kind,
                    key_size: 4,
                    value_size: self.value_size,
                    max_entries: max,
                    flags: 0,
                    map_extra: 0,
                });
                self.maps.len() - 1
            }
        };
        let vs = self.value_size as i32;
        let off = if self.bad() {
            self.rng.pick(&[vs, vs + 8, -8])
        } else {
            4 * self.rng.range(0, ((vs - 1) / 4) as i64) as i32
        };
        let d = self.dst(true);
        self.emit(format!("r{d} = map_value[{name}]{off:+}"));
        self.set(d, Val::MapVal { map, off, maybe_null: false });
        for _ in 0..self.rng.range(1, 2) {
            self.map_value_access(d);
        }
    }

    fn map_update_delete(&mut self) {
        self.tag("map");
        let map = self.pick_map();
        let (koff, _) = self.write_key(map);
        let update = self.rng.chance(60);
        let vs = self.maps[map].value_size as i32;
        let mut voff = 0;
        if update {
            // The value: an initialised stack region (or not quite).
            let slots = (vs + 7) / 8;
            voff = -8 * (slots + 8);
            if !(self.bad() && self.rng.chance(50)) {
                for i in 0..slots {
                    self.emit(format!("{} = {}", mem(8, 10, voff + 8 * i), i));
                    self.m.write_stack(voff + 8 * i, 8, Some(Val::Const(i as i64)));
                }
            }
            if self.bad() && self.rng.chance(50) {
                voff = -vs / 2 - 1; // the value would run past the frame
            }
        }
        self.load_map(1, map);
        self.emit("r2 = r10");
        self.emit(format!("r2 += {koff}"));
        if update {
            if self.bad() && self.rng.chance(30) {
                self.emit("r3 = 0");
            } else {
                self.emit("r3 = r10");
                self.emit(format!("r3 += {voff}"));
            }
            if !(self.bad() && self.rng.chance(30)) {
                let line = format!("r4 = {}", self.rng.range(0, 2));
                self.emit(line);
            }
            self.emit("call bpf_map_update_elem");
        } else {
            self.emit("call bpf_map_delete_elem");
        }
        self.clobber_call(Val::Any);
    }

    // ---- helpers -------------------------------------------------------------------------------

    fn helper_scalar(&mut self) {
        self.tag("helper");
        let (name, v) = match self.rng.below(4) {
            0 => ("bpf_ktime_get_ns", Val::Any),
            1 => ("bpf_get_smp_processor_id", Val::Any),
            2 if self.ty != ProgType::SocketFilter && self.ty != ProgType::Xdp => {
                ("bpf_get_current_pid_tgid", Val::Any)
            }
            _ => ("bpf_get_prandom_u32", Val::Any),
        };
        self.emit(format!("call {name}"));
        self.clobber_call(v);
        if self.rng.chance(50) {
            let d = self.dst(true);
            if d != 0 {
                self.emit(format!("r{d} = r0"));
                self.set(d, Val::Any);
            }
        }
    }

    fn probe_read(&mut self) {
        self.tag("helper");
        self.tag("probe_read");
        let n = self.rng.pick(&[1, 4, 8, 16, 32]);
        let mut off = -8 * self.rng.range(((n + 7) / 8) as i64, 12) as i32;
        if self.bad() && self.rng.chance(50) {
            off = -(n / 2).max(1);
        }
        let src = self.regs_where(|v| v.is_scalar() || v == Val::Ctx);
        // The destination: our stack, or a map value we hold (in r6-r9).
        let vals = self.regs_where(|v| matches!(v, Val::MapVal { maybe_null: false, .. }));
        let vals: Vec<u8> = vals.into_iter().filter(|&v| v >= 6).collect();
        let mut dst_text = vec!["r1 = r10".to_string(), format!("r1 += {off}")];
        let mut into_stack = true;
        if !vals.is_empty() && self.rng.chance(40) {
            let v = self.rng.pick(&vals);
            let Val::MapVal { map, off: base, .. } = self.m.regs[v as usize] else {
                unreachable!()
            };
            let vs = self.maps[map].value_size as i32;
            let room = vs - base;
            let k = if self.bad() {
                room - n + self.rng.range(1, 8) as i32
            } else {
                self.rng.range(0, (room - n).max(0) as i64) as i32
            };
            dst_text = vec![format!("r1 = r{v}"), format!("r1 += {k}")];
            into_stack = false;
            self.tag("mem_arg_map_value");
        }
        for l in &dst_text {
            self.emit(l.clone());
        }
        match self.rng.below(5) {
            0 if self.bad() => {
                // An unbounded size.
                self.emit("call bpf_get_prandom_u32");
                self.emit("r2 = r0");
                for l in &dst_text {
                    self.emit(l.clone());
                }
            }
            1 => {
                // A bounded variable size.
                self.emit("call bpf_get_prandom_u32");
                self.emit("r2 = r0");
                self.emit(format!("r2 &= {}", n - 1));
                for l in &dst_text {
                    self.emit(l.clone());
                }
            }
            2 if self.bad() => self.emit("r2 = 0"),
            _ => self.emit(format!("r2 = {n}")),
        }
        match (src.is_empty(), self.rng.below(3)) {
            (false, 0) => {
                let s = self.rng.pick(&src);
                if s != 3 && s > 2 {
                    self.emit(format!("r3 = r{s}"));
                } else {
                    self.emit("r3 = 0");
                }
            }
            _ => {
                let v = self.imm_value();
                self.emit(format!("r3 = {v}"))
            }
        }
        self.emit("call bpf_probe_read_kernel");
        self.clobber_call(Val::Any);
        if into_stack {
            self.m.write_stack(off, n, None);
        }
    }

    fn release(&mut self, r: u8) {
        let Val::RbMem { rid, .. } = self.m.regs[r as usize] else {
            return;
        };
        if r != 1 {
            self.emit(format!("r1 = r{r}"));
        }
        self.emit("r2 = 0");
        let f = if self.rng.chance(50) { "bpf_ringbuf_submit" } else { "bpf_ringbuf_discard" };
        self.emit(format!("call {f}"));
        self.clobber_call(Val::Uninit);
        for x in 0..10 {
            if matches!(self.m.regs[x], Val::RbMem { rid: q, .. } if q == rid) {
                self.m.regs[x] = Val::Tainted;
            }
        }
        self.m.refs.retain(|&q| q != rid);
    }

    fn ringbuf(&mut self) {
        self.tag("ringbuf");
        let rb = self.map_index(MapKind::Ringbuf);
        if self.rng.chance(25) {
            // bpf_ringbuf_output from the stack.
            let n = self.rng.pick(&[8, 16]);
            let off = -8 * self.rng.range(2, 8) as i32;
            if !(self.bad() && self.rng.chance(50)) {
                for i in 0..n / 8 {
                    self.emit(format!("{} = {i}", mem(8, 10, off + 8 * i)));
                    self.m.write_stack(off + 8 * i, 8, Some(Val::Const(i as i64)));
                }
            }
            self.load_map(1, rb);
            self.emit("r2 = r10");
            self.emit(format!("r2 += {off}"));
            self.emit(format!("r3 = {n}"));
            self.emit("r4 = 0");
            self.emit("call bpf_ringbuf_output");
            self.clobber_call(Val::Any);
            return;
        }
        let size = self.rng.pick(&[8, 16, 24, 64]);
        self.load_map(1, rb);
        if self.bad() && self.rng.chance(30) {
            self.emit("call bpf_get_prandom_u32");
            self.load_map(1, rb);
            self.emit("r2 = r0");
        } else {
            self.emit(format!("r2 = {size}"));
        }
        self.emit("r3 = 0");
        self.emit("call bpf_ringbuf_reserve");
        let rid = self.next_rid;
        self.next_rid += 1;
        self.clobber_call(Val::RbMem { size, maybe_null: true, rid });
        let r = if self.rng.chance(50) {
            let d = self.dst(true);
            self.emit(format!("r{d} = r0"));
            self.set(d, Val::RbMem { size, maybe_null: true, rid });
            d
        } else {
            0
        };
        let null_check = !self.bad();
        let out = self.label();
        let before = self.m.clone();
        if null_check {
            self.emit(format!("if r{r} == 0 goto {out}"));
        }
        self.m.refs.push(rid);
        self.set(r, Val::RbMem { size, maybe_null: false, rid });
        // Writes into the record.
        for _ in 0..self.rng.range(1, 3) {
            let ws = self.rng.pick(&[8, 4, 1]);
            let mut off = ws * self.rng.range(0, ((size - ws) / ws) as i64) as i32;
            if self.bad() {
                off = size - ws + self.rng.pick(&[1, ws, 8]);
            }
            if self.rng.chance(70) {
                let v = self.imm_value();
                self.emit(format!("{} = {v}", mem(ws, r, off)));
            } else {
                let d = self.dst(true);
                if d != r {
                    self.emit(format!("r{d} = {}", mem(ws, r, off)));
                    self.set(d, Val::Any);
                }
            }
        }
        if self.rng.chance(25) && self.depth < 2 && r != 0 {
            self.inner(1);
        }
        match self.rng.below(10) {
            0 if self.bad() => {
                // Forget to release: a leak at exit.
                self.tag("ringbuf_leak");
            }
            1 if self.bad() => {
                self.release(r);
                // Use after release, or release twice.
                if self.rng.chance(50) {
                    self.emit(format!("r1 = {}", mem(8, r, 0)));
                } else {
                    self.emit(format!("r1 = r{r}"));
                    self.emit("r2 = 0");
                    self.emit("call bpf_ringbuf_discard");
                }
            }
            _ => {
                if matches!(self.m.regs[r as usize], Val::RbMem { .. }) {
                    self.release(r);
                } else if let Some(q) =
                    self.regs_where(|v| matches!(v, Val::RbMem { rid: x, .. } if x == rid)).first()
                {
                    self.release(*q);
                }
            }
        }
        if null_check {
            self.emit(format!("{out}:"));
            let mut skip = before;
            skip.regs[r as usize] = Val::Const(0);
            self.m = Model::merge(&skip, &self.m);
        }
    }

    // ---- packets -------------------------------------------------------------------------------

    fn packet(&mut self) {
        self.tag("pkt");
        let Some(c) = self.ctx_reg() else {
            return self.alu();
        };
        let p = self.dst_x(true, &[c]);
        let e = self.dst_x(true, &[c, p]);
        let q = self.dst_x(false, &[c, p, e]);
        // socket filters may not read data/data_end: these loads are rejected there.
        let (doff, eoff) = if self.ty == ProgType::SocketFilter { (76, 80) } else { (0, 4) };
        self.emit(format!("r{p} = *(u32 *)(r{c} {doff:+})"));
        self.emit(format!("r{e} = *(u32 *)(r{c} {eoff:+})"));
        self.m.pkt_gen += 1;
        self.m.pkt_range = 0;
        let gen = self.m.pkt_gen;
        self.set(p, Val::Pkt { off: 0, gen });
        self.set(e, Val::PktEnd);
        let n = self.rng.pick(&[1, 2, 4, 8, 14, 20, 34, 54]);
        let out = self.label();
        let before = self.m.clone();
        if self.bad() && self.rng.chance(30) {
            // Access before any check.
            self.emit(format!("r0 = *(u8 *)(r{p} +0)"));
            self.set(0, Val::Any);
            return;
        }
        self.emit(format!("r{q} = r{p}"));
        self.emit(format!("r{q} += {n}"));
        self.set(q, Val::Pkt { off: n, gen });
        let wrong_branch = self.bad() && self.rng.chance(30);
        match (self.rng.below(4), wrong_branch) {
            (_, true) => self.emit(format!("if r{q} <= r{e} goto {out}")),
            (0, _) => self.emit(format!("if r{e} < r{q} goto {out}")),
            (1, _) if !self.unpriv || self.rng.chance(50) => {
                self.emit(format!("if r{q} >= r{e} goto {out}"))
            }
            _ => self.emit(format!("if r{q} > r{e} goto {out}")),
        }
        self.m.pkt_range = n;
        for _ in 0..self.rng.range(1, 3) {
            self.pkt_access(p, n);
        }
        if self.rng.chance(25) {
            self.pkt_var_access(p, e, n);
        }
        if self.rng.chance(20) {
            self.inner(1);
        }
        self.emit(format!("{out}:"));
        self.m = Model::merge(&before, &self.m);
    }

    fn pkt_access(&mut self, p: u8, n: i32) {
        if !matches!(self.m.regs[p as usize], Val::Pkt { .. }) {
            return;
        }
        let size = *[1, 2, 4, 8]
            .iter()
            .filter(|&&s| s <= n)
            .nth(self.rng.below(4) as usize % 4)
            .unwrap_or(&1);
        let size = if size > n { 1 } else { size };
        let mut off = self.rng.range(0, (n - size) as i64) as i32;
        if self.bad() {
            off = n - size + self.rng.range(1, 4) as i32;
        }
        if self.rng.chance(70) {
            let d = self.dst(false);
            if d == p {
                return;
            }
            self.emit(format!("r{d} = {}", mem(size, p, off)));
            self.set(d, Val::Any);
        } else {
            let v = self.imm_value();
            self.emit(format!("{} = {v}", mem(size, p, off)));
        }
    }

    /// `p += (byte & mask)` then a second check and access.
    fn pkt_var_access(&mut self, p: u8, e: u8, n: i32) {
        self.tag("var_off");
        let t = self.dst_x(false, &[p, e]);
        self.emit(format!("r{t} = *(u8 *)(r{p} +0)"));
        let mask = self.rng.pick(&[1, 3, 7, 15, 63, 255]);
        if !(self.bad() && self.rng.chance(50)) {
            self.emit(format!("r{t} &= {mask}"));
        }
        let r = self.dst_x(false, &[p, e, t]);
        self.emit(format!("r{r} = r{p}"));
        self.emit(format!("r{r} += r{t}"));
        let m = self.rng.pick(&[1, 2, 4, 8]);
        let s = self.dst_x(false, &[p, e, r]);
        let out = self.label();
        let before = self.m.clone();
        if !(self.bad() && self.rng.chance(50)) {
            self.emit(format!("r{s} = r{r}"));
            self.emit(format!("r{s} += {m}"));
            self.emit(format!("if r{s} > r{e} goto {out}"));
        }
        let size = *[1, 2, 4, 8].iter().rfind(|&&x| x <= m).unwrap_or(&1);
        let d = self.dst_x(false, &[p, e, r]);
        self.emit(format!("r{d} = {}", mem(size, r, m - size)));
        self.emit(format!("{out}:"));
        for x in [t, r, s, d] {
            self.set(x, Val::Tainted);
        }
        self.m = Model::merge(&before, &self.m);
        let _ = n;
    }

    fn ldabs(&mut self) {
        self.tag("ldabs");
        if self.m.regs[6] != Val::Ctx && !self.bad() {
            return self.ctx_load();
        }
        let size = if self.bad() {
            self.rng.pick(&["u8", "u16", "u32", "u64"])
        } else {
            self.rng.pick(&["u8", "u16", "u32"])
        };
        let off = self.rng.pick(&[0, 1, 2, 12, 14, 23, 40, 100, -1]);
        if self.rng.chance(70) {
            self.emit(format!("r0 = *({size} *)skb[{off}]"));
        } else {
            let r = self.need_scalar();
            self.emit(format!("r0 = *({size} *)skb[r{r} + {off}]"));
        }
        self.clobber_call(Val::Any);
    }

    // ---- control flow --------------------------------------------------------------------------

    fn cond_block(&mut self) {
        self.tag("jmp");
        let a = self.need_scalar();
        let jmp32 = self.rng.chance(30);
        if jmp32 {
            self.tag("jmp32");
        }
        let w = if jmp32 { 'w' } else { 'r' };
        let cond =
            self.rng.pick(&["==", "!=", ">", ">=", "<", "<=", "s>", "s>=", "s<", "s<=", "&"]);
        let rhs = match self.rng.below(10) {
            0..=5 => self.imm_value().to_string(),
            6 if self.bad() => {
                // A pointer or uninitialised register on the right.
                self.tag("ptr_cmp");
                let c = self.regs_where(|v| v.is_ptr() || v == Val::Uninit);
                if c.is_empty() {
                    "0".into()
                } else {
                    format!("{w}{}", self.rng.pick(&c))
                }
            }
            _ => {
                let b = self.need_scalar();
                format!("{w}{b}")
            }
        };
        let out = self.label();
        let before = self.m.clone();
        let a_text =
            if self.m.regs[a as usize].is_scalar() { format!("{w}{a}") } else { format!("r{a}") };
        self.emit(format!("if {a_text} {cond} {rhs} goto {out}"));
        // Pointer comparisons (root only) now and then.
        let n = self.rng.range(1, 2) as usize;
        self.inner(n);
        if self.rng.chance(30) {
            // if/else
            let end = self.label();
            self.emit(format!("goto {end}"));
            self.emit(format!("{out}:"));
            let then = std::mem::replace(&mut self.m, before);
            self.inner(1);
            self.emit(format!("{end}:"));
            self.m = Model::merge(&then, &self.m);
        } else {
            self.emit(format!("{out}:"));
            self.m = Model::merge(&before, &self.m);
        }
        if self.rng.chance(10) {
            // Compare two pointers (allowed to root; unprivileged only for NULL checks).
            let ptrs = self.regs_where(|v| v.is_ptr());
            if ptrs.len() >= 2 && (!self.unpriv || self.bad()) {
                self.tag("ptr_cmp");
                let (x, y) = (self.rng.pick(&ptrs), self.rng.pick(&ptrs));
                let l = self.label();
                let line = format!("if r{x} {} r{y} goto {l}", self.rng.pick(&["==", ">", "!="]));
                self.emit(line);
                let d = self.dst(false);
                self.emit(format!("r{d} = 1"));
                let b = self.m.clone();
                self.set(d, Val::Const(1));
                self.emit(format!("{l}:"));
                self.m = Model::merge(&b, &self.m);
            }
        }
    }

    fn bounded_loop(&mut self) {
        self.tag("loop");
        let i = self.dst(true);
        let k = self.rng.range(1, 12);
        let start = self.label();
        let body_regs_before = self.m.clone();
        if self.bad() && self.rng.chance(40) {
            // A loop whose bound the verifier cannot see: from an unknown, or never reached.
            match self.rng.below(3) {
                0 => {
                    self.emit("call bpf_get_prandom_u32");
                    self.clobber_call(Val::Any);
                    self.emit(format!("r{i} = r0"));
                    self.emit(format!("{start}:"));
                    self.emit(format!("r{i} += 1"));
                    self.emit(format!("if r{i} != 0 goto {start}"));
                }
                1 => {
                    self.emit(format!("r{i} = 0"));
                    self.emit(format!("{start}:"));
                    self.emit(format!("goto {start}"));
                }
                _ => {
                    // The counter is reset in the body: the same state comes round again.
                    // (A constant counter that steps over its bound would run to the 1M
                    // instruction limit instead, slowly; kept out of random batches.)
                    self.emit(format!("r{i} = 0"));
                    self.emit(format!("{start}:"));
                    self.emit(format!("r{i} = 0"));
                    self.emit(format!("r{i} += 1"));
                    self.emit(format!("if r{i} < {} goto {start}", k + 1));
                }
            }
            self.set(i, Val::Any);
            return;
        }
        let step = self.rng.pick(&[1, 1, 1, 2, 3]);
        self.emit(format!("r{i} = 0"));
        self.set(i, Val::Const(0));
        self.emit(format!("{start}:"));
        // Body: scalars and stack only, never touching the counter.
        for _ in 0..self.rng.range(1, 3) {
            match self.rng.below(4) {
                0 => {
                    let d = self.need_scalar();
                    if d != i {
                        let v = self.rng.range(1, 9);
                        let op = self.rng.pick(&["+=", "^=", "|=", "*=", "-="]);
                        self.emit(format!("r{d} {op} {v}"));
                        self.set(d, Val::Any);
                    }
                }
                1 => {
                    let off = -8 * self.rng.range(1, 8) as i32;
                    self.emit(format!("{} = r{i}", mem(8, 10, off)));
                    self.m.write_stack(off, 8, Some(Val::Any));
                }
                2 => {
                    // Accumulate into r0.
                    if self.m.regs[0].is_scalar() {
                        self.emit(format!("r0 += r{i}"));
                        self.set(0, Val::Any);
                    } else {
                        self.emit(format!("r0 = r{i}"));
                        self.set(0, Val::Any);
                    }
                }
                _ => {
                    // A loop-carried stack load.
                    let inits: Vec<i32> =
                        (1..=8).map(|s| -8 * s).filter(|&o| self.m.stack_init(o, 8)).collect();
                    if !inits.is_empty() {
                        let o = self.rng.pick(&inits);
                        let d = self.dst(false);
                        if d != i {
                            self.emit(format!("r{d} = {}", mem(8, 10, o)));
                            self.set(d, Val::Any);
                        }
                    }
                }
            }
            self.set(i, Val::Const(0));
        }
        self.emit(format!("r{i} += {step}"));
        let cond = self.rng.pick(&["<", "<", "!=", "s<", "<="]);
        let bound = if cond == "!=" { k * step } else { k };
        let w = if self.rng.chance(25) { 'w' } else { 'r' };
        self.emit(format!("if {w}{i} {cond} {bound} goto {start}"));
        // After the loop: scalars written in the body are unknown.
        for r in 0..10 {
            if self.m.regs[r] != body_regs_before.regs[r] && self.m.regs[r].is_scalar() {
                self.m.regs[r] = Val::Any;
            }
        }
        self.set(i, Val::Any);
    }

    /// A bpf-to-bpf call to a new function, generated on the spot.
    fn subprog_call(&mut self) {
        self.tag("call");
        let fname = format!("f{}", self.funcs.len() + 1);
        // Arguments: a scalar, a pointer to our stack (initialised), the context.
        let mut callee = Model::new();
        let nargs = self.rng.range(0, 3);
        let mut stack_arg: Option<i32> = None;
        for a in 1..=nargs as u8 {
            let vals = self.regs_where(|v| matches!(v, Val::MapVal { maybe_null: false, .. }));
            let vals: Vec<u8> = vals.into_iter().filter(|&v| v >= a).collect();
            match self.rng.below(4) {
                3 if !vals.is_empty() => {
                    // A map value pointer.
                    let v = self.rng.pick(&vals);
                    if v != a {
                        self.emit(format!("r{a} = r{v}"));
                    }
                    let val = self.m.regs[v as usize];
                    self.set(a, val);
                    callee.regs[a as usize] = val;
                }
                0 => {
                    let v = self.imm_value();
                    self.emit(format!("r{a} = {v}"));
                    self.set(a, Val::Const(v));
                    callee.regs[a as usize] = Val::Const(v);
                }
                1 if stack_arg.is_none() => {
                    let off = -8 * self.rng.range(1, 6) as i32;
                    if !self.m.stack_init(off, 8) {
                        self.emit(format!("{} = 0", mem(8, 10, off)));
                        self.m.write_stack(off, 8, Some(Val::Const(0)));
                    }
                    self.emit(format!("r{a} = r10"));
                    self.emit(format!("r{a} += {off}"));
                    self.set(a, Val::Fp(off));
                    callee.regs[a as usize] = Val::Fp(i32::MIN); // caller's stack
                    stack_arg = Some(off);
                }
                _ => match self.ctx_reg() {
                    Some(c) if c != a => {
                        self.emit(format!("r{a} = r{c}"));
                        self.set(a, Val::Ctx);
                        callee.regs[a as usize] = Val::Ctx;
                    }
                    Some(_) => callee.regs[a as usize] = Val::Ctx,
                    None => {
                        self.emit(format!("r{a} = 0"));
                        self.set(a, Val::Const(0));
                        callee.regs[a as usize] = Val::Const(0);
                    }
                },
            }
        }
        self.emit(format!("call {fname}"));
        // Generate the callee with its own model.
        let saved_model = std::mem::replace(&mut self.m, callee);
        let saved_out = std::mem::take(&mut self.out);
        let saved_budget = self.budget;
        let saved_in_func = self.in_func;
        self.in_func = true;
        self.funcs.push(Vec::new()); // reserve the name
        let slot = self.funcs.len() - 1;
        self.emit(format!("{fname}:"));
        // Use the caller's stack through the pointer argument.
        for a in 1..=5u8 {
            if self.m.regs[a as usize] == Val::Fp(i32::MIN) {
                if self.rng.chance(50) {
                    let d = self.rng.pick(&[0, 3, 4, 5]);
                    let off = if self.bad() { self.rng.pick(&[8, -8, 4]) } else { 0 };
                    self.emit(format!("r{d} = {}", mem(8, a, off)));
                    self.m.regs[d as usize] = Val::Any;
                } else {
                    let line = format!("{} = {}", mem(8, a, 0), self.rng.range(0, 9));
                    self.emit(line);
                }
                self.m.regs[a as usize] = Val::Tainted;
            }
        }
        for a in 1..=5u8 {
            if matches!(self.m.regs[a as usize], Val::MapVal { .. }) {
                self.tag("ptr_arg");
                for _ in 0..self.rng.range(1, 2) {
                    self.map_value_access(a);
                }
            }
        }
        if self.m.regs[1] == Val::Ctx && self.rng.chance(60) {
            self.emit("r6 = r1");
            self.m.regs[6] = Val::Ctx;
        }
        if self.bad() && self.rng.chance(20) {
            // Read a callee-saved register the callee never wrote.
            self.emit("r0 = r7");
        }
        self.budget = self.rng.range(1, 4) as i32;
        while self.budget > 0 {
            self.budget -= 1;
            self.snippet();
        }
        // Release anything still open, then return something.
        let open: Vec<u8> = self.regs_where(|v| matches!(v, Val::RbMem { maybe_null: false, .. }));
        for r in open {
            self.release(r);
        }
        let ret = match self.rng.below(8) {
            0 if self.bad() => {
                // A pointer to our own stack.
                self.emit("r0 = r10");
                self.emit("r0 += -8");
                Val::Tainted
            }
            1 if self.bad() => Val::Tainted, // r0 as it is
            2 => {
                let s = self.regs_where(|v| v.is_scalar());
                if let Some(&r) = s.first() {
                    if r != 0 {
                        self.emit(format!("r0 = r{r}"));
                    }
                    Val::Any
                } else {
                    self.emit("r0 = 0");
                    Val::Const(0)
                }
            }
            _ => {
                let v = self.rng.range(0, 3);
                self.emit(format!("r0 = {v}"));
                Val::Const(v)
            }
        };
        self.emit("exit");
        let body = std::mem::replace(&mut self.out, saved_out);
        self.funcs[slot] = body;
        self.m = saved_model;
        self.budget = saved_budget;
        self.in_func = saved_in_func;
        self.clobber_call(ret);
        if let Some(off) = stack_arg {
            self.m.write_stack(off, 8, Some(Val::Any));
        }
    }

    // ---- pointers ------------------------------------------------------------------------------

    fn ptr_arith(&mut self) {
        self.tag("ptr");
        match self.rng.below(8) {
            0 | 1 => {
                // A stack pointer, then an access through it.
                let d = self.dst(true);
                let off = -8 * self.rng.range(1, 16) as i32;
                self.emit(format!("r{d} = r10"));
                self.emit(format!("r{d} += {off}"));
                self.set(d, Val::Fp(off));
                let k = self.rng.pick(&[0, 0, 4, -8]);
                let size = if k == 4 { 4 } else { 8 };
                if self.rng.chance(50) || (self.unpriv && !self.m.stack_init(off + k, size)) {
                    let line = format!("{} = {}", mem(size, d, k), self.imm_value());
                    self.emit(line);
                    self.m.write_stack(off + k, size, None);
                } else {
                    let x = self.dst(false);
                    if x != d {
                        self.emit(format!("r{x} = {}", mem(size, d, k)));
                        self.set(x, Val::Any);
                    }
                }
            }
            2 => {
                // Variable-offset stack access (root may).
                self.tag("var_off");
                let d = self.dst(true);
                let t = self.dst(false);
                if d == t {
                    return;
                }
                self.emit("call bpf_get_prandom_u32");
                self.clobber_call(Val::Any);
                if t != 0 {
                    self.emit(format!("r{t} = r0"));
                }
                let mask = self.rng.pick(&[7, 15, 31]);
                if !self.bad() {
                    self.emit(format!("r{t} &= {mask}"));
                }
                self.emit(format!("r{d} = r10"));
                self.emit(format!("r{d} += -64"));
                self.emit(format!("r{d} += r{t}"));
                if self.rng.chance(50) {
                    self.emit(format!("{} = 0", mem(1, d, 0)));
                    self.m.write_stack(-64, 64, None);
                } else {
                    let x = self.dst(false);
                    self.emit(format!("r{x} = {}", mem(1, d, 0)));
                    self.set(x, Val::Any);
                }
                self.set(d, Val::Tainted);
                self.set(t, Val::Bounded(mask));
            }
            3 => {
                // Pointer minus pointer (root only), pointer plus scalar register.
                let ptrs = self.regs_where(|v| {
                    matches!(
                        v,
                        Val::Fp(_) | Val::MapVal { maybe_null: false, .. } | Val::Pkt { .. }
                    )
                });
                if ptrs.is_empty() {
                    return;
                }
                let p = self.rng.pick(&ptrs);
                let d = self.dst(false);
                if d == p {
                    return;
                }
                self.emit(format!("r{d} = r{p}"));
                if self.rng.chance(50) {
                    self.emit(format!("r{d} -= r{p}"));
                    self.set(d, Val::Any);
                } else {
                    let s = self.need_scalar();
                    if s == d {
                        return;
                    }
                    self.emit(format!("r{d} += r{s}"));
                    self.set(d, Val::Tainted);
                }
            }
            _ => {
                // A prohibited (or merely unusual) operation on a pointer.
                let ptrs = self.regs_where(|v| v.is_ptr());
                if ptrs.is_empty() || !self.bad() {
                    let d = self.dst(true);
                    self.emit(format!("r{d} = r10"));
                    self.emit(format!("r{d} += -16"));
                    self.set(d, Val::Fp(-16));
                    return;
                }
                let p = self.rng.pick(&ptrs);
                let d = self.dst(false);
                self.emit(format!("r{d} = r{p}"));
                let op = match self.rng.below(9) {
                    0 => "r{d} *= 2".to_string(),
                    1 => "r{d} &= -8".to_string(),
                    2 => "w{d} += 1".to_string(),
                    3 => "r{d} = -r{d}".to_string(),
                    4 => "r{d} <<= 1".to_string(),
                    5 => "r{d} += 1".to_string(),
                    6 => "w{d} = w{d}".to_string(),
                    7 => "r{d} |= 1".to_string(),
                    _ => "r{d} -= 4".to_string(),
                };
                self.emit(op.replace("{d}", &d.to_string()));
                self.set(d, Val::Tainted);
                if self.rng.chance(50) {
                    self.emit(format!("r0 = {}", mem(4, d, 0)));
                    self.set(0, Val::Any);
                }
            }
        }
    }

    fn atomic(&mut self) {
        self.tag("atomic");
        let s = self.need_scalar();
        // On the stack (initialised slot) or in a map value.
        let target =
            self.regs_where(|v| matches!(v, Val::MapVal { maybe_null: false, off: 0, .. }));
        let (base, off) = if !target.is_empty() && self.rng.chance(50) {
            (self.rng.pick(&target), 0)
        } else {
            let off = -8 * self.rng.range(1, 8) as i32;
            if !self.m.stack_init(off, 8) && !self.bad() {
                self.emit(format!("{} = 0", mem(8, 10, off)));
                self.m.write_stack(off, 8, Some(Val::Const(0)));
            }
            (10, off)
        };
        if let Val::MapVal { map, .. } = self.m.regs[base as usize] {
            if self.maps[map].value_size < 8 {
                return;
            }
        }
        let size = self.rng.pick(&[4, 8]);
        let off = if self.bad() { off + self.rng.pick(&[2, 4, 8]) } else { off };
        let a = if size == 8 { "atomic64" } else { "atomic" };
        match self.rng.below(4) {
            0 => {
                let op = self.rng.pick(&["+", "|", "&", "^"]);
                self.emit(format!("lock {} {op}= r{s}", mem(size, base, off)))
            }
            1 => {
                self.emit(format!("r{s} = {a}_fetch_add(({} *)(r{base} {off:+}), r{s})", sz(size)));
                self.set(s, Val::Any);
            }
            2 => {
                self.emit(format!("r{s} = {a}_xchg(({} *)(r{base} {off:+}), r{s})", sz(size)));
                self.set(s, Val::Any);
            }
            _ => {
                if !self.m.regs[0].is_scalar() && !self.bad() {
                    self.emit("r0 = 0");
                    self.set(0, Val::Const(0));
                }
                if s != 0 {
                    self.emit(format!(
                        "r0 = {a}_cmpxchg(({} *)(r{base} {off:+}), r0, r{s})",
                        sz(size)
                    ));
                    self.set(0, Val::Any);
                }
            }
        }
        if base == 10 {
            self.m.write_stack(off, 8, Some(Val::Any));
        }
    }
}

/// Constant folding of a scalar ALU op, as far as the generator cares.
fn fold(op: &str, alu64: bool, d: Val, s: Option<i64>) -> Val {
    let (Val::Const(a), Some(b)) = (d, s) else {
        return match (op, s) {
            ("=", Some(b)) => Val::Const(if alu64 { b } else { b as u32 as i64 }),
            ("&=", Some(b)) if b >= 0 => Val::Bounded(b as u64),
            _ => Val::Any,
        };
    };
    let r = if alu64 {
        match op {
            "+=" => a.wrapping_add(b),
            "-=" => a.wrapping_sub(b),
            "*=" => a.wrapping_mul(b),
            "|=" => a | b,
            "&=" => a & b,
            "^=" => a ^ b,
            "=" => b,
            "<<=" if (0..64).contains(&b) => a << b,
            ">>=" if (0..64).contains(&b) => ((a as u64) >> b) as i64,
            "s>>=" if (0..64).contains(&b) => a >> b,
            "/=" if b != 0 => ((a as u64) / (b as u64)) as i64,
            "%=" if b != 0 => ((a as u64) % (b as u64)) as i64,
            _ => return Val::Any,
        }
    } else {
        let (a, b) = (a as u32, b as u32);
        (match op {
            "+=" => a.wrapping_add(b),
            "-=" => a.wrapping_sub(b),
            "*=" => a.wrapping_mul(b),
            "|=" => a | b,
            "&=" => a & b,
            "^=" => a ^ b,
            "=" => b,
            "<<=" if b < 32 => a << b,
            ">>=" if b < 32 => a >> b,
            "/=" if b != 0 => a / b,
            "%=" if b != 0 => a % b,
            _ => return Val::Any,
        }) as i64
    };
    Val::Const(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Case;
    use std::path::Path;

    #[test]
    fn deterministic_and_assembles() {
        for unpriv in [false, true] {
            let cfg = GenConfig::new(unpriv);
            for seed in 0..500 {
                let a = generate(seed, &cfg);
                let b = generate(seed, &cfg);
                assert_eq!(a.body, b.body, "seed {seed} is not deterministic");
                let src = a.source("");
                Case::parse("g", Path::new("g.s"), &src)
                    .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{src}"));
            }
        }
    }
}
