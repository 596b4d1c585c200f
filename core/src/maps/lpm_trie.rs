//! `lpm_trie` (kernel/bpf/lpm_trie.c): longest-prefix match.
//!
//! A key is a 4-byte host-order `prefixlen` followed by `key_size - 4` data bytes, read
//! big-endian bit by bit (`extract_bit`). bpfplay keeps the kernel's binary trie, node for
//! node: real nodes and intermediate (`LPM_TREE_NODE_FLAG_IM`) ones, the same insertion
//! (`trie_update_elem`), deletion (`trie_delete_elem`) and walks, so that the iteration
//! order of `trie_get_next_key` (a post-order: more specific prefixes before less specific
//! ones) and the bytes it returns (a node keeps the data bytes of the key that created it,
//! bits past the prefix included) are the kernel's.
//!
//! - lookup (`trie_lookup_elem`): the longest stored prefix that matches; `prefixlen`
//!   above `max_prefixlen` finds nothing.
//! - update: flags above `BPF_EXIST` or a `prefixlen` above the maximum are EINVAL; a new
//!   prefix in a full trie is ENOSPC (`trie_check_add_elem`), `BPF_EXIST` on an absent one
//!   ENOENT, `BPF_NOEXIST` on a present one EEXIST; replacing a present prefix always works
//!   and allocates a new node.
//! - delete: exact prefix only (ENOENT otherwise).

use super::{MapError, BPF_EXIST, BPF_NOEXIST};
use alloc::vec::Vec;

#[derive(Clone, Debug)]
struct Node {
    child: [Option<usize>; 2],
    prefixlen: u32,
    im: bool,
    data: Vec<u8>,
    value: Vec<u8>,
    uid: u64,
}

/// Where a node hangs: the root pointer or a child pointer of a node.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Link {
    Root,
    Child(usize, usize),
}

#[derive(Clone, Debug)]
pub struct LpmTrie {
    nodes: Vec<Option<Node>>,
    free: Vec<usize>,
    root: Option<usize>,
    n_entries: u32,
    max_entries: u32,
    max_prefixlen: u32,
    next_uid: u64,
}

fn extract_bit(data: &[u8], index: u32) -> usize {
    ((data[(index / 8) as usize] >> (7 - index % 8)) & 1) as usize
}

fn split_key(key: &[u8]) -> (u32, &[u8]) {
    (u32::from_ne_bytes([key[0], key[1], key[2], key[3]]), &key[4..])
}

impl LpmTrie {
    pub fn new(key_size: u32, max_entries: u32) -> LpmTrie {
        let data_size = key_size as usize - 4;
        LpmTrie {
            nodes: Vec::new(),
            free: Vec::new(),
            root: None,
            n_entries: 0,
            max_entries,
            max_prefixlen: data_size as u32 * 8,
            next_uid: 1,
        }
    }

    fn node(&self, i: usize) -> &Node {
        self.nodes[i].as_ref().expect("live trie node")
    }

    fn node_mut(&mut self, i: usize) -> &mut Node {
        self.nodes[i].as_mut().expect("live trie node")
    }

    fn alloc(&mut self, n: Node) -> usize {
        if let Some(i) = self.free.pop() {
            self.nodes[i] = Some(n);
            i
        } else {
            self.nodes.push(Some(n));
            self.nodes.len() - 1
        }
    }

    fn release(&mut self, i: usize) {
        self.nodes[i] = None;
        self.free.push(i);
    }

    fn get_link(&self, l: Link) -> Option<usize> {
        match l {
            Link::Root => self.root,
            Link::Child(n, b) => self.node(n).child[b],
        }
    }

    fn set_link(&mut self, l: Link, to: Option<usize>) {
        match l {
            Link::Root => self.root = to,
            Link::Child(n, b) => self.node_mut(n).child[b] = to,
        }
    }

    /// `longest_prefix_match`: matching leading bits of node and key, at most the shorter
    /// prefix.
    fn longest_prefix_match(&self, node: &Node, prefixlen: u32, data: &[u8]) -> u32 {
        let limit = node.prefixlen.min(prefixlen);
        let mut n = 0u32;
        for (a, b) in node.data.iter().zip(data) {
            let d = a ^ b;
            if d != 0 {
                n += d.leading_zeros();
                break;
            }
            n += 8;
            if n >= limit {
                break;
            }
        }
        n.min(limit)
    }

