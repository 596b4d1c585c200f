//! Map semantics, checked against what Linux 6.18 answered to the same syscalls (measured on
//! the project's machines, 2 possible CPUs, the calling thread on CPU 0).

use super::*;
use alloc::vec;

fn k(i: u32) -> Vec<u8> {
    i.to_le_bytes().to_vec()
}
fn v(i: u64) -> Vec<u8> {
    i.to_le_bytes().to_vec()
}
fn map(kind: MapKind, ks: u32, vs: u32, max: u32) -> Map {
    Map::create(&MapDef::new("m", kind, ks, vs, max), 1).unwrap()
}
fn keys_u32(m: &Map) -> Vec<u32> {
    m.keys().iter().map(|k| u32::from_le_bytes([k[0], k[1], k[2], k[3]])).collect()
}

#[test]
fn creation_rules() {
    let e = |kind, ks, vs, max, flags| {
        let mut d = MapDef::new("m", kind, ks, vs, max);
        d.flags = flags;
        d.check().err().map(|e| e.error)
    };
    use MapKind::*;
    assert_eq!(e(Hash, 4, 8, 0, 0), Some(MapError::Inval));
    assert_eq!(e(Hash, 0, 8, 1, 0), Some(MapError::Inval));
    assert_eq!(e(Hash, 4, 0, 1, 0), Some(MapError::Inval));
    assert_eq!(e(Hash, 513, 8, 1, 0), None);
    assert_eq!(e(Hash, 1 << 20, 4, 1, 0), None);
    assert_eq!(e(Hash, 4, 4 << 20, 1, 0), Some(MapError::TooBig));
    assert_eq!(e(Hash, 4, 8, u32::MAX, 0), Some(MapError::TooBig));
    assert_eq!(e(Array, 8, 8, 1, 0), Some(MapError::Inval));
    assert_eq!(e(Array, 4, 0, 1, 0), Some(MapError::Inval));
    assert_eq!(e(PercpuArray, 4, 32768, 1, 0), None);
    assert_eq!(e(PercpuArray, 4, 32769, 1, 0), Some(MapError::TooBig));
    assert_eq!(e(PercpuHash, 4, 32769, 1, 0), Some(MapError::TooBig));
    assert_eq!(e(Array, 4, 8, u32::MAX, 0), Some(MapError::NoMem));
    assert_eq!(e(ProgArray, 4, 8, 1, 0), Some(MapError::Inval));
    assert_eq!(e(Ringbuf, 0, 0, 4096 * 3, 0), Some(MapError::Inval));
    assert_eq!(e(Ringbuf, 0, 0, 2048, 0), Some(MapError::Inval));
    assert_eq!(e(Ringbuf, 4, 0, 4096, 0), Some(MapError::Inval));
    // Flags, as measured: hash 1 ok, 2 EINVAL, 4 ok; array 1 EINVAL, 1024 ok, 128 ok, 8 ok;
    // ringbuf 1 EINVAL; lru 2 ok, 1 ENOTSUPP.
    assert_eq!(e(Hash, 4, 8, 4, 1), None);
    assert_eq!(e(Hash, 4, 8, 4, 2), Some(MapError::Inval));
    assert_eq!(e(Hash, 4, 8, 4, 4), None);
    assert_eq!(e(Array, 4, 8, 4, 1), Some(MapError::Inval));
    assert_eq!(e(Array, 4, 8, 4, 1024), None);
    assert_eq!(e(Array, 4, 8, 4, 128), None);
    assert_eq!(e(Array, 4, 8, 4, 8), None);
    assert_eq!(e(Ringbuf, 0, 0, 4096, 1), Some(MapError::Inval));
    assert_eq!(e(LruHash, 4, 8, 4, 2), None);
    assert_eq!(e(LruHash, 4, 8, 4, 1), Some(MapError::NotSupp));
    // LRU maps are preallocated: a huge one fails (fuzzing found `lru_hash:4:4:2147483648`
    // aborting the process on the allocation), a large one that fits is created.
    assert_eq!(e(LruHash, 4, 4, 1 << 31, 0), Some(MapError::NoMem));
    let too_big = MapDefError::new(
        MapError::NoMem,
        "LRU hash larger than bpfplay's 64 MiB cap (LRU maps are preallocated)",
    );
    assert_eq!(MapDef::parse_cli("x:lru_hash:4:4:2147483648").unwrap_err(), too_big);
    assert_eq!(Map::create(&MapDef::new("x", LruHash, 4, 4, 1 << 31), 2).err(), Some(too_big));
    assert!(Map::create(&MapDef::new("l", LruHash, 4, 8, 1 << 16), 2).is_ok());
    assert_eq!(e(Array, 4, 8, 4, flags::RDONLY | flags::WRONLY), Some(MapError::Inval));
    // Declarations.
    let d = MapDef::parse_spec("c", "hash key=4 value=8 max=64").unwrap();
    assert_eq!((d.kind, d.key_size, d.value_size, d.max_entries), (Hash, 4, 8, 64));
    assert_eq!(
        MapDef::parse_spec("c", "array key=4 value=4 max=2 flags=0x400").unwrap().flags,
        1024
    );
    let inval = |m: &str| Err(MapDefError::new(MapError::Inval, m));
    assert_eq!(MapDef::parse_spec("c", "hash key=4 value=8"), inval("missing max=N"));
    assert_eq!(
        MapDef::parse_spec("c", "tree key=4 value=8 max=1"),
        Err(MapDefError::new(
            MapError::Inval,
            format!("unknown map kind `tree` ({})", MapKind::names())
        ))
    );
    let d = MapDef::parse_cli("counts:percpu_array:4:8:16").unwrap();
    assert_eq!((d.name.as_str(), d.kind, d.max_entries), ("counts", PercpuArray, 16));
    assert_eq!(MapDef::parse_cli("x:array:4:8:0").unwrap_err().error, MapError::Inval);
    assert_eq!(
        MapDef::parse_cli("x:array:4:8"),
        inval("expected NAME:KIND:KEY_SIZE:VALUE_SIZE:MAX_ENTRIES[:FLAGS[:EXTRA]], found `x:array:4:8`")
    );
}

