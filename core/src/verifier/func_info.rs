//! BTF func info: what an object's BTF says about each function of a program (the kernel's
//! `bpf_func_info` records and the FUNC / FUNC_PROTO types they name), and the checks the
//! kernel makes with it before walking the program:
//!
//! - `check_btf_func` (kernel/bpf/verifier.c): a subprogram that uses LD_ABS/LD_IND or a tail
//!   call must return a small integer ("LD_ABS is only allowed in functions that return
//!   'int'."); without func info `check_abnormal_return` refuses those in any subprogram;
//! - `btf_prepare_func_args` (kernel/bpf/btf.c): a global function's signature turned into
//!   argument types. For the main program `do_check_common` calls it only to learn whether its
//!   BTF is reliable, but its messages reach the log ("Global function f() doesn't return
//!   scalar. Only those are supported." for the `void` functions of most selftests).
//!
//! Argument decl tags (`__arg_ctx`, `__arg_nonnull`, ...) are not read yet.
//!
//! And BTF line info, which the log shows before an instruction whose line record differs
//! from the last one shown (`verbose_linfo`: `; SOURCE @ FILE:LINE`).

use crate::progtype::ProgType;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// What an object's BTF tells the verifier about a program (what libbpf passes as
/// `func_info` and `line_info`); empty for programs without BTF.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BtfInfo {
    /// One record per function, the main program first.
    pub funcs: Vec<FuncInfo>,
    /// Line records sorted by instruction; each holds until the next.
    pub lines: Vec<LineInfo>,
}

/// One `bpf_line_info` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineInfo {
    /// The first instruction it covers.
    pub insn: usize,
    /// The source line's text.
    pub text: String,
    /// The source file's name without directories (the kernel prints `kbasename`).
    pub file: String,
    pub line: u32,
}

impl LineInfo {
    /// The log line, as `verbose_linfo` prints it (after `; `).
    pub(crate) fn log_line(&self) -> String {
        format!("; {} @ {}:{}\n", self.text.trim_start(), self.file, self.line)
    }
}

/// `find_linfo`: the record covering `insn` (the last starting at or before it).
pub(crate) fn find_line(lines: &[LineInfo], insn: usize) -> Option<usize> {
    lines.partition_point(|l| l.insn <= insn).checked_sub(1)
}

/// One function of a program, as its BTF describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncInfo {
    /// Its first instruction in the linked program.
    pub insn: usize,
    pub name: String,
    /// `BTF_FUNC_GLOBAL` linkage (a non-static C function).
    pub global: bool,
    /// The return type, modifiers skipped.
    pub ret: BtfType,
    pub params: Vec<BtfType>,
}

/// A type of a signature, modifiers (typedef, const, volatile, restrict, type tags) skipped,
/// with what the kernel's checks look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BtfType {
    Void,
    /// An integer of `size` bytes.
    Int {
        size: u32,
    },
    /// An enum (32 or 64 bits).
    Enum,
    Ptr(Pointee),
    /// Anything else: the kernel's `btf_type_str` name of its kind (`STRUCT`, `UNION`, ...).
    Other(&'static str),
}

/// What a pointer points to, modifiers skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pointee {
    /// `btf_type_str` of its kind (`UNKNOWN` for void, `STRUCT`, `INT`, `FWD`, ...).
    pub kind: &'static str,
    /// Its name (empty for void and anonymous types).
    pub name: String,
    /// Its size (`btf_resolve_size`), `None` where it has none (void, a forward declaration,
    /// a function).
    pub size: Option<u32>,
    /// Whether it is a struct.
    pub is_struct: bool,
    /// The name of a typedef directly under the pointer (const/volatile skipped), which
    /// kprobe programs may use for their context (`bpf_user_pt_regs_t`).
    pub typedef: Option<String>,
}

impl BtfType {
    fn is_scalar(&self) -> bool {
        matches!(self, BtfType::Int { .. } | BtfType::Enum)
    }
    fn kind_str(&self) -> &'static str {
        match self {
            BtfType::Void => "UNKNOWN",
            BtfType::Int { .. } => "INT",
            BtfType::Enum => "ENUM",
            BtfType::Ptr(_) => "PTR",
            BtfType::Other(k) => k,
        }
    }
}

/// The kernel's `btf_type_str` names of the BTF kinds, by kind number.
pub(crate) const KIND_NAMES: [&str; 20] = [
    "UNKNOWN",
    "INT",
    "PTR",
    "ARRAY",
    "STRUCT",
    "UNION",
    "ENUM",
    "FWD",
    "TYPEDEF",
    "VOLATILE",
    "CONST",
    "RESTRICT",
    "FUNC",
    "FUNC_PROTO",
    "VAR",
    "DATASEC",
    "FLOAT",
    "DECL_TAG",
    "TYPE_TAG",
    "ENUM64",
];

