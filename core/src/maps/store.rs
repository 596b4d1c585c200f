//! [`MapStore`]: the maps of a program, by index (the `imm` of its map references) and by
//! name, with the user-space API the CLI and the UI use between runs.

use super::{Map, MapDef, MapDefError, MapError};
use alloc::vec::Vec;

/// A map's (key, value) pairs.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// The maps of a program. `ncpus` is the number of possible CPUs (per-CPU maps keep one
/// value per CPU; the default is 1).
#[derive(Clone, Debug)]
pub struct MapStore {
    maps: Vec<Map>,
    ncpus: usize,
}

impl Default for MapStore {
    fn default() -> Self {
        MapStore::new(1)
    }
}

impl MapStore {
    pub fn new(ncpus: usize) -> MapStore {
        MapStore { maps: Vec::new(), ncpus: ncpus.max(1) }
    }

    /// Creates one map per definition, in order (index i = the i-th definition).
    pub fn from_defs(defs: &[MapDef], ncpus: usize) -> Result<MapStore, (usize, MapDefError)> {
        let mut s = MapStore::new(ncpus);
        for (i, d) in defs.iter().enumerate() {
            s.create(d).map_err(|e| (i, e))?;
        }
        Ok(s)
    }

    pub fn ncpus(&self) -> usize {
        self.ncpus
    }

    /// Creates a map; returns its index.
    pub fn create(&mut self, def: &MapDef) -> Result<usize, MapDefError> {
        self.maps.push(Map::create(def, self.ncpus)?);
        Ok(self.maps.len() - 1)
    }

    pub fn len(&self) -> usize {
        self.maps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.maps.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&Map> {
        self.maps.get(i)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Map> {
        self.maps.get_mut(i)
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.maps.iter().position(|m| m.def.name == name)
    }

    pub fn by_name(&self, name: &str) -> Option<&Map> {
        self.maps.iter().find(|m| m.def.name == name)
    }

    pub fn by_name_mut(&mut self, name: &str) -> Option<&mut Map> {
        self.maps.iter_mut().find(|m| m.def.name == name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Map> {
        self.maps.iter()
    }

    pub fn defs(&self) -> Vec<MapDef> {
        self.maps.iter().map(|m| m.def.clone()).collect()
    }

    fn map(&self, i: usize) -> Result<&Map, MapError> {
        self.maps.get(i).ok_or(MapError::BadF)
    }

    fn map_mut(&mut self, i: usize) -> Result<&mut Map, MapError> {
        self.maps.get_mut(i).ok_or(MapError::BadF)
    }

    pub fn lookup(&self, map: usize, key: &[u8]) -> Result<Vec<u8>, MapError> {
        self.map(map)?.lookup(key)
    }

    /// An update from user space running on CPU 0. A map of maps takes the number of a map
    /// of this store that matches its inner map (`bpf_map_fd_get_ptr`: EBADF for no such
    /// map, EINVAL for one that does not match).
    pub fn update(
        &mut self,
        map: usize,
        key: &[u8],
        value: &[u8],
        flags: u64,
    ) -> Result<(), MapError> {
        let m = self.map(map)?;
        if m.def.kind.is_map_in_map() && value.len() == 4 && key.len() == m.def.key_size as usize {
            let inner = u32::from_le_bytes([value[0], value[1], value[2], value[3]]) as usize;
            let target = self.map(inner)?;
            match &m.def.inner {
                Some(meta) if meta.meta_equal(&target.def) => {}
                _ => return Err(MapError::Inval),
            }
        }
        self.map_mut(map)?.update(key, value, flags, 0)
    }

    /// [`Map::lookup_value`]: a bloom filter's membership test of `value`.
    pub fn lookup_value(&self, map: usize, key: &[u8], value: &[u8]) -> Result<Vec<u8>, MapError> {
        self.map(map)?.lookup_value(key, value)
    }

    /// [`Map::lookup_and_delete`]: a queue's or stack's pop.
    pub fn lookup_and_delete(&mut self, map: usize, key: &[u8]) -> Result<Vec<u8>, MapError> {
        self.map_mut(map)?.lookup_and_delete(key)
    }

    pub fn delete(&mut self, map: usize, key: &[u8]) -> Result<(), MapError> {
        self.map_mut(map)?.delete(key)
    }

    pub fn get_next_key(&self, map: usize, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        self.map(map)?.get_next_key(key)
    }

    /// See [`Map::entries`].
    pub fn entries(&self, map: usize, cpu: usize) -> Result<Entries, MapError> {
        Ok(self.map(map)?.entries(cpu))
    }
}