#[test]
fn hash_flags_errors_and_full() {
    let mut h = map(MapKind::Hash, 4, 8, 2);
    assert_eq!(h.update(&k(1), &v(1), BPF_ANY, 0), Ok(()));
    assert_eq!(h.update(&k(2), &v(2), BPF_ANY, 0), Ok(()));
    assert_eq!(h.update(&k(3), &v(3), BPF_ANY, 0), Err(MapError::TooBig));
    // Replacing works when full.
    assert_eq!(h.update(&k(1), &v(9), BPF_ANY, 0), Ok(()));
    assert_eq!(h.lookup(&k(1)), Ok(v(9)));
    assert_eq!(h.update(&k(1), &v(1), BPF_NOEXIST, 0), Err(MapError::Exist));
    assert_eq!(h.update(&k(5), &v(1), BPF_EXIST, 0), Err(MapError::NoEnt));
    for f in [3, 4, 8] {
        assert_eq!(h.update(&k(1), &v(1), f, 0), Err(MapError::Inval));
    }
    // Full: BPF_EXIST on a missing key says ENOENT before E2BIG.
    assert_eq!(h.update(&k(7), &v(1), BPF_EXIST, 0), Err(MapError::NoEnt));
    assert_eq!(h.update(&k(7), &v(1), BPF_NOEXIST, 0), Err(MapError::TooBig));
    assert_eq!(h.lookup(&k(9)), Err(MapError::NoEnt));
    assert_eq!(h.delete(&k(9)), Err(MapError::NoEnt));
    assert_eq!(h.delete(&k(2)), Ok(()));
    assert_eq!(h.delete(&k(2)), Err(MapError::NoEnt));
    assert_eq!(h.update(&k(3), &v(3), BPF_NOEXIST, 0), Ok(()));
    // Wrong sizes.
    assert_eq!(h.lookup(&[1, 0]), Err(MapError::Inval));
    assert_eq!(h.update(&k(3), &[0; 4], BPF_ANY, 0), Err(MapError::Inval));
}

