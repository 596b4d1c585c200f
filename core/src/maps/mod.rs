//! Maps: kinds, definitions and the kernel's creation rules (kernel/bpf/syscall.c
//! `map_create`, each map type's `map_alloc_check`).

use alloc::string::String;

/// Map kinds with the kernel's `enum bpf_map_type` numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapKind {
    Hash = 1,
    Array = 2,
    ProgArray = 3,
    PercpuHash = 5,
    PercpuArray = 6,
    LruHash = 9,
    Ringbuf = 27,
}

impl MapKind {
    pub fn parse(s: &str) -> Option<MapKind> {
        Some(match s {
            "hash" => MapKind::Hash,
            "array" => MapKind::Array,
            "prog_array" => MapKind::ProgArray,
            "percpu_hash" => MapKind::PercpuHash,
            "percpu_array" => MapKind::PercpuArray,
            "lru_hash" => MapKind::LruHash,
            "ringbuf" => MapKind::Ringbuf,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            MapKind::Hash => "hash",
            MapKind::Array => "array",
            MapKind::ProgArray => "prog_array",
            MapKind::PercpuHash => "percpu_hash",
            MapKind::PercpuArray => "percpu_array",
            MapKind::LruHash => "lru_hash",
            MapKind::Ringbuf => "ringbuf",
        }
    }
    pub fn is_array(self) -> bool {
        matches!(self, MapKind::Array | MapKind::PercpuArray | MapKind::ProgArray)
    }
}

/// A map as declared: `map NAME: KIND key=N value=N max=N` or the CLI's
/// `NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapDef {
    pub name: String,
    pub kind: MapKind,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
}

/// Why a map cannot be created (the errno the kernel's BPF_MAP_CREATE returns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapDefError(pub String);

impl MapDef {
    /// Parses the source header's `KIND key=N value=N max=N` part.
    pub fn parse_spec(name: &str, spec: &str) -> Result<MapDef, MapDefError> {
        let mut it = spec.split_whitespace();
        let kind_s = it.next().ok_or_else(|| MapDefError("expected a map kind".into()))?;
        let kind = MapKind::parse(kind_s).ok_or_else(|| MapDefError(alloc::format!("unknown map kind `{kind_s}` (hash, array, percpu_array, percpu_hash, lru_hash, ringbuf, prog_array)")))?;
        let (mut k, mut v, mut m) = (None, None, None);
        for kv in it {
            let (key, val) = kv.split_once('=').ok_or_else(|| MapDefError(alloc::format!("expected key=N, value=N or max=N, found `{kv}`")))?;
            let n: u32 = val.parse().map_err(|_| MapDefError(alloc::format!("`{val}` is not a number")))?;
            match key {
                "key" => k = Some(n),
                "value" => v = Some(n),
                "max" | "max_entries" => m = Some(n),
                _ => return Err(MapDefError(alloc::format!("unknown map attribute `{key}`"))),
            }
        }
        let def = MapDef {
            name: name.into(),
            kind,
            key_size: k.unwrap_or(if kind == MapKind::Ringbuf { 0 } else { 4 }),
            value_size: v.unwrap_or(if kind == MapKind::Ringbuf { 0 } else { 8 }),
            max_entries: m.ok_or_else(|| MapDefError("missing max=N".into()))?,
            flags: 0,
        };
        def.check()?;
        Ok(def)
    }

    /// The kernel's creation checks (EINVAL/E2BIG), in its words where it has words.
    pub fn check(&self) -> Result<(), MapDefError> {
        let e = |s: &str| Err(MapDefError(s.into()));
        if self.max_entries == 0 {
            return e("max_entries must be positive (EINVAL)");
        }
        match self.kind {
            MapKind::Ringbuf => {
                if self.key_size != 0 || self.value_size != 0 {
                    return e("ringbuf maps have key=0 value=0 (EINVAL)");
                }
                if !self.max_entries.is_power_of_two() || self.max_entries % 4096 != 0 {
                    return e("ringbuf max must be a power of 2 and a multiple of the page size, 4096 (EINVAL)");
                }
            }
            k if k.is_array() => {
                if self.key_size != 4 {
                    return e("array maps have key=4 (EINVAL)");
                }
                if self.value_size == 0 {
                    return e("value size must be positive (EINVAL)");
                }
                if k == MapKind::ProgArray && self.value_size != 4 {
                    return e("prog_array maps have value=4 (EINVAL)");
                }
            }
            _ => {
                if self.key_size == 0 || self.value_size == 0 {
                    return e("key and value sizes must be positive (EINVAL)");
                }
                if self.key_size > 512 {
                    return e("key size too large (E2BIG)");
                }
            }
        }
        if self.value_size > (1 << 20) {
            return e("value size too large (E2BIG)");
        }
        Ok(())
    }
}
