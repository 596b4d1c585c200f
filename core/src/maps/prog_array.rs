//! `prog_array` (kernel/bpf/arraymap.c, `fd_array`): slots holding programs for
//! `bpf_tail_call`. In bpfplay a slot holds a program's number (the kernel takes a program
//! fd on update and gives the program's id on lookup).

use super::{MapError, BPF_ANY};
use alloc::vec;
use alloc::vec::Vec;

/// `MAX_TAIL_CALL_CNT`: tail calls one run may make.
pub const MAX_TAIL_CALL_CNT: u32 = 33;

#[derive(Clone, Debug)]
pub struct ProgArray {
    slots: Vec<Option<u32>>,
}

fn index(key: &[u8]) -> u32 {
    u32::from_le_bytes([key[0], key[1], key[2], key[3]])
}

impl ProgArray {
    pub fn new(max_entries: u32) -> ProgArray {
        ProgArray { slots: vec![None; max_entries as usize] }
    }

    pub fn max_entries(&self) -> u32 {
        self.slots.len() as u32
    }

    /// The program in slot `i`, if any.
    pub fn get(&self, i: u32) -> Option<u32> {
        self.slots.get(i as usize).copied().flatten()
    }

    pub fn lookup(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        self.get(index(key)).map(|p| p.to_le_bytes().to_vec()).ok_or(MapError::NoEnt)
    }

    /// `bpf_fd_array_map_update_elem`: only `BPF_ANY`.
    pub fn update(&mut self, key: &[u8], value: &[u8], flags: u64) -> Result<(), MapError> {
        if flags != BPF_ANY {
            return Err(MapError::Inval);
        }
        let i = index(key) as usize;
        if i >= self.slots.len() {
            return Err(MapError::TooBig);
        }
        self.slots[i] = Some(u32::from_le_bytes([value[0], value[1], value[2], value[3]]));
        Ok(())
    }

    /// `fd_array_map_delete_elem`: E2BIG out of range, ENOENT for an empty slot.
    pub fn delete(&mut self, key: &[u8]) -> Result<(), MapError> {
        let i = index(key) as usize;
        let s = self.slots.get_mut(i).ok_or(MapError::TooBig)?;
        s.take().map(|_| ()).ok_or(MapError::NoEnt)
    }

    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                s.map(|p| ((i as u32).to_le_bytes().to_vec(), p.to_le_bytes().to_vec()))
            })
            .collect()
    }
}