#[test]
fn hash_iteration() {
    let mut h = map(MapKind::Hash, 4, 8, 16);
    for i in [7u32, 3, 9, 1] {
        h.update(&k(i), &v(i as u64), BPF_ANY, 0).unwrap();
    }
    // A missing key restarts from the first; the last key has no next.
    assert_eq!(h.get_next_key(None), h.get_next_key(Some(&k(100))));
    let all = h.keys();
    assert_eq!(all.len(), 4);
    assert_eq!(h.get_next_key(Some(all.last().unwrap())), Err(MapError::NoEnt));
    // The set of keys does not depend on the order of insertion.
    let mut h2 = map(MapKind::Hash, 4, 8, 16);
    for i in [1u32, 9, 3, 7] {
        h2.update(&k(i), &v(i as u64), BPF_ANY, 0).unwrap();
    }
    assert_eq!(h.entries(0), h2.entries(0));
    let mut sorted = keys_u32(&h);
    sorted.sort();
    assert_eq!(sorted, vec![1, 3, 7, 9]);
    // Deleting while iterating: the next key of a deleted key is the first key again.
    h.delete(&k(3)).unwrap();
    assert_eq!(h.get_next_key(Some(&k(3))), h.get_next_key(None));
}

#[test]
fn array_semantics() {
    let mut a = map(MapKind::Array, 4, 8, 3);
    assert_eq!(a.lookup(&k(0)), Ok(v(0)));
    assert_eq!(a.update(&k(0), &v(5), BPF_ANY, 0), Ok(()));
    assert_eq!(a.update(&k(0), &v(5), BPF_NOEXIST, 0), Err(MapError::Exist));
    assert_eq!(a.update(&k(1), &v(6), BPF_EXIST, 0), Ok(()));
    assert_eq!(a.update(&k(3), &v(5), BPF_ANY, 0), Err(MapError::TooBig));
    assert_eq!(a.update(&k(0), &v(5), 4, 0), Err(MapError::Inval));
    assert_eq!(a.update(&k(0), &v(5), 3, 0), Err(MapError::Inval));
    assert_eq!(a.delete(&k(0)), Err(MapError::Inval));
    assert_eq!(a.delete(&k(5)), Err(MapError::Inval));
    assert_eq!(a.lookup(&k(3)), Err(MapError::NoEnt));
    assert_eq!(keys_u32(&a), vec![0, 1, 2]);
    assert_eq!(a.get_next_key(Some(&k(10))), Ok(k(0)));
    assert_eq!(a.get_next_key(Some(&k(2))), Err(MapError::NoEnt));
    assert_eq!(a.entries(0), vec![(k(0), v(5)), (k(1), v(6)), (k(2), v(0))]);
    // Values are laid out in 8-byte strides.
    let mut a = map(MapKind::Array, 4, 3, 2);
    a.update(&k(1), &[1, 2, 3], BPF_ANY, 0).unwrap();
    assert_eq!(a.array_block(0).unwrap(), &[0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0]);
}