    /// `trie_lookup_elem`: the node holding the longest matching prefix.
    fn lookup_node(&self, key: &[u8]) -> Option<usize> {
        let (plen, data) = split_key(key);
        if plen > self.max_prefixlen {
            return None;
        }
        let mut found = None;
        let mut cur = self.root;
        while let Some(i) = cur {
            let node = self.node(i);
            let m = self.longest_prefix_match(node, plen, data);
            if m == self.max_prefixlen {
                found = Some(i);
                break;
            }
            if m < node.prefixlen {
                break;
            }
            if !node.im {
                found = Some(i);
            }
            cur = node.child[extract_bit(data, node.prefixlen)];
        }
        found
    }

    pub fn lookup_user(&self, key: &[u8]) -> Result<Vec<u8>, MapError> {
        self.lookup_node(key).map(|i| self.node(i).value.clone()).ok_or(MapError::NoEnt)
    }

    /// A program's lookup: the uid of the matching element.
    pub fn lookup_uid(&self, key: &[u8]) -> Option<u64> {
        self.lookup_node(key).map(|i| self.node(i).uid)
    }

    /// `trie_check_add_elem`.
    fn check_add(&mut self, flags: u64) -> Result<(), MapError> {
        if flags == BPF_EXIST {
            return Err(MapError::NoEnt);
        }
        if self.n_entries == self.max_entries {
            return Err(MapError::NoSpc);
        }
        self.n_entries += 1;
        Ok(())
    }

    /// `trie_update_elem`; returns the new element's uid.
    pub fn update(&mut self, key: &[u8], value: &[u8], flags: u64) -> Result<u64, MapError> {
        if flags > BPF_EXIST {
            return Err(MapError::Inval);
        }
        let (plen, data) = split_key(key);
        if plen > self.max_prefixlen {
            return Err(MapError::Inval);
        }
        let uid = self.next_uid;
        let new = Node {
            child: [None, None],
            prefixlen: plen,
            im: false,
            data: data.to_vec(),
            value: value.to_vec(),
            uid,
        };
        let mut slot = Link::Root;
        let mut matchlen = 0;
        let mut found = None;
        while let Some(i) = self.get_link(slot) {
            let node = self.node(i);
            matchlen = self.longest_prefix_match(node, plen, data);
            if node.prefixlen != matchlen || node.prefixlen == plen {
                found = Some(i);
                break;
            }
            slot = Link::Child(i, extract_bit(data, node.prefixlen));
        }
        let Some(node) = found else {
            self.check_add(flags)?;
            self.next_uid += 1;
            let n = self.alloc(new);
            self.set_link(slot, Some(n));
            return Ok(uid);
        };
        let (nplen, nim) = (self.node(node).prefixlen, self.node(node).im);
        if nplen == matchlen {
            // The same prefix: replace the node (a real one, or an intermediate one that
            // becomes real).
            if !nim {
                if flags == BPF_NOEXIST {
                    return Err(MapError::Exist);
                }
            } else {
                self.check_add(flags)?;
            }
            self.next_uid += 1;
            let mut new = new;
            new.child = self.node(node).child;
            self.release(node);
            let n = self.alloc(new);
            self.set_link(slot, Some(n));
            return Ok(uid);
        }
        self.check_add(flags)?;
        self.next_uid += 1;
        if matchlen == plen {
            // The new prefix is an ancestor of the node.
            let b = extract_bit(&self.node(node).data, matchlen);
            let mut new = new;
            new.child[b] = Some(node);
            let n = self.alloc(new);
            self.set_link(slot, Some(n));
            return Ok(uid);
        }
        // An intermediate node where the two part.
        let n = self.alloc(new);
        let im = Node {
            child: if extract_bit(data, matchlen) == 1 {
                [Some(node), Some(n)]
            } else {
                [Some(n), Some(node)]
            },
            prefixlen: matchlen,
            im: true,
            data: self.node(node).data.clone(),
            value: Vec::new(),
            uid: 0,
        };
        let m = self.alloc(im);
        self.set_link(slot, Some(m));
        Ok(uid)
    }

