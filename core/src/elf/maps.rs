//! Maps of an object, as libbpf finds them (tools/lib/bpf/libbpf.c
//! `bpf_object__init_user_btf_maps`, `parse_btf_map_def`, `bpf_object__init_global_data_maps`,
//! and the legacy `struct bpf_map_def` of libbpf before 1.0):
//!
//! - BTF-defined maps: each variable of the `.maps` DATASEC is a struct whose members say
//!   `type`, `max_entries`, `map_flags`, `map_extra` (as `int (*name)[N]`: a pointer to an
//!   array of N),
//!   `key`/`value` (pointers to the key and value types) or `key_size`/`value_size`;
//! - the legacy `maps` section: one `{type, key_size, value_size, max_entries, map_flags}` of
//!   u32s per symbol;
//! - global data: each `.data*`, `.rodata*` and `.bss*` section is an array of one element
//!   holding the whole section (`.rodata` read-only for programs, `BPF_F_RDONLY_PROG`).

use super::btf::{self, Btf};
use super::ElfError;
use crate::maps::{flags, MapDef, MapKind};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Most maps per object (the kernel allows 64 per program, MAX_USED_MAPS).
pub const MAX_MAPS: usize = 64;
/// Largest global-data section accepted.
pub const MAX_DATA_SECTION: u64 = 1 << 20;

/// A map of the object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfMap {
    pub def: MapDef,
    /// The section that defines it (`.maps`, `maps`, `.rodata`, ...).
    pub section: String,
    /// Global data: the initial value of element 0 (zeros for `.bss`).
    pub data: Option<Vec<u8>>,
    /// Where its definition sits in `section` (matched against relocation symbols).
    pub(crate) sec_index: usize,
    pub(crate) sec_offset: u64,
    /// Where a BTF map's `values` array starts in its definition (bytes), if it has one.
    pub(crate) values_at: Option<u64>,
    /// A prog_array's or a map of maps' initial slots from its `values` (`.rel.maps`
    /// relocations, as libbpf's `bpf_object__collect_map_relos` reads them): slot index and
    /// the program's function name, or the map's name. libbpf fills them once the programs
    /// are loaded (the maps: once they are created).
    pub slots: Vec<(u32, String)>,
}

/// What kind of global data a section holds, by name (libbpf's `.data`, `.rodata`, `.bss`
/// and their `.data.*`-style variants).
pub fn data_section_kind(name: &str) -> Option<&'static str> {
    let is =
        |base: &str| name == base || name.strip_prefix(base).is_some_and(|r| r.starts_with('.'));
    if is(".rodata") {
        Some(".rodata")
    } else if is(".data") {
        Some(".data")
    } else if is(".bss") {
        Some(".bss")
    } else {
        None
    }
}

fn kind_of(n: u32, name: &str) -> Result<MapKind, ElfError> {
    MapKind::ALL.into_iter().find(|k| *k as u32 == n).ok_or_else(|| ElfError::Map {
        name: String::from(name),
        message: format!("map type {n} is not supported ({})", MapKind::numbered()),
    })
}

fn map_err(name: &str, message: String) -> ElfError {
    ElfError::Map { name: String::from(name), message }
}

/// BTF-defined maps of the `.maps` section (`sec_index`). `symbols` are the (name, value) of
/// the ELF symbols in that section: where each map sits comes from them, as libbpf's
/// `btf_fixup_datasec` takes a DATASEC variable's offset from its symbol. clang leaves the
/// offsets in the `.maps` DATASEC at 0 in objects built through `-emit-llvm | llc` and in
/// many others, so reading them from BTF alone finds only the first map.
pub fn btf_maps(
    btf: &Btf,
    sec_index: usize,
    symbols: &[(String, u64)],
    out: &mut Vec<ElfMap>,
) -> Result<(), ElfError> {
    let Some(ds) = btf.datasec(".maps") else {
        return Err(ElfError::Btf(String::from(
            "the object has a .maps section but its BTF has no .maps DATASEC",
        )));
    };
    for vsi in btf.secinfos(&ds) {
        let var = btf.get(vsi.typ)?;
        if var.kind != btf::KIND_VAR {
            return Err(ElfError::Btf(format!(".maps entry [{}] is not a variable", vsi.typ)));
        }
        let name = btf.str_at(var.name_off)?;
        let st_id = btf.skip_mods(var.size_type)?;
        let st = btf.get(st_id)?;
        if st.kind != btf::KIND_STRUCT {
            return Err(map_err(name, String::from("the definition is not a struct")));
        }
        let (def, values_at) = parse_def(btf, &st, name, true)?;
        push(
            out,
            ElfMap {
                def,
                section: String::from(".maps"),
                data: None,
                sec_index,
                sec_offset: symbols
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(vsi.offset as u64, |&(_, v)| v),
                values_at,
                slots: Vec::new(),
            },
        )?;
    }
    Ok(())
}

