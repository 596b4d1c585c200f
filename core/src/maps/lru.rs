//! `lru_hash` and `lru_percpu_hash` (kernel/bpf/hashtab.c `htab_lru_map_*`,
//! `htab_lru_percpu_map_*`, kernel/bpf/bpf_lru_list.c).
//!
//! The kernel's LRU is not a strict least-recently-used order: it is a set of lists (active,
//! inactive, free, and per CPU a local free list and a pending list of elements inserted
//! but not yet placed), a "referenced" bit that program lookups set, and rotations that
//! move elements between the lists in batches. Which element an insertion into a full map
//! evicts follows from these lists, so bpfplay keeps the very same lists (as index-linked
//! circular lists with sentinel heads, like `struct list_head`) and runs the same
//! algorithms on them, for the CPU the operation runs on. Given the same sequence of
//! operations on the same CPUs, the same elements are evicted.
//!
//! Every update takes a fresh element from the LRU before looking at the key (so even a
//! failing update, or the update of an existing key, may evict another key), and the old
//! element of a replaced key goes back to the free lists.
//!
//! `lru_percpu_hash` (`__htab_lru_percpu_map_update_elem`) differs: an update with
//! `BPF_EXIST` takes no element from the LRU; an existing key's values are updated in place
//! (and the element marked referenced), the element taken for it going back to the free
//! lists; a new element's other CPUs are zeroed when a program creates it
//! (`pcpu_init_value`).

use super::{round8, MapDef, MapError, BPF_EXIST};
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

const ACTIVE: u8 = 0;
const INACTIVE: u8 = 1;
const FREE: u8 = 2;
const LOCAL_FREE: u8 = 3;
const LOCAL_PENDING: u8 = 4;
/// Sentinel nodes (list heads) carry this type.
const HEAD: u8 = 255;

const LOCAL_FREE_TARGET: usize = 128;
const LOCAL_NR_SCANS: usize = LOCAL_FREE_TARGET;
const PERCPU_FREE_TARGET: usize = 4;
const PERCPU_NR_SCANS: usize = PERCPU_FREE_TARGET;

#[derive(Clone, Copy, Debug)]
struct Node {
    prev: usize,
    next: usize,
    typ: u8,
    referenced: bool,
    cpu: usize,
}

/// `struct bpf_lru_list`: the heads of the active, inactive and free lists.
#[derive(Clone, Debug)]
struct LruList {
    heads: [usize; 3],
    counts: [usize; 2],
    next_inactive_rotation: usize,
}

/// `struct bpf_lru_locallist` of one CPU.
#[derive(Clone, Debug)]
struct LocalList {
    free: usize,
    pending: usize,
    next_steal: usize,
}

#[derive(Clone, Debug)]
struct Elem {
    key: Vec<u8>,
    value: Vec<u8>,
    uid: u64,
}

#[derive(Clone, Debug)]
pub struct LruHash {
    /// Elements `0..n`, then the sentinel heads.
    nodes: Vec<Node>,
    /// Element data; `None` for a node that is not in the hash table.
    data: Vec<Option<Elem>>,
    /// The hash table: key -> node.
    table: BTreeMap<Vec<u8>, usize>,
    by_uid: BTreeMap<u64, usize>,
    next_uid: u64,
    value_size: usize,
    ncpus: usize,
    /// `lru_percpu_hash`: an element holds `value_size` bytes per CPU.
    pcpu: bool,
    /// `BPF_F_NO_COMMON_LRU`: one LRU list per CPU instead of a common one with local lists.
    percpu: bool,
    /// The common list (`lists[0]`), or one per CPU.
    lists: Vec<LruList>,
    locals: Vec<LocalList>,
    target_free: usize,
    nr_scans: usize,
}

