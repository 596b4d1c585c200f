//! `queue` and `stack` (kernel/bpf/queue_stack_maps.c).
//!
//! The kernel keeps `max_entries + 1` slots in a ring with a `head` (where the next push
//! goes) and a `tail` (the oldest element); the map is full when `head + 1 == tail` (mod
//! size). bpfplay keeps the very same ring, so that the order after overwrites
//! (`BPF_EXIST` on a full map: `queue_stack_map_push_elem` advances the tail, dropping the
//! oldest element, for a stack too) is the kernel's.
//!
//! - push (`queue_stack_map_push_elem`): `BPF_NOEXIST` or any flag above `BPF_EXIST` is
//!   EINVAL; a full map is E2BIG unless `BPF_EXIST` is given.
//! - pop / peek (`__queue_map_get`, `__stack_map_get`): a queue gives its oldest element,
//!   a stack its newest; an empty map gives ENOENT *and zeroes the value buffer*.
//! - lookup/update/delete by key and get_next_key do not exist: the kernel's
//!   `queue_stack_map_{update,delete}_elem` and `_get_next_key` return EINVAL (the
//!   syscall's lookup is a peek, its update a push, its lookup-and-delete a pop).

use super::{MapError, BPF_EXIST, BPF_NOEXIST};
use alloc::vec;
use alloc::vec::Vec;

#[derive(Clone, Debug)]
pub struct QueueStack {
    /// A stack (LIFO) rather than a queue (FIFO).
    stack: bool,
    head: u32,
    tail: u32,
    /// `max_entries + 1`.
    size: u32,
    value_size: usize,
    elements: Vec<u8>,
}

impl QueueStack {
    pub fn new(stack: bool, max_entries: u32, value_size: u32) -> QueueStack {
        let size = max_entries + 1;
        QueueStack {
            stack,
            head: 0,
            tail: 0,
            size,
            value_size: value_size as usize,
            elements: vec![0; size as usize * value_size as usize],
        }
    }

    fn is_empty(&self) -> bool {
        self.head == self.tail
    }

    fn is_full(&self) -> bool {
        let mut head = self.head + 1;
        if head >= self.size {
            head = 0;
        }
        head == self.tail
    }

    fn at(&self, i: u32) -> &[u8] {
        let o = i as usize * self.value_size;
        &self.elements[o..o + self.value_size]
    }

    /// `queue_stack_map_push_elem`.
    pub fn push(&mut self, value: &[u8], flags: u64) -> Result<(), MapError> {
        if flags & BPF_NOEXIST != 0 || flags > BPF_EXIST {
            return Err(MapError::Inval);
        }
        if self.is_full() {
            if flags & BPF_EXIST == 0 {
                return Err(MapError::TooBig);
            }
            self.tail += 1;
            if self.tail >= self.size {
                self.tail = 0;
            }
        }
        let o = self.head as usize * self.value_size;
        self.elements[o..o + self.value_size].copy_from_slice(&value[..self.value_size]);
        self.head += 1;
        if self.head >= self.size {
            self.head = 0;
        }
        Ok(())
    }

    /// The index of the element a pop or peek takes.
    fn next_index(&self) -> u32 {
        if self.stack {
            if self.head == 0 {
                self.size - 1
            } else {
                self.head - 1
            }
        } else {
            self.tail
        }
    }

    /// `__queue_map_get` / `__stack_map_get`: the value, or ENOENT with the zeroed value
    /// the kernel leaves in the caller's buffer.
    pub fn get(&mut self, delete: bool) -> Result<Vec<u8>, (MapError, Vec<u8>)> {
        if self.is_empty() {
            return Err((MapError::NoEnt, vec![0; self.value_size]));
        }
        let i = self.next_index();
        let v = self.at(i).to_vec();
        if delete {
            if self.stack {
                self.head = i;
            } else {
                self.tail += 1;
                if self.tail >= self.size {
                    self.tail = 0;
                }
            }
        }
        Ok(v)
    }

    /// The elements in the order pops would take them (a queue's oldest first, a stack's
    /// newest first).
    pub fn elements(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut i = self.tail;
        while i != self.head {
            out.push(self.at(i).to_vec());
            i += 1;
            if i >= self.size {
                i = 0;
            }
        }
        if self.stack {
            out.reverse();
        }
        out
    }

    pub fn len(&self) -> usize {
        ((self.head + self.size - self.tail) % self.size) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(b: u8) -> Vec<u8> {
        alloc::vec![b; 4]
    }

    #[test]
    fn queue_fifo_and_overwrite() {
        let mut q = QueueStack::new(false, 2, 4);
        assert_eq!(q.get(false), Err((MapError::NoEnt, alloc::vec![0; 4])));
        q.push(&v(1), 0).unwrap();
        q.push(&v(2), 0).unwrap();
        assert_eq!(q.push(&v(3), 0), Err(MapError::TooBig));
        assert_eq!(q.push(&v(3), BPF_NOEXIST), Err(MapError::Inval));
        assert_eq!(q.push(&v(3), 3), Err(MapError::Inval));
        q.push(&v(3), BPF_EXIST).unwrap();
        assert_eq!(q.elements(), alloc::vec![v(2), v(3)]);
        assert_eq!(q.get(false), Ok(v(2)));
        assert_eq!(q.get(true), Ok(v(2)));
        assert_eq!(q.get(true), Ok(v(3)));
        assert_eq!(q.len(), 0);
        assert!(q.get(true).is_err());
    }

    #[test]
    fn stack_lifo_and_overwrite_drops_the_oldest() {
        let mut s = QueueStack::new(true, 2, 4);
        s.push(&v(1), 0).unwrap();
        s.push(&v(2), 0).unwrap();
        s.push(&v(3), BPF_EXIST).unwrap();
        assert_eq!(s.elements(), alloc::vec![v(3), v(2)]);
        assert_eq!(s.get(true), Ok(v(3)));
        s.push(&v(4), 0).unwrap();
        assert_eq!(s.get(true), Ok(v(4)));
        assert_eq!(s.get(true), Ok(v(2)));
        assert!(s.get(true).is_err());
    }
}