/// One BTF map definition (a struct of `__uint`/`__type`/`__array` members, libbpf's
/// `parse_btf_map_def`): the map and where its `values` start. `outer` for an
/// outer definition, whose `values` may give a prog_array's slots or a map of maps' inner
/// map; an inner definition has no `values`.
fn parse_def(
    btf: &Btf,
    st: &btf::Type<'_>,
    name: &str,
    outer: bool,
) -> Result<(MapDef, Option<u64>), ElfError> {
    let (mut kind, mut key_size, mut value_size, mut max_entries, mut map_flags) =
        (None, None, None, None, 0u32);
    let mut map_extra = 0u64;
    let mut values_at = None;
    let mut values_type = None;
    let mut value_type = None;
    for m in btf.members(st) {
        let field = btf.str_at(m.name_off)?;
        // `__uint(name, N)` is `int (*name)[N]`: N is the array's element count.
        let uint = || -> Result<u32, ElfError> {
            let p = btf.get(btf.skip_mods(m.typ)?)?;
            if p.kind != btf::KIND_PTR {
                return Err(map_err(
                    name,
                    format!("field `{field}` is not a pointer (use __uint)"),
                ));
            }
            let a = btf.get(btf.skip_mods(p.size_type)?)?;
            if a.kind != btf::KIND_ARRAY {
                return Err(map_err(
                    name,
                    format!("field `{field}` does not point to an array (use __uint)"),
                ));
            }
            btf::u32_at(a.extra, 8).ok_or_else(|| ElfError::Btf(String::from("array is truncated")))
        };
        // `__type(name, T)` is `T *name`: the size of T.
        let pointee_size = || -> Result<u32, ElfError> {
            let p = btf.get(btf.skip_mods(m.typ)?)?;
            if p.kind != btf::KIND_PTR {
                return Err(map_err(
                    name,
                    format!("field `{field}` is not a pointer (use __type)"),
                ));
            }
            let sz = btf.size_of(p.size_type)?;
            u32::try_from(sz)
                .map_err(|_| map_err(name, format!("`{field}` type is too large ({sz} bytes)")))
        };
        match field {
            "type" => kind = Some(kind_of(uint()?, name)?),
            "max_entries" => max_entries = Some(uint()?),
            "map_flags" => map_flags = uint()?,
            "key_size" => key_size = Some(uint()?),
            "value_size" => value_size = Some(uint()?),
            "key" => {
                let s = pointee_size()?;
                if key_size.is_some_and(|k| k != s) {
                    return Err(map_err(
                        name,
                        format!(
                            "key_size {} and key type size {s} disagree",
                            key_size.unwrap_or(0)
                        ),
                    ));
                }
                key_size = Some(s);
            }
            "value" => {
                let s = pointee_size()?;
                value_type = Some(btf.get(btf.skip_mods(m.typ)?)?.size_type);
                if value_size.is_some_and(|v| v != s) {
                    return Err(map_err(
                        name,
                        format!(
                            "value_size {} and value type size {s} disagree",
                            value_size.unwrap_or(0)
                        ),
                    ));
                }
                value_size = Some(s);
            }
            "numa_node" => {
                uint()?;
            }
            // `__uint(map_extra, N)` (libbpf's parse_btf_map_def; a bloom filter's number of
            // hash functions).
            "map_extra" => map_extra = u64::from(uint()?),
            "pinning" => {
                if uint()? != 0 {
                    return Err(map_err(name, String::from("pinning is not supported")));
                }
            }
            // `__array(values, ...)`: the slots, filled by relocations against `.maps`.
            // Its slots hold 4-byte ids (libbpf's `parse_btf_map_def` sets value_size 4).
            "values" if outer => {
                if value_size.is_some_and(|v| v != 4) {
                    return Err(map_err(name, String::from("`values` needs value_size 4")));
                }
                value_size = Some(4);
                values_at = Some(u64::from(m.offset / 8));
                values_type = Some(m.typ);
            }
            other => return Err(map_err(name, format!("unknown field `{other}`"))),
        }
    }
    let kind = kind.ok_or_else(|| map_err(name, String::from("no `type`")))?;
    let mut inner = None;
    if let Some(t) = values_type {
        if kind.is_map_in_map() {
            // `__array(values, struct {...})`: an array of pointers to the inner map's
            // definition, which libbpf creates first as the inner map (`<outer>.inner`).
            let bad = || map_err(name, String::from("`values` is not an array of map pointers"));
            let a = btf.get(btf.skip_mods(t)?)?;
            if a.kind != btf::KIND_ARRAY {
                return Err(bad());
            }
            let elem = btf::u32_at(a.extra, 0).ok_or_else(bad)?;
            let p = btf.get(btf.skip_mods(elem)?)?;
            if p.kind != btf::KIND_PTR {
                return Err(bad());
            }
            let st = btf.get(btf.skip_mods(p.size_type)?)?;
            if st.kind != btf::KIND_STRUCT {
                return Err(bad());
            }
            let (d, _) = parse_def(btf, &st, &format!("{name}.inner"), false)?;
            inner = Some(alloc::boxed::Box::new(d));
        } else if kind != MapKind::ProgArray {
            return Err(map_err(
                name,
                format!("initial `values` of a {} map are not supported", kind.name()),
            ));
        }
    }
    let mut max_entries =
        max_entries.ok_or_else(|| map_err(name, String::from("no `max_entries`")))?;
    if matches!(kind, MapKind::Ringbuf | MapKind::UserRingbuf) {
        max_entries = adjust_ringbuf_size(max_entries);
    }
    let def = MapDef {
        name: String::from(name),
        kind,
        key_size: key_size.unwrap_or(0),
        value_size: value_size.unwrap_or(0),
        max_entries,
        flags: map_flags,
        map_extra,
        inner,
        record: match value_type {
            Some(t) => value_record(btf, t)?,
            None => Default::default(),
        },
    };
    Ok((def, values_at))
}