fn kind_name(s: &str) -> Option<&'static str> {
    KIND_NAMES.iter().copied().find(|k| *k == s)
}

impl BtfType {
    /// The annotation's form of the type (`void`, `int4`, `enum`, `ptr(STRUCT __sk_buff 192
    /// -)`, `STRUCT`): see [`FuncInfo::annotation`].
    fn text(&self) -> String {
        let dash = |s: &str| if s.is_empty() { String::from("-") } else { String::from(s) };
        match self {
            BtfType::Void => String::from("void"),
            BtfType::Int { size } => format!("int{size}"),
            BtfType::Enum => String::from("enum"),
            BtfType::Ptr(p) => format!(
                "ptr({} {} {} {})",
                p.kind,
                dash(&p.name),
                p.size.map_or(String::from("-"), |n| format!("{n}")),
                dash(p.typedef.as_deref().unwrap_or(""))
            ),
            BtfType::Other(k) => String::from(*k),
        }
    }

    fn parse(t: &str) -> Option<BtfType> {
        let undash = |s: &str| if s == "-" { String::new() } else { String::from(s) };
        Some(match t {
            "void" => BtfType::Void,
            "enum" => BtfType::Enum,
            _ if t.starts_with("int") => BtfType::Int { size: t[3..].parse().ok()? },
            _ if t.starts_with("ptr(") && t.ends_with(')') => {
                let f: Vec<&str> = t[4..t.len() - 1].split(' ').collect();
                let [kind, name, size, typedef] = f[..] else { return None };
                let kind = kind_name(kind)?;
                BtfType::Ptr(Pointee {
                    kind,
                    name: undash(name),
                    size: if size == "-" { None } else { Some(size.parse().ok()?) },
                    is_struct: kind == "STRUCT",
                    typedef: Some(undash(typedef)).filter(|s| !s.is_empty()),
                })
            }
            _ => BtfType::Other(kind_name(t)?),
        })
    }
}

impl FuncInfo {
    /// The function's BTF signature as a line of assembly (after `// btf: `), which
    /// `elf::annotated` writes under a function's `// function NAME` line so that the
    /// assembly the page edits keeps what the kernel would learn from the object's BTF:
    /// `global int4 (ptr(STRUCT __sk_buff 192 -))`.
    pub fn annotation(&self) -> String {
        let args: Vec<String> = self.params.iter().map(BtfType::text).collect();
        let linkage = if self.global { "global" } else { "static" };
        format!("{linkage} {} ({})", self.ret.text(), args.join(", "))
    }

    /// Reads [`FuncInfo::annotation`] back, for the function `name` starting at `insn`.
    pub fn parse_annotation(s: &str, name: &str, insn: usize) -> Option<FuncInfo> {
        let (linkage, rest) = s.trim().split_once(' ')?;
        let global = match linkage {
            "global" => true,
            "static" => false,
            _ => return None,
        };
        let (ret, args) = rest.split_once(" (")?;
        let args = args.strip_suffix(')')?;
        let params = if args.is_empty() {
            Vec::new()
        } else {
            args.split(", ").map(BtfType::parse).collect::<Option<Vec<_>>>()?
        };
        Some(FuncInfo { insn, name: String::from(name), global, ret: BtfType::parse(ret)?, params })
    }
}

/// `check_btf_func`'s `scalar_return`: a small integer or an enum.
pub(crate) fn returns_small_scalar(f: &FuncInfo) -> bool {
    matches!(f.ret, BtfType::Int { size } if size <= 8) || f.ret == BtfType::Enum
}

/// The context struct each program type's functions may take (`bpf_types.h`, compared by
/// name in `btf_is_prog_ctx_type`; `__sk_buff` and `xdp_md` also accept the kernel structs
/// they project, `btf_is_projection_of`). Tracepoints' context is `__u64`, never a struct.
fn ctx_struct(t: ProgType) -> (&'static str, Option<&'static str>) {
    match t {
        ProgType::SocketFilter => ("__sk_buff", Some("sk_buff")),
        ProgType::Xdp => ("xdp_md", Some("xdp_buff")),
        ProgType::Kprobe => ("pt_regs", None),
        ProgType::Tracepoint => ("", None),
    }
}

