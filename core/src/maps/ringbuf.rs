//! `ringbuf` (kernel/bpf/ringbuf.c): a byte ring of `max_entries` bytes (a power of two);
//! each record is an 8-byte header and its data, rounded up to 8 bytes. A reservation fails
//! (NULL, or EAGAIN for `bpf_ringbuf_output`) when the producer would get more than
//! `size - 1` bytes ahead of the consumer or of the oldest record not yet committed.
//!
//! Nothing consumes records unless [`Ringbuf::consume`] is called, so the committed records
//! of a run stay listed ([`Ringbuf::records`]) and keep their space.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

/// `BPF_RINGBUF_HDR_SZ`.
pub const HDR_SIZE: u64 = 8;
/// `RINGBUF_MAX_RECORD_SZ`.
pub const MAX_RECORD_SIZE: u64 = (u32::MAX / 4) as u64;
pub const BUSY_BIT: u32 = 1 << 31;
pub const DISCARD_BIT: u32 = 1 << 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordState {
    Busy,
    Committed,
    Discarded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Position of the header (monotonic, not masked).
    pub pos: u64,
    /// Data bytes (the size asked for).
    pub len: u32,
    pub state: RecordState,
}

#[derive(Clone, Debug)]
pub struct Ringbuf {
    mask: u64,
    data: Vec<u8>,
    consumer_pos: u64,
    producer_pos: u64,
    pending_pos: u64,
    records: BTreeMap<u64, Record>,
}

impl Ringbuf {
    pub fn new(size: u32) -> Ringbuf {
        Ringbuf {
            mask: size as u64 - 1,
            data: vec![0; size as usize],
            consumer_pos: 0,
            producer_pos: 0,
            pending_pos: 0,
            records: BTreeMap::new(),
        }
    }

    pub fn size(&self) -> u64 {
        self.mask + 1
    }

    pub fn consumer_pos(&self) -> u64 {
        self.consumer_pos
    }

    pub fn producer_pos(&self) -> u64 {
        self.producer_pos
    }

    /// `__bpf_ringbuf_reserve`: the position of the record's data, or `None` when there is
    /// no room.
    pub fn reserve(&mut self, size: u64) -> Option<u64> {
        if size > MAX_RECORD_SIZE {
            return None;
        }
        let len = (size + HDR_SIZE + 7) & !7;
        if len > self.size() {
            return None;
        }
        let mut pend = self.pending_pos;
        while self.producer_pos > pend {
            let Some(r) = self.records.get(&pend) else { break };
            if r.state == RecordState::Busy {
                break;
            }
            pend += (r.len as u64 + HDR_SIZE + 7) & !7;
        }
        self.pending_pos = pend;
        let new_prod = self.producer_pos + len;
        if new_prod - self.consumer_pos > self.mask || new_prod - pend > self.mask {
            return None;
        }
        let pos = self.producer_pos;
        self.records.insert(pos, Record { pos, len: size as u32, state: RecordState::Busy });
        // The header's length word as the kernel writes it, with the busy bit.
        self.write(pos, &(size as u32 | BUSY_BIT).to_le_bytes());
        self.producer_pos = new_prod;
        Some(pos + HDR_SIZE)
    }

    /// `bpf_ringbuf_commit`: submits (or discards) the record whose data is at `data_pos`.
    /// False when there is no such busy record.
    pub fn commit(&mut self, data_pos: u64, discard: bool) -> bool {
        let Some(pos) = data_pos.checked_sub(HDR_SIZE) else { return false };
        let Some(r) = self.records.get_mut(&pos) else { return false };
        if r.state != RecordState::Busy {
            return false;
        }
        r.state = if discard { RecordState::Discarded } else { RecordState::Committed };
        let len = r.len | if discard { DISCARD_BIT } else { 0 };
        self.write(pos, &len.to_le_bytes());
        true
    }

    /// `bpf_ringbuf_output`: reserve, copy, commit. False when there is no room (EAGAIN).
    pub fn output(&mut self, data: &[u8]) -> bool {
        let Some(p) = self.reserve(data.len() as u64) else { return false };
        self.write(p, data);
        self.commit(p, false);
        true
    }

    /// Bytes of the ring at `pos` (wrapping), as a consumer maps them.
    pub fn read(&self, pos: u64, len: usize) -> Vec<u8> {
        (0..len as u64).map(|i| self.data[((pos + i) & self.mask) as usize]).collect()
    }

    pub fn write(&mut self, pos: u64, bytes: &[u8]) {
        for (i, b) in bytes.iter().enumerate() {
            let at = ((pos + i as u64) & self.mask) as usize;
            self.data[at] = *b;
        }
    }

    /// Records between the consumer and the producer, oldest first.
    pub fn all_records(&self) -> impl Iterator<Item = &Record> {
        self.records.range(self.consumer_pos..).map(|(_, r)| r)
    }

    /// The data of the committed records not yet consumed, oldest first.
    pub fn records(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        self.all_records()
            .filter(|r| r.state == RecordState::Committed)
            .map(|r| self.read(r.pos + HDR_SIZE, r.len as usize))
    }

    /// A consumer reading everything available: advances past committed and discarded
    /// records up to the first busy one; returns the committed records' data.
    pub fn consume(&mut self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(r) = self.records.get(&self.consumer_pos).copied() {
            match r.state {
                RecordState::Busy => break,
                RecordState::Committed => out.push(self.read(r.pos + HDR_SIZE, r.len as usize)),
                RecordState::Discarded => {}
            }
            self.records.remove(&r.pos);
            self.consumer_pos += (r.len as u64 + HDR_SIZE + 7) & !7;
        }
        out
    }

    /// `bpf_ringbuf_query`.
    pub fn query(&self, flags: u64) -> u64 {
        match flags {
            0 => self.producer_pos - self.consumer_pos,
            1 => self.size(),
            2 => self.consumer_pos,
            3 => self.producer_pos,
            _ => 0,
        }
    }
}