    /// `trie_delete_elem`; returns the removed element's uid.
    pub fn delete(&mut self, key: &[u8]) -> Result<u64, MapError> {
        let (plen, data) = split_key(key);
        if plen > self.max_prefixlen {
            return Err(MapError::Inval);
        }
        let mut trim = Link::Root;
        let mut trim2 = trim;
        let mut parent: Option<usize> = None;
        let mut matchlen = 0;
        let mut found = None;
        while let Some(i) = self.get_link(trim) {
            let node = self.node(i);
            matchlen = self.longest_prefix_match(node, plen, data);
            if node.prefixlen != matchlen || node.prefixlen == plen {
                found = Some(i);
                break;
            }
            parent = Some(i);
            trim2 = trim;
            trim = Link::Child(i, extract_bit(data, node.prefixlen));
        }
        let Some(node) = found else { return Err(MapError::NoEnt) };
        let n = self.node(node);
        if n.prefixlen != plen || n.prefixlen != matchlen || n.im {
            return Err(MapError::NoEnt);
        }
        let (uid, child) = (n.uid, n.child);
        self.n_entries -= 1;
        if child[0].is_some() && child[1].is_some() {
            let n = self.node_mut(node);
            n.im = true;
            n.uid = 0;
            return Ok(uid);
        }
        if let Some(p) = parent {
            if self.node(p).im && child == [None, None] {
                let pc = self.node(p).child;
                let other = if pc[0] == Some(node) { pc[1] } else { pc[0] };
                self.set_link(trim2, other);
                self.release(p);
                self.release(node);
                return Ok(uid);
            }
        }
        self.set_link(trim, child[0].or(child[1]));
        self.release(node);
        Ok(uid)
    }

    fn key_of(&self, i: usize) -> Vec<u8> {
        let n = self.node(i);
        let mut k = n.prefixlen.to_ne_bytes().to_vec();
        k.extend_from_slice(&n.data);
        k
    }

    /// The leftmost real node under `root` in post-order (`find_leftmost`).
    fn leftmost(&self, root: usize) -> usize {
        let mut next = root;
        let mut cur = Some(root);
        while let Some(i) = cur {
            let n = self.node(i);
            if n.im {
                cur = n.child[0];
            } else {
                next = i;
                cur = n.child[0].or(n.child[1]);
            }
        }
        next
    }

    /// `trie_get_next_key`: post-order; an absent (or invalid) key gives the first key.
    pub fn get_next_key(&self, key: Option<&[u8]>) -> Result<Vec<u8>, MapError> {
        let root = self.root.ok_or(MapError::NoEnt)?;
        let Some(key) = key else { return Ok(self.key_of(self.leftmost(root))) };
        let (plen, data) = split_key(key);
        if plen > self.max_prefixlen {
            return Ok(self.key_of(self.leftmost(root)));
        }
        let mut stack = Vec::new();
        let mut cur = Some(root);
        let mut matchlen = 0;
        while let Some(i) = cur {
            stack.push(i);
            let n = self.node(i);
            matchlen = self.longest_prefix_match(n, plen, data);
            if n.prefixlen != matchlen || n.prefixlen == plen {
                break;
            }
            cur = n.child[extract_bit(data, n.prefixlen)];
        }
        let exact = cur.is_some_and(|i| {
            let n = self.node(i);
            n.prefixlen == matchlen && !n.im
        });
        if !exact {
            return Ok(self.key_of(self.leftmost(root)));
        }
        let mut node = *stack.last().expect("the matched node");
        let mut sp = stack.len() - 1;
        while sp > 0 {
            let parent = stack[sp - 1];
            let p = self.node(parent);
            if p.child[0] == Some(node) {
                if let Some(r) = p.child[1] {
                    return Ok(self.key_of(self.leftmost(r)));
                }
            }
            if !p.im {
                return Ok(self.key_of(parent));
            }
            node = parent;
            sp -= 1;
        }
        Err(MapError::NoEnt)
    }

    fn by_uid(&self, uid: u64) -> Option<usize> {
        if uid == 0 {
            return None;
        }
        self.nodes.iter().position(|n| n.as_ref().is_some_and(|n| n.uid == uid && !n.im))
    }