/// `btf_is_prog_ctx_type`.
fn is_ctx(p: &Pointee, t: ProgType) -> bool {
    if t == ProgType::Kprobe && p.typedef.as_deref() == Some("bpf_user_pt_regs_t") {
        return true;
    }
    let (name, projection) = ctx_struct(t);
    p.is_struct && !name.is_empty() && (p.name == name || Some(p.name.as_str()) == projection)
}

/// `btf_prepare_func_args`' checks, as far as bpfplay models argument types: `Err` with the
/// message the kernel logs (`None` where it fails silently, for a static function).
pub(crate) fn prepare_args(f: &FuncInfo, t: ProgType) -> Result<(), Option<String>> {
    let say = |m: String| if f.global { Some(m) } else { None };
    if f.params.len() > 5 {
        return Err(say(format!(
            "Global function {}() with {} > 5 args. Buggy compiler.",
            f.name,
            f.params.len()
        )));
    }
    if !f.ret.is_scalar() {
        return Err(say(format!(
            "Global function {}() doesn't return scalar. Only those are supported.",
            f.name
        )));
    }
    for (i, p) in f.params.iter().enumerate() {
        match p {
            BtfType::Ptr(q) if is_ctx(q, t) => {}
            BtfType::Ptr(q) => {
                if !f.global {
                    return Err(None);
                }
                if q.size.is_none() {
                    return Err(Some(format!(
                        "arg#{i} reference type('{} {}') size cannot be determined: -22",
                        q.kind, q.name
                    )));
                }
            }
            p if p.is_scalar() => {}
            p => {
                return Err(say(format!(
                    "Arg#{i} type {} in {}() is not supported yet.",
                    p.kind_str(),
                    f.name
                )))
            }
        }
    }
    Ok(())
}

/// The function info of the subprogram starting at `insn`, if any.
pub(crate) fn at(funcs: &[FuncInfo], insn: usize) -> Option<&FuncInfo> {
    funcs.iter().find(|f| f.insn == insn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn f(ret: BtfType, params: Vec<BtfType>) -> FuncInfo {
        FuncInfo { insn: 0, name: "prog".into(), global: true, ret, params }
    }

    fn ptr(kind: &'static str, name: &str, size: Option<u32>) -> BtfType {
        BtfType::Ptr(Pointee {
            kind,
            name: name.into(),
            size,
            is_struct: kind == "STRUCT",
            typedef: None,
        })
    }

    #[test]
    fn annotations_read_back() {
        let f = FuncInfo {
            insn: 3,
            name: "sub".into(),
            global: false,
            ret: BtfType::Int { size: 4 },
            params: vec![
                ptr("STRUCT", "__sk_buff", Some(192)),
                ptr("UNKNOWN", "", None),
                BtfType::Enum,
                BtfType::Other("UNION"),
            ],
        };
        let a = f.annotation();
        assert_eq!(a, "static int4 (ptr(STRUCT __sk_buff 192 -), ptr(UNKNOWN - - -), enum, UNION)");
        assert_eq!(FuncInfo::parse_annotation(&a, "sub", 3), Some(f));
        let v = FuncInfo::parse_annotation("global void ()", "main", 0).unwrap();
        assert_eq!((v.global, v.ret, v.params.len()), (true, BtfType::Void, 0));
        assert_eq!(FuncInfo::parse_annotation("global float ()", "x", 0), None);
    }

    #[test]
    fn signatures_as_btf_prepare_func_args_sees_them() {
        let sf = ProgType::SocketFilter;
        let e = prepare_args(&f(BtfType::Void, vec![]), sf).unwrap_err();
        assert_eq!(
            e.as_deref(),
            Some("Global function prog() doesn't return scalar. Only those are supported.")
        );
        let int = BtfType::Int { size: 4 };
        assert_eq!(
            prepare_args(&f(int.clone(), vec![ptr("STRUCT", "__sk_buff", Some(192))]), sf),
            Ok(())
        );
        // `void *ctx` is not the context: a generic pointer whose size is unknown.
        let e = prepare_args(&f(int.clone(), vec![ptr("UNKNOWN", "", None)]), sf).unwrap_err();
        assert_eq!(
            e.as_deref(),
            Some("arg#0 reference type('UNKNOWN ') size cannot be determined: -22")
        );
        // A static function fails silently.
        let s = FuncInfo { global: false, ..f(BtfType::Void, vec![]) };
        assert_eq!(prepare_args(&s, sf), Err(None));
        let e = prepare_args(&f(int, vec![BtfType::Other("STRUCT")]), sf).unwrap_err();
        assert_eq!(e.as_deref(), Some("Arg#0 type STRUCT in prog() is not supported yet."));
    }
}
