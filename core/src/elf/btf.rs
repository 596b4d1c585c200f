//! The part of BTF (Documentation/bpf/btf.rst, include/uapi/linux/btf.h) that loading an
//! object needs: the string table, the type table (to resolve `.maps` definitions and sizes)
//! and `DATASEC`s. Every read is bounds-checked; type chains are followed at most
//! [`MAX_RESOLVE_DEPTH`] steps (the kernel's `MAX_RESOLVE_DEPTH` is 32 too).

use super::ElfError;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

pub const BTF_MAGIC: u16 = 0xeb9f;
/// Most types accepted (the kernel's BTF_MAX_TYPE is 2^20 - 1).
pub const MAX_TYPES: usize = (1 << 20) - 1;
pub const MAX_RESOLVE_DEPTH: usize = 32;

pub const KIND_INT: u32 = 1;
pub const KIND_PTR: u32 = 2;
pub const KIND_ARRAY: u32 = 3;
pub const KIND_STRUCT: u32 = 4;
pub const KIND_UNION: u32 = 5;
pub const KIND_ENUM: u32 = 6;
pub const KIND_FWD: u32 = 7;
pub const KIND_TYPEDEF: u32 = 8;
pub const KIND_VOLATILE: u32 = 9;
pub const KIND_CONST: u32 = 10;
pub const KIND_RESTRICT: u32 = 11;
pub const KIND_FUNC: u32 = 12;
pub const KIND_FUNC_PROTO: u32 = 13;
pub const KIND_VAR: u32 = 14;
pub const KIND_DATASEC: u32 = 15;
pub const KIND_FLOAT: u32 = 16;
pub const KIND_DECL_TAG: u32 = 17;
pub const KIND_TYPE_TAG: u32 = 18;
pub const KIND_ENUM64: u32 = 19;

pub(crate) fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub(crate) fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

/// One `struct btf_type` and the kind-specific data after it.
#[derive(Clone, Copy, Debug)]
pub struct Type<'a> {
    pub name_off: u32,
    pub kind: u32,
    pub vlen: usize,
    /// `size` or `type`, by kind.
    pub size_type: u32,
    pub extra: &'a [u8],
}

/// A member of a struct, or an entry of a DATASEC.
#[derive(Clone, Copy, Debug)]
pub struct Member {
    pub name_off: u32,
    pub typ: u32,
    pub offset: u32,
}

pub struct Btf<'a> {
    strings: &'a [u8],
    /// Types by id; id 0 (void) is not stored.
    types: Vec<Type<'a>>,
}

impl<'a> Btf<'a> {
    /// Parses a `.BTF` section (little-endian only).
    pub fn parse(data: &'a [u8]) -> Result<Btf<'a>, ElfError> {
        let bad = |m: &str| ElfError::Btf(String::from(m));
        let magic = u16_at(data, 0).ok_or_else(|| bad(".BTF is shorter than its header"))?;
        if magic == BTF_MAGIC.swap_bytes() {
            return Err(bad(".BTF is big-endian; only little-endian objects (-target bpf on x86, bpfel) are supported"));
        }
        if magic != BTF_MAGIC {
            return Err(ElfError::Btf(format!(".BTF has magic {magic:#06x}, expected 0xeb9f")));
        }
        if data.get(2) != Some(&1) {
            return Err(bad(".BTF version is not 1"));
        }
        let hdr_len = u32_at(data, 4).ok_or_else(|| bad(".BTF header is truncated"))? as usize;
        let field = |o: usize| {
            u32_at(data, o).map(|v| v as usize).ok_or_else(|| bad(".BTF header is truncated"))
        };
        let (type_off, type_len, str_off, str_len) =
            (field(8)?, field(12)?, field(16)?, field(20)?);
        if hdr_len < 24 || hdr_len > data.len() {
            return Err(bad(".BTF header length is out of range"));
        }
        let body = &data[hdr_len..];
        let slice = |off: usize, len: usize, what: &str| {
            off.checked_add(len).and_then(|end| body.get(off..end)).ok_or_else(|| {
                ElfError::Btf(format!(".BTF {what} ({off}+{len}) lies outside the section"))
            })
        };
        let tdata = slice(type_off, type_len, "type section")?;
        let strings = slice(str_off, str_len, "string section")?;
        let mut types = Vec::new();
        let mut pos = 0usize;
        while pos < tdata.len() {
            if types.len() >= MAX_TYPES {
                return Err(ElfError::Limit(format!(".BTF has more than {MAX_TYPES} types")));
            }
            let id = types.len() + 1;
            let trunc = || ElfError::Btf(format!(".BTF type [{id}] is truncated"));
            let name_off = u32_at(tdata, pos).ok_or_else(trunc)?;
            let info = u32_at(tdata, pos + 4).ok_or_else(trunc)?;
            let size_type = u32_at(tdata, pos + 8).ok_or_else(trunc)?;
            let kind = (info >> 24) & 0x1f;
            let vlen = (info & 0xffff) as usize;
            let extra_len = match kind {
                KIND_INT | KIND_VAR | KIND_DECL_TAG => 4,
                KIND_ARRAY => 12,
                KIND_STRUCT | KIND_UNION | KIND_DATASEC | KIND_ENUM64 => 12 * vlen,
                KIND_ENUM | KIND_FUNC_PROTO => 8 * vlen,
                KIND_PTR | KIND_FWD | KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT
                | KIND_FUNC | KIND_FLOAT | KIND_TYPE_TAG => 0,
                k => return Err(ElfError::Btf(format!(".BTF type [{id}] has unknown kind {k}"))),
            };
            let start = pos + 12;
            let extra = tdata.get(start..start + extra_len).ok_or_else(trunc)?;
            types.push(Type { name_off, kind, vlen, size_type, extra });
            pos = start + extra_len;
        }
        Ok(Btf { strings, types })
    }

    /// The NUL-terminated string at `off` of the string section.
    pub fn str_at(&self, off: u32) -> Result<&'a str, ElfError> {
        str_at(self.strings, off).ok_or_else(|| {
            ElfError::Btf(format!(".BTF string offset {off} is out of range or not UTF-8"))
        })
    }