    pub fn has_uid(&self, uid: u64) -> bool {
        self.by_uid(uid).is_some()
    }

    pub fn value_by_uid(&self, uid: u64) -> Option<&[u8]> {
        self.by_uid(uid).map(|i| self.node(i).value.as_slice())
    }

    pub fn set_value_by_uid(&mut self, uid: u64, value: &[u8]) {
        if let Some(i) = self.by_uid(uid) {
            let v = &mut self.node_mut(i).value;
            let n = v.len().min(value.len());
            v[..n].copy_from_slice(&value[..n]);
        }
    }

    pub fn len(&self) -> u32 {
        self.n_entries
    }

    /// Every (key, value) in `get_next_key` order.
    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::new();
        self.post_order(self.root, &mut out);
        out
    }

    fn post_order(&self, n: Option<usize>, out: &mut Vec<(Vec<u8>, Vec<u8>)>) {
        let Some(i) = n else { return };
        let node = self.node(i);
        self.post_order(node.child[0], out);
        self.post_order(node.child[1], out);
        if !node.im {
            out.push((self.key_of(i), node.value.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(plen: u32, a: [u8; 4]) -> Vec<u8> {
        let mut k = plen.to_ne_bytes().to_vec();
        k.extend_from_slice(&a);
        k
    }

    #[test]
    fn the_kernels_example_and_post_order() {
        let mut t = LpmTrie::new(8, 16);
        t.update(&key(16, [192, 168, 0, 0]), &[1], 0).unwrap();
        t.update(&key(24, [192, 168, 0, 0]), &[2], 0).unwrap();
        t.update(&key(24, [192, 168, 128, 0]), &[3], 0).unwrap();
        t.update(&key(24, [192, 168, 1, 0]), &[5], 0).unwrap();
        let order: Vec<Vec<u8>> = t.entries().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            order,
            alloc::vec![
                key(24, [192, 168, 0, 0]),
                key(24, [192, 168, 1, 0]),
                key(24, [192, 168, 128, 0]),
                key(16, [192, 168, 0, 0]),
            ]
        );
        // get_next_key walks the same order.
        let mut k = None;
        let mut walked = Vec::new();
        while let Ok(n) = t.get_next_key(k.as_deref()) {
            walked.push(n.clone());
            k = Some(n);
        }
        assert_eq!(walked, order);
        assert_eq!(t.lookup_user(&key(32, [192, 168, 1, 7])), Ok(alloc::vec![5]));
        assert_eq!(t.lookup_user(&key(32, [192, 168, 2, 7])), Ok(alloc::vec![1]));
        assert_eq!(t.lookup_user(&key(32, [10, 0, 0, 1])), Err(MapError::NoEnt));
        assert_eq!(t.lookup_user(&key(33, [192, 168, 1, 7])), Err(MapError::NoEnt));
    }

    #[test]
    fn flags_full_and_delete() {
        let mut t = LpmTrie::new(8, 2);
        assert_eq!(t.update(&key(8, [10, 0, 0, 0]), &[1], BPF_EXIST), Err(MapError::NoEnt));
        t.update(&key(8, [10, 0, 0, 0]), &[1], BPF_NOEXIST).unwrap();
        assert_eq!(t.update(&key(8, [10, 0, 0, 0]), &[1], BPF_NOEXIST), Err(MapError::Exist));
        t.update(&key(8, [11, 0, 0, 0]), &[2], 0).unwrap();
        assert_eq!(t.update(&key(8, [12, 0, 0, 0]), &[3], 0), Err(MapError::NoSpc));
        // Replacing works in a full trie.
        t.update(&key(8, [11, 0, 0, 0]), &[4], BPF_EXIST).unwrap();
        assert_eq!(t.update(&key(33, [0; 4]), &[4], 0), Err(MapError::Inval));
        assert_eq!(t.delete(&key(16, [11, 0, 0, 0])), Err(MapError::NoEnt));
        t.delete(&key(8, [11, 0, 0, 0])).unwrap();
        t.delete(&key(8, [10, 0, 0, 0])).unwrap();
        assert!(t.root.is_none());
        assert_eq!(t.len(), 0);
    }
}