/// The special fields of a map's value type (`btf_parse_fields`: members of the value
/// struct whose type is `struct bpf_spin_lock`, `struct bpf_timer` or `struct bpf_wq`), by
/// byte offset.
fn value_record(btf: &Btf, typ: u32) -> Result<crate::maps::BtfRecord, ElfError> {
    let mut r = crate::maps::BtfRecord::default();
    let t = btf.get(btf.skip_mods(typ)?)?;
    if t.kind != btf::KIND_STRUCT {
        return Ok(r);
    }
    for m in btf.members(&t) {
        let mt = btf.get(btf.skip_mods(m.typ)?)?;
        if mt.kind != btf::KIND_STRUCT {
            continue;
        }
        let slot = match btf.str_at(mt.name_off)? {
            "bpf_spin_lock" => &mut r.spin_lock,
            "bpf_timer" => &mut r.timer,
            "bpf_wq" => &mut r.wq,
            _ => continue,
        };
        // The bit offset of a plain (non-bitfield) member; kind_flag structs keep the bitfield
        // size in the top 8 bits.
        *slot = Some((m.offset & 0x00ff_ffff) / 8);
    }
    Ok(r)
}

/// libbpf's `adjust_ringbuf_sz` (fill_map_from_def): a ring buffer's size is rounded up to
/// the next power-of-2 multiple of the page size (4096) above it, unless it is one already
/// or is 0 (left for the kernel to refuse).
fn adjust_ringbuf_size(sz: u32) -> u32 {
    const PAGE: u32 = 4096;
    if sz == 0 || (sz.is_multiple_of(PAGE) && (sz / PAGE).is_power_of_two()) {
        return sz;
    }
    let mut mul: u32 = 1;
    while mul <= u32::MAX / PAGE {
        if mul * PAGE > sz {
            return mul * PAGE;
        }
        mul <<= 1;
    }
    sz
}