    pub fn get(&self, id: u32) -> Result<Type<'a>, ElfError> {
        if id == 0 {
            return Err(ElfError::Btf(String::from("BTF type 0 (void) has no definition")));
        }
        self.types.get(id as usize - 1).copied().ok_or_else(|| {
            ElfError::Btf(format!("BTF type id {id} does not exist ({} types)", self.types.len()))
        })
    }

    /// Entries of a DATASEC (`btf_var_secinfo`: type, offset, size); `name_off` is unused.
    pub fn secinfos(&self, t: &Type<'a>) -> Vec<Member> {
        (0..t.vlen)
            .filter_map(|i| {
                Some(Member {
                    name_off: 0,
                    typ: u32_at(t.extra, i * 12)?,
                    offset: u32_at(t.extra, i * 12 + 4)?,
                })
            })
            .collect()
    }

    /// Members of a struct/union (`btf_member`: name, type, bit offset).
    pub fn members(&self, t: &Type<'a>) -> Vec<Member> {
        (0..t.vlen)
            .filter_map(|i| {
                Some(Member {
                    name_off: u32_at(t.extra, i * 12)?,
                    typ: u32_at(t.extra, i * 12 + 4)?,
                    offset: u32_at(t.extra, i * 12 + 8)?,
                })
            })
            .collect()
    }

    /// Follows typedef/const/volatile/restrict/type_tag to the underlying type id.
    pub fn skip_mods(&self, mut id: u32) -> Result<u32, ElfError> {
        for _ in 0..MAX_RESOLVE_DEPTH {
            if id == 0 {
                return Ok(0);
            }
            let t = self.get(id)?;
            match t.kind {
                KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT | KIND_TYPE_TAG => {
                    id = t.size_type
                }
                _ => return Ok(id),
            }
        }
        Err(ElfError::Btf(format!("BTF type chain from [{id}] is too long (a loop?)")))
    }

    /// The size in bytes of type `id` (btf__resolve_size).
    pub fn size_of(&self, id: u32) -> Result<u64, ElfError> {
        let mut id = id;
        let mut mult: u64 = 1;
        for _ in 0..MAX_RESOLVE_DEPTH {
            let t = self.get(id)?;
            match t.kind {
                KIND_INT | KIND_STRUCT | KIND_UNION | KIND_ENUM | KIND_ENUM64 | KIND_DATASEC
                | KIND_FLOAT => {
                    return mult
                        .checked_mul(t.size_type as u64)
                        .ok_or_else(|| ElfError::Btf(format!("BTF type [{id}] size overflows")));
                }
                KIND_PTR => {
                    return mult
                        .checked_mul(8)
                        .ok_or_else(|| ElfError::Btf(String::from("size overflows")))
                }
                KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT | KIND_TYPE_TAG
                | KIND_VAR | KIND_DECL_TAG => id = t.size_type,
                KIND_ARRAY => {
                    let nelems = u32_at(t.extra, 8).unwrap_or(0) as u64;
                    mult = mult
                        .checked_mul(nelems)
                        .filter(|m| *m <= u32::MAX as u64)
                        .ok_or_else(|| ElfError::Btf(format!("BTF array [{id}] is too large")))?;
                    id = u32_at(t.extra, 0).unwrap_or(0);
                }
                k => return Err(ElfError::Btf(format!("BTF type [{id}] (kind {k}) has no size"))),
            }
        }
        Err(ElfError::Btf(format!("BTF type chain from [{id}] is too long (a loop?)")))
    }

    /// Every type, in id order from 1.
    pub fn all(&self) -> impl Iterator<Item = &Type<'a>> {
        self.types.iter()
    }

    /// The FUNC named `name`, if any.
    pub fn func(&self, name: &str) -> Option<Type<'a>> {
        self.types
            .iter()
            .find(|t| t.kind == KIND_FUNC && self.str_at(t.name_off).ok() == Some(name))
            .copied()
    }

    /// The DATASEC named `name`, if any.
    pub fn datasec(&self, name: &str) -> Option<Type<'a>> {
        self.types
            .iter()
            .find(|t| t.kind == KIND_DATASEC && self.str_at(t.name_off).ok() == Some(name))
            .copied()
    }
}

/// The NUL-terminated UTF-8 string at `off` of a string table.
pub fn str_at(strings: &[u8], off: u32) -> Option<&str> {
    let rest = strings.get(off as usize..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    core::str::from_utf8(&rest[..end]).ok()
}