impl LruHash {
    pub fn new(def: &MapDef, ncpus: usize) -> LruHash {
        let n = def.max_entries as usize;
        let ncpus = ncpus.max(1);
        let percpu = def.flags & super::flags::NO_COMMON_LRU != 0;
        let mut h = LruHash {
            nodes: Vec::with_capacity(n + 8),
            data: vec![None; n],
            table: BTreeMap::new(),
            by_uid: BTreeMap::new(),
            next_uid: 1,
            value_size: def.value_size as usize,
            ncpus,
            pcpu: def.kind.is_percpu(),
            percpu,
            lists: Vec::new(),
            locals: Vec::new(),
            target_free: 1,
            nr_scans: if percpu { PERCPU_NR_SCANS } else { LOCAL_NR_SCANS },
        };
        for _ in 0..n {
            h.nodes.push(Node { prev: 0, next: 0, typ: FREE, referenced: false, cpu: 0 });
        }
        let nlists = if percpu { ncpus } else { 1 };
        for _ in 0..nlists {
            let heads = [h.new_head(), h.new_head(), h.new_head()];
            h.lists.push(LruList {
                heads,
                counts: [0; 2],
                next_inactive_rotation: heads[INACTIVE as usize],
            });
        }
        if !percpu {
            for cpu in 0..ncpus {
                let (free, pending) = (h.new_head(), h.new_head());
                h.locals.push(LocalList { free, pending, next_steal: cpu });
            }
            // bpf_common_lru_populate: every element on the free list, the last one first.
            let head = h.lists[0].heads[FREE as usize];
            for i in 0..n {
                h.nodes[i].typ = FREE;
                h.list_add(i, head);
            }
            h.target_free = ((n / ncpus) / 2).clamp(1, LOCAL_FREE_TARGET);
        } else {
            // bpf_percpu_lru_populate: an equal share on each CPU's free list.
            let per = (n / ncpus).max(1);
            let mut i = 0;
            'cpus: for cpu in 0..ncpus {
                loop {
                    if i == n {
                        break 'cpus;
                    }
                    let head = h.lists[cpu].heads[FREE as usize];
                    h.nodes[i].cpu = cpu;
                    h.nodes[i].typ = FREE;
                    h.list_add(i, head);
                    i += 1;
                    if i == n {
                        break 'cpus;
                    }
                    if i % per == 0 {
                        break;
                    }
                }
            }
        }
        h
    }

    fn new_head(&mut self) -> usize {
        let i = self.nodes.len();
        self.nodes.push(Node { prev: i, next: i, typ: HEAD, referenced: false, cpu: 0 });
        i
    }

    // ---- struct list_head ----

    fn link(&mut self, new: usize, prev: usize, next: usize) {
        self.nodes[next].prev = new;
        self.nodes[new].next = next;
        self.nodes[new].prev = prev;
        self.nodes[prev].next = new;
    }

    /// `list_add`: right after `head`.
    fn list_add(&mut self, new: usize, head: usize) {
        let next = self.nodes[head].next;
        self.link(new, head, next);
    }

    fn list_del(&mut self, e: usize) {
        let (p, n) = (self.nodes[e].prev, self.nodes[e].next);
        self.nodes[n].prev = p;
        self.nodes[p].next = n;
        self.nodes[e].prev = e;
        self.nodes[e].next = e;
    }

    fn list_move(&mut self, e: usize, head: usize) {
        self.list_del(e);
        self.list_add(e, head);
    }

    fn list_empty(&self, head: usize) -> bool {
        self.nodes[head].next == head
    }

    /// The elements of a list from its tail (oldest) to its head.
    fn reverse(&self, head: usize) -> Vec<usize> {
        let mut v = Vec::new();
        let mut c = self.nodes[head].prev;
        while c != head {
            v.push(c);
            c = self.nodes[c].prev;
        }
        v
    }

    // ---- bpf_lru_list.c ----

    fn count_inc(&mut self, l: usize, t: u8) {
        if t < 2 {
            self.lists[l].counts[t as usize] += 1;
        }
    }

    fn count_dec(&mut self, l: usize, t: u8) {
        if t < 2 {
            self.lists[l].counts[t as usize] -= 1;
        }
    }

    /// `__bpf_lru_node_move_to_free`.
    fn move_to_free(&mut self, l: usize, node: usize, free_list: usize, tgt: u8) {
        if self.lists[l].next_inactive_rotation == node {
            self.lists[l].next_inactive_rotation = self.nodes[node].prev;
        }
        let t = self.nodes[node].typ;
        self.count_dec(l, t);
        self.nodes[node].typ = tgt;
        self.list_move(node, free_list);
    }

    /// `__bpf_lru_node_move_in`: from a local list into the LRU list.
    fn move_in(&mut self, l: usize, node: usize, tgt: u8) {
        self.count_inc(l, tgt);
        self.nodes[node].typ = tgt;
        self.nodes[node].referenced = false;
        let head = self.lists[l].heads[tgt as usize];
        self.list_move(node, head);
    }

    /// `__bpf_lru_node_move`: within or between the active and inactive lists.
    fn move_node(&mut self, l: usize, node: usize, tgt: u8) {
        let t = self.nodes[node].typ;
        if t != tgt {
            self.count_dec(l, t);
            self.count_inc(l, tgt);
            self.nodes[node].typ = tgt;
        }
        self.nodes[node].referenced = false;
        if self.lists[l].next_inactive_rotation == node {
            self.lists[l].next_inactive_rotation = self.nodes[node].prev;
        }
        let head = self.lists[l].heads[tgt as usize];
        self.list_move(node, head);
    }

    fn inactive_low(&self, l: usize) -> bool {
        self.lists[l].counts[INACTIVE as usize] < self.lists[l].counts[ACTIVE as usize]
    }

    fn rotate_active(&mut self, l: usize) {
        let head = self.lists[l].heads[ACTIVE as usize];
        let first = self.nodes[head].next;
        let mut i = 0;
        let mut node = self.nodes[head].prev;
        while node != head {
            let prev = self.nodes[node].prev;
            if self.nodes[node].referenced {
                self.move_node(l, node, ACTIVE);
            } else {
                self.move_node(l, node, INACTIVE);
            }
            i += 1;
            if i == self.nr_scans || node == first {
                break;
            }
            node = prev;
        }
    }

    fn rotate_inactive(&mut self, l: usize) {
        let inactive = self.lists[l].heads[INACTIVE as usize];
        if self.list_empty(inactive) {
            return;
        }
        let nir = self.lists[l].next_inactive_rotation;
        let mut last = self.nodes[nir].next;
        if last == inactive {
            last = self.nodes[last].next;
        }
        let mut cur = nir;
        let mut next = inactive;
        let mut i = 0;
        while i < self.nr_scans {
            if cur == inactive {
                cur = self.nodes[cur].prev;
                continue;
            }
            next = self.nodes[cur].prev;
            if self.nodes[cur].referenced {
                self.move_node(l, cur, ACTIVE);
            }
            if cur == last {
                break;
            }
            cur = next;
            i += 1;
        }
        self.lists[l].next_inactive_rotation = next;
    }

    fn shrink_inactive(
        &mut self,
        l: usize,
        tgt_nshrink: usize,
        free_list: usize,
        tgt: u8,
    ) -> usize {
        let inactive = self.lists[l].heads[INACTIVE as usize];
        let mut nshrinked = 0;
        let mut i = 0;
        let mut node = self.nodes[inactive].prev;
        while node != inactive {
            let prev = self.nodes[node].prev;
            if self.nodes[node].referenced {
                self.move_node(l, node, ACTIVE);
            } else if self.del_from_htab(node) {
                self.move_to_free(l, node, free_list, tgt);
                nshrinked += 1;
                if nshrinked == tgt_nshrink {
                    break;
                }
            }
            i += 1;
            if i == self.nr_scans {
                break;
            }
            node = prev;
        }
        nshrinked
    }

    fn rotate(&mut self, l: usize) {
        if self.inactive_low(l) {
            self.rotate_active(l);
        }
        self.rotate_inactive(l);
    }

    fn shrink(&mut self, l: usize, tgt_nshrink: usize, free_list: usize, tgt: u8) -> usize {
        let n = self.shrink_inactive(l, tgt_nshrink, free_list, tgt);
        if n > 0 {
            return n;
        }
        let inactive = self.lists[l].heads[INACTIVE as usize];
        let force = if !self.list_empty(inactive) {
            inactive
        } else {
            self.lists[l].heads[ACTIVE as usize]
        };
        for node in self.reverse(force) {
            if self.del_from_htab(node) {
                self.move_to_free(l, node, free_list, tgt);
                return 1;
            }
        }
        0
    }

    fn local_flush(&mut self, l: usize, cpu: usize) {
        let pending = self.locals[cpu].pending;
        for node in self.reverse(pending) {
            let tgt = if self.nodes[node].referenced { ACTIVE } else { INACTIVE };
            self.move_in(l, node, tgt);
        }
    }

    fn pop_free_to_local(&mut self, cpu: usize) {
        let l = 0;
        self.local_flush(l, cpu);
        self.rotate(l);
        let free_head = self.lists[l].heads[FREE as usize];
        let local_free = self.locals[cpu].free;
        let mut nfree = 0;
        let mut node = self.nodes[free_head].next;
        while node != free_head {
            let next = self.nodes[node].next;
            self.move_to_free(l, node, local_free, LOCAL_FREE);
            nfree += 1;
            if nfree == self.target_free {
                break;
            }
            node = next;
        }
        if nfree < self.target_free {
            let t = self.target_free - nfree;
            self.shrink(l, t, local_free, LOCAL_FREE);
        }
    }

    fn local_add_pending(&mut self, cpu: usize, node: usize) {
        self.nodes[node].cpu = cpu;
        self.nodes[node].typ = LOCAL_PENDING;
        self.nodes[node].referenced = false;
        let pending = self.locals[cpu].pending;
        self.list_add(node, pending);
    }

    fn local_pop_free(&mut self, cpu: usize) -> Option<usize> {
        let head = self.locals[cpu].free;
        let node = self.nodes[head].next;
        if node == head {
            return None;
        }
        self.list_del(node);
        Some(node)
    }

    fn local_pop_pending(&mut self, cpu: usize) -> Option<usize> {
        let pending = self.locals[cpu].pending;
        for force in [false, true] {
            for node in self.reverse(pending) {
                if (!self.nodes[node].referenced || force) && self.del_from_htab(node) {
                    self.list_del(node);
                    return Some(node);
                }
            }
        }
        None
    }

    fn common_pop_free(&mut self, cpu: usize) -> Option<usize> {
        let mut node = self.local_pop_free(cpu);
        if node.is_none() {
            self.pop_free_to_local(cpu);
            node = self.local_pop_free(cpu);
        }
        if let Some(n) = node {
            self.local_add_pending(cpu, n);
            return Some(n);
        }
        // Steal from the local free or pending lists, round robin from next_steal.
        let first = self.locals[cpu].next_steal;
        let mut steal = first;
        let node = loop {
            let node = self.local_pop_free(steal).or_else(|| self.local_pop_pending(steal));
            steal = (steal + 1) % self.ncpus;
            if node.is_some() || steal == first {
                break node;
            }
        };
        self.locals[cpu].next_steal = steal;
        if let Some(n) = node {
            self.local_add_pending(cpu, n);
        }
        node
    }

    fn percpu_pop_free(&mut self, cpu: usize) -> Option<usize> {
        let l = cpu;
        self.rotate(l);
        let free = self.lists[l].heads[FREE as usize];
        if self.list_empty(free) {
            self.shrink(l, PERCPU_FREE_TARGET, free, FREE);
        }
        if self.list_empty(free) {
            return None;
        }
        let node = self.nodes[free].next;
        self.nodes[node].referenced = false;
        self.move_node(l, node, INACTIVE);
        Some(node)
    }

    fn pop_free(&mut self, cpu: usize) -> Option<usize> {
        let cpu = cpu.min(self.ncpus - 1);
        if self.percpu {
            self.percpu_pop_free(cpu)
        } else {
            self.common_pop_free(cpu)
        }
    }

    fn push_free(&mut self, node: usize) {
        if self.percpu {
            let l = self.nodes[node].cpu;
            self.move_node(l, node, FREE);
            return;
        }
        match self.nodes[node].typ {
            FREE | LOCAL_FREE => {}
            LOCAL_PENDING => {
                let cpu = self.nodes[node].cpu;
                self.nodes[node].typ = LOCAL_FREE;
                self.nodes[node].referenced = false;
                let head = self.locals[cpu].free;
                self.list_move(node, head);
            }
            _ => self.move_node(0, node, FREE),
        }
    }

    /// `htab_lru_map_delete_node`: the LRU takes an element back from the hash table.
    fn del_from_htab(&mut self, node: usize) -> bool {
        let Some(e) = self.data[node].take() else { return false };
        if self.table.get(&e.key) == Some(&node) {
            self.table.remove(&e.key);
        }
        self.by_uid.remove(&e.uid);
        true
    }

    // ---- the map ----

    /// Bytes per CPU: an `lru_percpu_hash` element keeps `round_up(value_size, 8)` bytes
    /// per CPU, padding included, as the kernel's `copy_map_value_long` copies them.
    fn stride(&self) -> usize {
        if self.pcpu {
            round8(self.value_size as u64) as usize
        } else {
            self.value_size
        }
    }

    /// CPU `cpu`'s value bytes within an element.
    fn cpu_range(&self, cpu: usize) -> core::ops::Range<usize> {
        let c = if self.pcpu { cpu.min(self.ncpus - 1) } else { 0 };
        c * self.stride()..c * self.stride() + self.value_size
    }

    /// `htab_lru_map_update_elem` (user space and programs alike), on `cpu`. Returns the new
    /// element's uid.
    pub fn update(
        &mut self,
        key: &[u8],
        value: &[u8],
        flags: u64,
        cpu: usize,
    ) -> Result<u64, MapError> {
        if flags > BPF_EXIST {
            return Err(MapError::Inval);
        }
        let node = self.pop_free(cpu).ok_or(MapError::NoMem)?;
        let old = self.table.get(key).copied();
        if let Err(e) = super::hash::check_flags(old.is_some(), flags) {
            self.push_free(node);
            return Err(e);
        }
        let uid = self.next_uid;
        self.next_uid += 1;
        self.data[node] =
            Some(Elem { key: key.to_vec(), value: value[..self.value_size].to_vec(), uid });
        self.table.insert(key.to_vec(), node);
        self.by_uid.insert(uid, node);
        if let Some(o) = old {
            self.nodes[node].referenced = true;
            if let Some(e) = self.data[o].take() {
                self.by_uid.remove(&e.uid);
            }
            self.push_free(o);
        }
        Ok(uid)
    }

    /// `__htab_lru_percpu_map_update_elem` on `cpu`: `value` is either every CPU's value as
    /// user space passes them (`round_up(value_size, 8)` bytes each, padding kept; `all`),
    /// or one value for `cpu` (a program's: `value_size` bytes; the kernel copies the
    /// rounded size from the program's buffer, bytes past `value_size` that bpfplay does not
    /// see, so the padding of a program-written value stays as it was, zeros for a new
    /// element). Returns the element's uid (the old one when updated in place).
    pub fn update_percpu(
        &mut self,
        key: &[u8],
        value: &[u8],
        all: bool,
        flags: u64,
        cpu: usize,
    ) -> Result<u64, MapError> {
        if flags > BPF_EXIST {
            return Err(MapError::Inval);
        }
        let node = if flags != BPF_EXIST {
            Some(self.pop_free(cpu).ok_or(MapError::NoMem)?)
        } else {
            None
        };
        let old = self.table.get(key).copied();
        if let Err(e) = super::hash::check_flags(old.is_some(), flags) {
            if let Some(n) = node {
                self.push_free(n);
            }
            return Err(e);
        }
        let (vs, ncpus, stride) = (self.value_size, self.ncpus, self.stride());
        let r = self.cpu_range(cpu);
        let write = |dst: &mut [u8]| {
            if all {
                dst.copy_from_slice(&value[..stride * ncpus]);
            } else {
                dst[r.clone()].copy_from_slice(&value[..vs]);
            }
        };
        if let Some(o) = old {
            self.nodes[o].referenced = true;
            let uid = match self.data[o].as_mut() {
                Some(e) => {
                    write(&mut e.value);
                    e.uid
                }
                None => 0,
            };
            if let Some(n) = node {
                self.push_free(n);
            }
            return Ok(uid);
        }
        let node = node.ok_or(MapError::NoEnt)?;
        let mut v = vec![0u8; stride * ncpus];
        write(&mut v);
        let uid = self.next_uid;
        self.next_uid += 1;
        self.data[node] = Some(Elem { key: key.to_vec(), value: v, uid });
        self.table.insert(key.to_vec(), node);
        self.by_uid.insert(uid, node);
        Ok(uid)
    }

    /// The uid of `key`'s element, without marking it.
    pub fn uid(&self, key: &[u8]) -> Option<u64> {
        let n = *self.table.get(key)?;
        self.data[n].as_ref().map(|e| e.uid)
    }

    /// A program's lookup: marks the element referenced.
    pub fn lookup_mark(&mut self, key: &[u8]) -> Option<u64> {
        let n = *self.table.get(key)?;
        self.nodes[n].referenced = true;
        self.data[n].as_ref().map(|e| e.uid)
    }

    /// User space's lookup (`htab_lru_map_lookup_elem_sys`, `bpf_percpu_hash_copy`): no
    /// mark; per-CPU values as `round_up(value_size, 8)` bytes per CPU.
    pub fn lookup_user(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        let n = *self.table.get(key).ok_or(MapError::NoEnt)?;
        let e = self.data[n].as_ref().ok_or(MapError::NoEnt)?;
        // Per-CPU: already the user layout (rounded values, padding included).
        Ok(e.value.clone())
    }

    pub fn delete(&mut self, key: &[u8]) -> Result<u64, MapError> {
        let n = self.table.remove(key).ok_or(MapError::NoEnt)?;
        let uid = self.data[n].take().map(|e| e.uid).unwrap_or(0);
        self.by_uid.remove(&uid);
        self.push_free(n);
        Ok(uid)
    }

    pub fn has_uid(&self, uid: u64) -> bool {
        self.by_uid.contains_key(&uid)
    }

    /// CPU `cpu`'s value of element `uid` (the only one of an `lru_hash` element).
    pub fn value_by_uid(&self, uid: u64, cpu: usize) -> Option<&[u8]> {
        let n = *self.by_uid.get(&uid)?;
        let r = self.cpu_range(cpu);
        self.data[n].as_ref().map(|e| &e.value[r])
    }

    pub fn set_value_by_uid(&mut self, uid: u64, cpu: usize, value: &[u8]) {
        let Some(&n) = self.by_uid.get(&uid) else { return };
        let r = self.cpu_range(cpu);
        if let Some(e) = self.data[n].as_mut() {
            let k = r.len().min(value.len());
            e.value[r.start..r.start + k].copy_from_slice(&value[..k]);
        }
    }

    pub fn get_next_key(&self, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        super::hash::next_key(&self.table, key)
    }

    /// Every (key, value), CPU `cpu`'s value for `lru_percpu_hash`.
    pub fn entries(&self, cpu: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
        let r = self.cpu_range(cpu);
        self.table
            .iter()
            .filter_map(|(k, &n)| {
                self.data[n].as_ref().map(|e| (k.clone(), e.value[r.clone()].to_vec()))
            })
            .collect()
    }
}
