//! `array` and `percpu_array` (kernel/bpf/arraymap.c): `max_entries` preallocated, zeroed
//! elements of `round_up(value_size, 8)` bytes; every index below `max_entries` exists, so
//! updates with `BPF_NOEXIST` fail with EEXIST and deletes with EINVAL.

use super::{round8, MapDef, MapError, BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST};
use alloc::vec;
use alloc::vec::Vec;

#[derive(Clone, Debug)]
pub struct ArrayMap {
    percpu: bool,
    value_size: usize,
    /// `round_up(value_size, 8)`.
    stride: usize,
    max_entries: u32,
    /// One block per CPU (one block for a plain array).
    blocks: Vec<Vec<u8>>,
}

/// The index a 4-byte key names.
fn key_index(key: &[u8]) -> u32 {
    u32::from_le_bytes([key[0], key[1], key[2], key[3]])
}

/// `array_map_get_next_key`: the first index for `None` or an index out of range, the next
/// one otherwise, ENOENT after the last.
pub(crate) fn next_index(key: Option<&[u8]>, max_entries: u32) -> Result<Vec<u8>, MapError> {
    let next = match key {
        Some(k) if key_index(k) < max_entries => key_index(k) + 1,
        _ => 0,
    };
    if next >= max_entries {
        return Err(MapError::NoEnt);
    }
    Ok(next.to_le_bytes().to_vec())
}

impl ArrayMap {
    pub fn new(def: &MapDef, ncpus: usize) -> ArrayMap {
        let percpu = def.kind.is_percpu();
        let stride = round8(def.value_size as u64) as usize;
        let n = if percpu { ncpus } else { 1 };
        ArrayMap {
            percpu,
            value_size: def.value_size as usize,
            stride,
            max_entries: def.max_entries,
            blocks: vec![vec![0; stride * def.max_entries as usize]; n],
        }
    }

    pub fn max_entries(&self) -> u32 {
        self.max_entries
    }

    fn block_of(&self, cpu: usize) -> usize {
        if self.percpu {
            cpu.min(self.blocks.len() - 1)
        } else {
            0
        }
    }

    /// The element index of `key`, if in range.
    pub fn index(&self, key: &[u8]) -> Option<u32> {
        let i = key_index(key);
        (i < self.max_entries).then_some(i)
    }

    pub fn value(&self, i: u32, cpu: usize) -> &[u8] {
        let b = &self.blocks[self.block_of(cpu)];
        let at = i as usize * self.stride;
        &b[at..at + self.value_size]
    }

    pub fn set_value(&mut self, i: u32, cpu: usize, value: &[u8]) {
        if i >= self.max_entries {
            return;
        }
        let (at, n) = (i as usize * self.stride, self.value_size.min(value.len()));
        let k = self.block_of(cpu);
        self.blocks[k][at..at + n].copy_from_slice(&value[..n]);
    }

    pub fn block(&self, cpu: usize) -> &[u8] {
        &self.blocks[self.block_of(cpu)]
    }

    pub fn set_block(&mut self, cpu: usize, data: &[u8]) {
        let k = self.block_of(cpu);
        let b = &mut self.blocks[k];
        let n = b.len().min(data.len());
        b[..n].copy_from_slice(&data[..n]);
    }

    pub fn lookup_user(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        let i = self.index(key).ok_or(MapError::NoEnt)?;
        if !self.percpu {
            return Ok(self.value(i, 0).to_vec());
        }
        // bpf_percpu_array_copy: round_up(value_size, 8) bytes per CPU.
        let at = i as usize * self.stride;
        Ok(self.blocks.iter().flat_map(|b| b[at..at + self.stride].iter().copied()).collect())
    }

    /// The flag checks of `array_map_update_elem` / `bpf_percpu_array_update`.
    fn check(&self, key: &[u8], flags: u64) -> Result<u32, MapError> {
        let bad_flags =
            if self.percpu { flags > BPF_EXIST } else { flags & !BPF_F_LOCK > BPF_EXIST };
        if bad_flags {
            return Err(MapError::Inval);
        }
        let i = self.index(key).ok_or(MapError::TooBig)?;
        let noexist = if self.percpu { flags == BPF_NOEXIST } else { flags & BPF_NOEXIST != 0 };
        if noexist {
            return Err(MapError::Exist);
        }
        // BPF_F_LOCK needs a bpf_spin_lock in the value, which bpfplay's maps never have.
        if flags & BPF_F_LOCK != 0 {
            return Err(MapError::Inval);
        }
        Ok(i)
    }

    pub fn update_user(&mut self, key: &[u8], value: &[u8], flags: u64) -> Result<(), MapError> {
        let i = self.check(key, flags)?;
        if self.percpu {
            let at = i as usize * self.stride;
            for (c, b) in self.blocks.iter_mut().enumerate() {
                b[at..at + self.stride]
                    .copy_from_slice(&value[c * self.stride..(c + 1) * self.stride]);
            }
        } else {
            self.set_value(i, 0, value);
        }
        Ok(())
    }

    pub fn update_prog(
        &mut self,
        key: &[u8],
        value: &[u8],
        flags: u64,
        cpu: usize,
    ) -> Result<u32, MapError> {
        let i = self.check(key, flags)?;
        self.set_value(i, cpu, value);
        Ok(i)
    }
}