#[test]
fn percpu_values() {
    let def = MapDef::new("p", MapKind::PercpuArray, 4, 4, 2);
    let mut p = Map::create(&def, 2).unwrap();
    assert_eq!(p.user_value_size(), 16);
    assert_eq!(p.lookup(&k(0)), Ok(vec![0; 16]));
    let both = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(p.update(&k(0), &both, BPF_ANY, 0), Ok(()));
    assert_eq!(p.lookup(&k(0)), Ok(both.to_vec()));
    assert_eq!(p.update(&k(0), &both, BPF_NOEXIST, 0), Err(MapError::Exist));
    // A program on CPU 1 writes CPU 1's value only.
    assert_eq!(p.prog_update(&k(0), &[9, 0, 0, 0], BPF_ANY, 1), Ok(Slot::Array(0)));
    assert_eq!(p.entries(0)[0].1, vec![1, 0, 0, 0]);
    assert_eq!(p.entries(1)[0].1, vec![9, 0, 0, 0]);

    let def = MapDef::new("h", MapKind::PercpuHash, 4, 4, 2);
    let mut h = Map::create(&def, 2).unwrap();
    assert_eq!(h.update(&k(1), &both, BPF_ANY, 0), Ok(()));
    assert_eq!(h.lookup(&k(1)), Ok(both.to_vec()));
    // A new element from a program: zeros on the other CPUs. An update is in place.
    let s = h.prog_update(&k(2), &[5, 0, 0, 0], BPF_ANY, 0).unwrap();
    assert_eq!(h.lookup(&k(2)).unwrap(), vec![5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(h.prog_update(&k(2), &[6, 0, 0, 0], BPF_ANY, 1), Ok(s));
    assert_eq!(h.lookup(&k(2)).unwrap(), vec![5, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(h.update(&k(3), &both, BPF_ANY, 0), Err(MapError::TooBig));
    assert_eq!(h.update(&k(3), &both, 4, 0), Err(MapError::Inval));
}

#[test]
fn hash_elements_are_replaced_on_update() {
    let mut h = map(MapKind::Hash, 4, 8, 4);
    let a = h.prog_update(&k(1), &v(1), BPF_ANY, 0).unwrap();
    assert_eq!(h.prog_lookup(&k(1)), Some(a));
    let b = h.prog_update(&k(1), &v(2), BPF_ANY, 0).unwrap();
    assert_ne!(a, b);
    assert!(!h.slot_live(a) && h.slot_live(b));
    assert_eq!(h.slot_value(b, 0), Some(&v(2)[..]));
    h.set_slot_value(b, 0, &v(3));
    assert_eq!(h.lookup(&k(1)), Ok(v(3)));
    assert_eq!(h.prog_delete(&k(1)), Ok(b));
    assert!(!h.slot_live(b));
    assert_eq!(h.prog_delete(&k(1)), Err(MapError::NoEnt));
}

fn lru_inserts(max: u32, n: u32) -> Vec<Vec<u32>> {
    let mut m = Map::create(&MapDef::new("l", MapKind::LruHash, 4, 8, max), 2).unwrap();
    (1..=n)
        .map(|i| {
            m.update(&k(i), &v(i as u64), BPF_ANY, 0).unwrap();
            let mut ks = keys_u32(&m);
            ks.sort();
            ks
        })
        .collect()
}

#[test]
fn lru_eviction_as_the_kernel() {
    // max 4: one key evicted per insertion once full (target_free = max(4/2/2, 1) = 1).
    let r = lru_inserts(4, 10);
    assert_eq!(r[4], vec![2, 3, 4, 5]);
    assert_eq!(r[9], vec![7, 8, 9, 10]);
    // max 8: evictions two at a time, the oldest first.
    let r = lru_inserts(8, 20);
    assert_eq!(r[7], vec![1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(r[8], vec![3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(r[9], vec![3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(r[10], vec![5, 6, 7, 8, 9, 10, 11]);
    assert_eq!(r[19], vec![13, 14, 15, 16, 17, 18, 19, 20]);
    // max 16: four at a time.
    let r = lru_inserts(16, 40);
    assert_eq!(r[16], (5..=17).collect::<Vec<_>>());
    assert_eq!(r[39], (25..=40).collect::<Vec<_>>());
    for (max, n, last) in [(1, 3, vec![3]), (2, 6, vec![5, 6]), (3, 9, vec![7, 8, 9])] {
        assert_eq!(lru_inserts(max, n).last().unwrap(), &last, "max {max}");
    }
    // max 300, 700 insertions: 250 keys left, the smallest 451.
    let r = lru_inserts(300, 700);
    let last = r.last().unwrap();
    assert_eq!((last.len(), last[0]), (250, 451));
}

#[test]
fn lru_updates() {
    let mut m = Map::create(&MapDef::new("l", MapKind::LruHash, 4, 8, 4), 2).unwrap();
    for i in 1..=4 {
        m.update(&k(i), &v(i as u64), BPF_ANY, 0).unwrap();
    }
    // Updating an existing key of a full map takes a fresh element: one key goes.
    assert_eq!(m.update(&k(2), &v(22), BPF_ANY, 0), Ok(()));
    assert_eq!(keys_u32(&m), vec![2, 3, 4]);
    assert_eq!(m.lookup(&k(2)), Ok(v(22)));
    assert_eq!(m.update(&k(3), &v(33), BPF_NOEXIST, 0), Err(MapError::Exist));
    assert_eq!(keys_u32(&m), vec![2, 3, 4]);
    assert_eq!(m.update(&k(3), &v(33), 4, 0), Err(MapError::Inval));
    assert_eq!(m.delete(&k(3)), Ok(()));
    assert_eq!(m.delete(&k(3)), Err(MapError::NoEnt));
    assert_eq!(keys_u32(&m), vec![2, 4]);
}

#[test]
fn lru_referenced_elements_survive() {
    // A program's lookup sets the reference bit: a referenced element is rotated to the
    // active list instead of being evicted.
    let mut m = Map::create(&MapDef::new("l", MapKind::LruHash, 4, 8, 8), 1).unwrap();
    for i in 1..=8 {
        m.update(&k(i), &v(i as u64), BPF_ANY, 0).unwrap();
    }
    m.prog_lookup(&k(1)).unwrap();
    for i in 9..=14 {
        m.update(&k(i), &v(i as u64), BPF_ANY, 0).unwrap();
    }
    // Insertion 9 evicts four (target_free with one CPU) from the inactive tail, 1 excepted;
    // insertion 13 four more.
    assert_eq!(keys_u32(&m), vec![1, 10, 11, 12, 13, 14]);
}

#[test]
fn ringbuf_records_and_space() {
    let mut m = map(MapKind::Ringbuf, 0, 0, 4096);
    assert_eq!(m.lookup(&[]), Err(MapError::Inval));
    assert_eq!(m.update(&[], &[], 0, 0), Err(MapError::Inval));
    assert_eq!(m.get_next_key(None), Err(MapError::NotSupp));
    let r = m.ringbuf_mut().unwrap();
    let a = r.reserve(10).unwrap();
    let b = r.reserve(3).unwrap();
    assert_eq!(b - a, 24);
    r.write(a, b"0123456789");
    r.write(b, b"abc");
    assert!(r.commit(b, false));
    assert!(!r.commit(b, false));
    assert_eq!(r.records().count(), 1);
    assert!(r.commit(a, true));
    assert_eq!(r.records().collect::<Vec<_>>(), vec![b"abc".to_vec()]);
    assert!(r.output(b"xyz!"));
    assert_eq!(m.entries(0), vec![(k(0), b"abc".to_vec()), (k(1), b"xyz!".to_vec())]);
    // Too large for the ring; then fill it: 4096 - 1 bytes at most in flight.
    let r = m.ringbuf_mut().unwrap();
    assert!(r.reserve(4096).is_none());
    assert_eq!(r.query(0), 24 + 16 + 16);
    assert!(r.reserve(4096 - 56 - 8).is_none());
    assert!(r.reserve(4096 - 56 - 16).is_some());
    assert!(!r.output(&[]));
    assert_eq!(r.query(1), 4096);
    assert!(r.reserve(u64::MAX).is_none());
}

#[test]
fn prog_array_slots() {
    let mut p = map(MapKind::ProgArray, 4, 4, 4);
    assert_eq!(p.lookup(&k(0)), Err(MapError::NoEnt));
    assert_eq!(p.delete(&k(0)), Err(MapError::NoEnt));
    assert_eq!(p.delete(&k(7)), Err(MapError::TooBig));
    assert_eq!(p.update(&k(1), &k(2), BPF_NOEXIST, 0), Err(MapError::Inval));
    assert_eq!(p.update(&k(9), &k(2), BPF_ANY, 0), Err(MapError::TooBig));
    assert_eq!(p.update(&k(1), &k(2), BPF_ANY, 0), Ok(()));
    assert_eq!(p.lookup(&k(1)), Ok(k(2)));
    assert_eq!(p.prog_array().unwrap().get(1), Some(2));
    assert_eq!(keys_u32(&p), vec![0, 1, 2, 3]);
    assert_eq!(p.entries(0), vec![(k(1), k(2))]);
}

#[test]
fn access_flags() {
    let mut d = MapDef::new("ro", MapKind::Hash, 4, 8, 4);
    d.flags = flags::RDONLY;
    let mut m = Map::create(&d, 1).unwrap();
    assert_eq!(m.update(&k(1), &v(1), BPF_ANY, 0), Err(MapError::Perm));
    assert_eq!(m.delete(&k(1)), Err(MapError::Perm));
    assert!(m.prog_update(&k(1), &v(1), BPF_ANY, 0).is_ok());
    assert_eq!(m.lookup(&k(1)), Ok(v(1)));
    d.flags = flags::WRONLY;
    let m = Map::create(&d, 1).unwrap();
    assert_eq!(m.lookup(&k(1)), Err(MapError::Perm));
}

#[test]
fn store_by_name_and_index() {
    let defs =
        [MapDef::new("a", MapKind::Array, 4, 4, 2), MapDef::new("h", MapKind::Hash, 4, 4, 2)];
    let mut s = MapStore::from_defs(&defs, 1).unwrap();
    assert_eq!(s.index_of("h"), Some(1));
    s.update(1, &k(5), &k(6), BPF_ANY).unwrap();
    assert_eq!(s.lookup(1, &k(5)), Ok(k(6)));
    assert_eq!(s.get_next_key(0, None), Ok(k(0)));
    assert_eq!(s.lookup(7, &k(5)), Err(MapError::BadF));
    let bad = [MapDef::new("x", MapKind::Array, 4, 4, 0)];
    assert_eq!(MapStore::from_defs(&bad, 1).unwrap_err().0, 0);
}

#[test]
fn init_gives_element_zero_its_bytes() {
    let (d, init) =
        MapDef::parse_spec_init("rodata", "array key=4 value=4 max=1 flags=128 init=0102").unwrap();
    assert_eq!((d.value_size, d.flags), (4, 128));
    assert_eq!(init, Some(vec![1, 2, 0, 0]));
    assert_eq!(
        MapDef::parse_spec("rodata", "array key=4 value=4 max=1 init=0102").unwrap().value_size,
        4
    );
    let inval = |m: &str| Err(MapDefError::new(MapError::Inval, m));
    assert_eq!(
        MapDef::parse_spec_init("r", "array key=4 value=1 max=1 init=0102"),
        inval("init= is for array maps, at most value=1 bytes")
    );
    assert_eq!(
        MapDef::parse_spec_init("r", "array key=4 value=4 max=1 init=xyz"),
        inval("init=`xyz` is not hex bytes")
    );
    assert_eq!(
        MapDef::parse_spec_init("h", "hash key=4 value=4 max=1 init=00"),
        inval("init= is for array maps, at most value=4 bytes")
    );
}

#[test]
fn creation_rules_of_the_newer_kinds() {
    let e = |kind, ks, vs, max, flags, extra| {
        let mut d = MapDef::new("m", kind, ks, vs, max);
        d.flags = flags;
        d.map_extra = extra;
        d.check().err().map(|e| e.error)
    };
    use MapKind::*;
    // map_create: map_extra only for bloom filters.
    assert_eq!(e(Hash, 4, 8, 1, 0, 1), Some(MapError::Inval));
    assert_eq!(e(BloomFilter, 0, 8, 1, 0, 15), None);
    assert_eq!(e(BloomFilter, 0, 8, 1, 0, 16), Some(MapError::Inval));
    assert_eq!(e(BloomFilter, 4, 8, 1, 0, 0), Some(MapError::Inval));
    assert_eq!(e(BloomFilter, 0, 0, 1, 0, 0), Some(MapError::Inval));
    assert_eq!(e(BloomFilter, 0, (4 << 20) + 1, 1, 0, 0), Some(MapError::TooBig));
    assert_eq!(e(BloomFilter, 0, 8, 1, flags::ZERO_SEED, 0), None);
    assert_eq!(e(BloomFilter, 0, 8, 1, flags::NO_PREALLOC, 0), Some(MapError::Inval));
    // lpm_trie: BPF_F_NO_PREALLOC required, keys of 5..=260 bytes.
    assert_eq!(e(LpmTrie, 8, 8, 1, 0, 0), Some(MapError::Inval));
    assert_eq!(e(LpmTrie, 8, 8, 1, 1, 0), None);
    assert_eq!(e(LpmTrie, 4, 8, 1, 1, 0), Some(MapError::Inval));
    assert_eq!(e(LpmTrie, 261, 8, 1, 1, 0), Some(MapError::Inval));
    assert_eq!(e(LpmTrie, 260, 8, 1, 1, 0), None);
    assert_eq!(e(LpmTrie, 8, 8, 0, 1, 0), Some(MapError::Inval));
    assert_eq!(e(LpmTrie, 8, 8, 1, 1 | flags::ZERO_SEED, 0), Some(MapError::Inval));
    // queue/stack: key=0.
    assert_eq!(e(Queue, 0, 8, 1, 0, 0), None);
    assert_eq!(e(Stack, 4, 8, 1, 0, 0), Some(MapError::Inval));
    assert_eq!(e(Queue, 0, 8, 1, flags::NO_PREALLOC, 0), Some(MapError::Inval));
    assert_eq!(e(Queue, 0, (4 << 20) + 1, 1, 0, 0), Some(MapError::TooBig));
    // lru_percpu_hash: as lru_hash, with the per-CPU value limit.
    assert_eq!(e(LruPercpuHash, 4, 32769, 1, 0, 0), Some(MapError::TooBig));
    assert_eq!(e(LruPercpuHash, 4, 8, 1, flags::NO_PREALLOC, 0), Some(MapError::NotSupp));
    assert_eq!(e(LruPercpuHash, 4, 8, 4, flags::NO_COMMON_LRU, 0), None);
}

#[test]
fn keyless_maps_from_user_space() {
    let mut q = map(MapKind::Queue, 0, 4, 2);
    q.update(&[], &k(1), 0, 0).unwrap();
    q.update(&[], &k(2), 0, 0).unwrap();
    assert_eq!(q.update(&[], &k(3), 0, 0), Err(MapError::TooBig));
    assert_eq!(q.update(&[4], &k(3), 0, 0), Err(MapError::Inval));
    assert_eq!(q.lookup(&[]), Ok(k(1)));
    assert_eq!(q.get_next_key(None), Err(MapError::Inval));
    assert_eq!(q.delete(&[]), Err(MapError::Inval));
    assert_eq!(q.lookup_and_delete(&[]), Ok(k(1)));
    assert_eq!(q.queue_elements(), Some(vec![k(2)]));
    let mut b = Map::create(
        &MapDef { flags: flags::ZERO_SEED, ..MapDef::new("b", MapKind::BloomFilter, 0, 4, 8) },
        1,
    )
    .unwrap();
    b.update(&[], &k(7), 0, 0).unwrap();
    assert_eq!(b.lookup_value(&[], &k(7)), Ok(k(7)));
    assert_eq!(b.update(&[], &k(7), BPF_EXIST, 0), Err(MapError::Inval));
    assert_eq!(b.get_next_key(None), Err(MapError::OpNotSupp));
    assert_eq!(b.delete(&[]), Err(MapError::OpNotSupp));
    assert_eq!(b.pop(), Err((MapError::OpNotSupp, None)));
}

#[test]
fn lru_percpu_hash_values() {
    let mut m = Map::create(&MapDef::new("m", MapKind::LruPercpuHash, 4, 4, 4), 2).unwrap();
    assert_eq!(m.user_value_size(), 16);
    let two = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
    m.update(&k(1), &two, 0, 0).unwrap();
    assert_eq!(m.lookup(&k(1)), Ok(two.to_vec()));
    // A program's update of an existing key writes its CPU's value in place.
    let s = m.prog_lookup_quiet(&k(1)).unwrap();
    assert_eq!(m.prog_update(&k(1), &[9, 0, 0, 0], BPF_EXIST, 1), Ok(s));
    assert_eq!(m.slot_value(s, 1), Some(&[9u8, 0, 0, 0][..]));
    assert_eq!(m.slot_value(s, 0), Some(&[1u8, 0, 0, 0][..]));
    // A new element from a program: zeros on the other CPU.
    let t = m.prog_update(&k(2), &[5, 0, 0, 0], BPF_NOEXIST, 1).unwrap();
    assert_eq!(m.slot_value(t, 0), Some(&[0u8; 4][..]));
    assert_eq!(m.prog_update(&k(3), &[5, 0, 0, 0], BPF_EXIST, 0), Err(MapError::NoEnt));
}

/// Device and CPU maps (measured: `user_space_ops_match_the_kernel` in tests/run_diff.rs).
#[test]
fn redirect_targets() {
    let mut d = Map::create(&MapDef::new("d", MapKind::Devmap, 4, 8, 4), 2).unwrap();
    let dev = |ifindex: u32, fd: u32| [ifindex.to_le_bytes(), fd.to_le_bytes()].concat();
    // lo exists; ifindex 2 and a program fd do not; ifindex 0 empties the slot.
    assert_eq!(d.update(&k(1), &dev(1, 0), BPF_ANY, 0), Ok(()));
    assert_eq!(d.lookup(&k(1)), Ok(dev(1, 0)));
    assert_eq!(d.update(&k(2), &dev(2, 0), BPF_ANY, 0), Err(MapError::Inval));
    assert_eq!(d.update(&k(2), &dev(1, 7), BPF_ANY, 0), Err(MapError::Inval));
    assert_eq!(d.update(&k(2), &dev(1, 0), BPF_NOEXIST, 0), Err(MapError::Exist));
    assert_eq!(d.update(&k(4), &dev(1, 0), BPF_ANY, 0), Err(MapError::TooBig));
    assert_eq!(d.update(&k(1), &dev(0, 0), BPF_ANY, 0), Ok(()));
    assert_eq!(d.lookup(&k(1)), Err(MapError::NoEnt));
    assert_eq!(d.def.flags & flags::RDONLY_PROG, flags::RDONLY_PROG);

    // devmap_hash: bucket order (key & 3), the newest first in a bucket.
    let mut h = Map::create(&MapDef::new("h", MapKind::DevmapHash, 4, 4, 4), 2).unwrap();
    for key in [2, 9, 0, 5] {
        h.update(&k(key), &k(1), BPF_ANY, 0).unwrap();
    }
    assert_eq!(keys_u32(&h), [0, 5, 9, 2]);
    assert_eq!(h.update(&k(3), &k(1), BPF_ANY, 0), Err(MapError::TooBig));
    assert_eq!(h.delete(&k(3)), Err(MapError::NoEnt));

    // cpumap: CPUs the machine has (2), queues up to 16384.
    let mut c = Map::create(&MapDef::new("c", MapKind::Cpumap, 4, 4, 4), 2).unwrap();
    assert_eq!(c.update(&k(1), &k(64), BPF_ANY, 0), Ok(()));
    assert_eq!(c.update(&k(3), &k(64), BPF_ANY, 0), Err(MapError::NoDev));
    assert_eq!(c.update(&k(0), &k(16385), BPF_ANY, 0), Err(MapError::Overflow));
    assert_eq!(c.get_next_key(Some(&k(3))), Err(MapError::NoEnt));
}

/// Maps of objects bpfplay's machine does not have: always empty, each operation failing as
/// the kernel's does for a bad fd or an empty slot.
#[test]
fn object_maps_stay_empty() {
    let mut s = Map::create(&MapDef::new("s", MapKind::Sockmap, 4, 4, 4), 2).unwrap();
    assert_eq!(s.update(&k(0), &k(5), BPF_ANY, 0), Err(MapError::BadF));
    assert_eq!(s.update(&k(0), &k(u32::MAX), BPF_ANY, 0), Err(MapError::Inval));
    assert_eq!(s.lookup(&k(0)), Err(MapError::NoSpc));
    assert_eq!(s.delete(&k(0)), Err(MapError::Inval));
    let p = Map::create(&MapDef::new("p", MapKind::PerfEventArray, 4, 4, 4), 2).unwrap();
    assert_eq!(p.lookup(&k(0)), Err(MapError::NotSupp));
    assert_eq!(keys_u32(&p), [0, 1, 2, 3]);
    let mut st = MapDef::new("st", MapKind::SkStorage, 4, 8, 0);
    st.flags = flags::NO_PREALLOC;
    let mut st = Map::create(&st, 2).unwrap();
    assert_eq!(st.update(&k(3), &v(1), BPF_ANY, 0), Err(MapError::BadF));
    assert_eq!(st.get_next_key(None), Err(MapError::NotSupp));
}