/// Legacy maps: `symbols` are the (name, offset) of the symbols in the `maps` section.
pub fn legacy_maps(
    data: &[u8],
    sec_index: usize,
    symbols: &[(String, u64)],
    out: &mut Vec<ElfMap>,
) -> Result<(), ElfError> {
    if symbols.is_empty() {
        return Err(ElfError::Unsupported(String::from(
            "the `maps` section has no symbols naming its maps",
        )));
    }
    // libbpf (before 1.0) divided the section evenly between its symbols.
    let size = data.len() / symbols.len();
    if size < 16 {
        return Err(ElfError::Map { name: symbols[0].0.clone(), message: format!("legacy map definitions of {size} bytes are too short (at least type, key_size, value_size, max_entries)") });
    }
    for (name, off) in symbols {
        let o = *off as usize;
        let def_bytes = o.checked_add(size).and_then(|e| data.get(o..e)).ok_or_else(|| {
            map_err(name, format!("definition at offset {off} lies outside the `maps` section"))
        })?;
        let f = |i: usize| btf::u32_at(def_bytes, i * 4).unwrap_or(0);
        let def = MapDef {
            name: name.clone(),
            kind: kind_of(f(0), name)?,
            key_size: f(1),
            value_size: f(2),
            max_entries: f(3),
            flags: if size >= 20 { f(4) } else { 0 },
            inner: None,
            map_extra: 0,
            record: Default::default(),
        };
        push(
            out,
            ElfMap {
                def,
                section: String::from("maps"),
                data: None,
                sec_index,
                sec_offset: *off,
                values_at: None,
                slots: Vec::new(),
            },
        )?;
    }
    Ok(())
}

/// A global-data map for section `name` of `size` bytes (`data` None for `.bss`).
pub fn data_map(
    name: &str,
    sec_index: usize,
    size: u64,
    data: Option<&[u8]>,
    out: &mut Vec<ElfMap>,
) -> Result<(), ElfError> {
    if size > MAX_DATA_SECTION {
        return Err(ElfError::Limit(format!(
            "section `{name}` is {size} bytes; global data is limited to {MAX_DATA_SECTION}"
        )));
    }
    let bytes = match data {
        Some(d) => d.to_vec(),
        None => alloc::vec![0; size as usize],
    };
    let fl = if data_section_kind(name) == Some(".rodata") { flags::RDONLY_PROG } else { 0 };
    let def = MapDef {
        name: String::from(name),
        kind: MapKind::Array,
        key_size: 4,
        value_size: size as u32,
        max_entries: 1,
        flags: fl,
        inner: None,
        map_extra: 0,
        record: Default::default(),
    };
    push(
        out,
        ElfMap {
            def,
            section: String::from(name),
            data: Some(bytes),
            sec_index,
            sec_offset: 0,
            values_at: None,
            slots: Vec::new(),
        },
    )
}

fn push(out: &mut Vec<ElfMap>, m: ElfMap) -> Result<(), ElfError> {
    if out.len() >= MAX_MAPS {
        return Err(ElfError::Limit(format!("more than {MAX_MAPS} maps")));
    }
    if out.iter().any(|o| o.def.name == m.def.name) {
        return Err(map_err(&m.def.name, String::from("is defined twice")));
    }
    m.def
        .check()
        .map_err(|e| map_err(&m.def.name, format!("the kernel would refuse it: {}", e.message)))?;
    out.push(m);
    Ok(())
}

#[cfg(test)]
mod ringbuf_size_tests {
    #[test]
    fn ring_buffer_sizes_round_up_as_libbpf_rounds_them() {
        let f = super::adjust_ringbuf_size;
        assert_eq!(f(0), 0);
        assert_eq!(f(8), 4096);
        assert_eq!(f(4096), 4096);
        assert_eq!(f(4097), 8192);
        assert_eq!(f(3 * 4096), 4 * 4096);
        assert_eq!(f(1 << 20), 1 << 20);
        assert_eq!(f(u32::MAX), u32::MAX);
    }
}
