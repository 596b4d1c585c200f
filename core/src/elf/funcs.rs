//! The BTF signature of each function of a linked program: what libbpf passes the kernel as
//! func info (`.BTF.ext` func info names, for each function's first instruction, its BTF
//! FUNC; clang names the FUNC after the function, so bpfplay finds it by name).

use super::btf::{self, Btf};
use crate::verifier::{BtfType, FuncInfo, Pointee};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// `BTF_FUNC_GLOBAL`, the linkage in a FUNC's `vlen`.
const BTF_FUNC_GLOBAL: usize = 1;

/// The func info of `funcs` ((name, first instruction) of the program and its subprograms),
/// or none when the BTF lacks one of them (the kernel then gets no func info at all).
pub fn func_infos(b: &Btf, funcs: &[(String, usize)]) -> Vec<FuncInfo> {
    let mut out = Vec::new();
    for (name, insn) in funcs {
        match func_info(b, name, *insn) {
            Some(f) => out.push(f),
            None => return Vec::new(),
        }
    }
    out
}

fn func_info(b: &Btf, name: &str, insn: usize) -> Option<FuncInfo> {
    let func = b.func(name)?;
    let proto = b.get(func.size_type).ok()?;
    if proto.kind != btf::KIND_FUNC_PROTO {
        return None;
    }
    let params = (0..proto.vlen)
        .map(|i| btf::u32_at(proto.extra, i * 8 + 4).map(|t| type_of(b, t)))
        .collect::<Option<Vec<_>>>()?;
    Some(FuncInfo {
        insn,
        name: name.to_string(),
        global: func.vlen == BTF_FUNC_GLOBAL,
        ret: type_of(b, proto.size_type),
        params,
    })
}

/// `btf_type_str`: the kernel's name of a kind.
fn kind_str(kind: u32) -> &'static str {
    crate::verifier::func_info::KIND_NAMES.get(kind as usize).copied().unwrap_or("UNKNOWN")
}

fn type_of(b: &Btf, id: u32) -> BtfType {
    let Ok(id) = b.skip_mods(id) else { return BtfType::Other("UNKNOWN") };
    if id == 0 {
        return BtfType::Void;
    }
    let Ok(t) = b.get(id) else { return BtfType::Other("UNKNOWN") };
    match t.kind {
        btf::KIND_INT => BtfType::Int { size: t.size_type },
        btf::KIND_ENUM | btf::KIND_ENUM64 => BtfType::Enum,
        btf::KIND_PTR => BtfType::Ptr(pointee(b, t.size_type)),
        k => BtfType::Other(kind_str(k)),
    }
}

fn pointee(b: &Btf, id: u32) -> Pointee {
    // A typedef directly under the pointer, past const/volatile/restrict/type tags.
    let mut typedef = None;
    let mut cur = id;
    for _ in 0..32 {
        let Ok(t) = b.get(cur) else { break };
        match t.kind {
            btf::KIND_VOLATILE | btf::KIND_CONST | btf::KIND_RESTRICT | btf::KIND_TYPE_TAG => {
                cur = t.size_type
            }
            btf::KIND_TYPEDEF => {
                typedef = b.str_at(t.name_off).ok().map(str::to_string);
                break;
            }
            _ => break,
        }
    }
    let id = b.skip_mods(id).unwrap_or(0);
    let t = if id == 0 { None } else { b.get(id).ok() };
    let kind = t.map_or(0, |t| t.kind);
    let sized = !matches!(kind, 0 | btf::KIND_FWD | btf::KIND_FUNC_PROTO | btf::KIND_FUNC);
    Pointee {
        kind: kind_str(kind),
        name: t.and_then(|t| b.str_at(t.name_off).ok()).unwrap_or("").to_string(),
        size: if sized { b.size_of(id).ok().and_then(|s| u32::try_from(s).ok()) } else { None },
        is_struct: kind == btf::KIND_STRUCT,
        typedef,
    }
}

/// `BTF_FUNC_EXTERN`: a FUNC's linkage (its `vlen`) for a declaration without a body.
const BTF_FUNC_EXTERN: usize = 2;

/// Why the kernel's BTF check would refuse the object's BTF, as far as bpfplay checks it:
/// `btf_func_check` (kernel/bpf/btf.c) refuses a FUNC whose prototype has a typed argument
/// without a name ("Invalid arg#N"), which clang emits for `__naked` functions with
/// parameters. libbpf then loads the programs without BTF ("BTF is optional, ignoring").
pub fn kernel_refuses(b: &Btf) -> Option<String> {
    for t in b.all() {
        // An extern function (a kfunc declaration, linkage 2 in `vlen`) goes to the kernel
        // with its unnamed parameters named: libbpf's bpf_object__collect_externs gives them
        // the name of its dummy ksym variable.
        if t.kind != btf::KIND_FUNC || t.vlen == BTF_FUNC_EXTERN {
            continue;
        }
        let Ok(proto) = b.get(t.size_type) else { continue };
        if proto.kind != btf::KIND_FUNC_PROTO {
            continue;
        }
        for i in 0..proto.vlen {
            let name_off = btf::u32_at(proto.extra, i * 8).unwrap_or(0);
            let typ = btf::u32_at(proto.extra, i * 8 + 4).unwrap_or(0);
            if name_off == 0 && typ != 0 {
                let name = b.str_at(t.name_off).unwrap_or("?");
                return Some(format!("FUNC {name}: Invalid arg#{}", i + 1));
            }
        }
    }
    None
}
