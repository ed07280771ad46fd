//! Dense indexes for text keys (customer ids, …): each distinct string is stored once, in one
//! buffer, and found again through its 64-bit hash — no allocation per key.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rustc_hash::FxHashMap;

use super::hash::hash_bytes;
use super::StrVec;

/// A hasher for keys that already are well-mixed 64-bit hashes: passes them through.
#[derive(Debug, Default, Clone, Copy)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed with it; anything else is folded in, never lost.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// String → dense index (0, 1, 2, … in order of first appearance).
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: StrVec,
    by_hash: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    /// Strings whose hash equals that of an earlier, different string (vanishingly rare with
    /// 64 bits, but handled exactly).
    collided: FxHashMap<String, u32>,
    /// The index returned last: logs sorted by customer repeat the same key row after row.
    last: Option<u32>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }
    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    /// The string with index `k`.
    #[inline]
    pub fn name(&self, k: u32) -> &str {
        self.names.get(k as usize)
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.names.iter()
    }

    /// The index of `s`, added if new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(k) = self.last.filter(|&k| self.name(k) == s) {
            return k;
        }
        let k = self.intern_hashed(s, hash_bytes(s.as_bytes()));
        self.last = Some(k);
        k
    }

    /// The index of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        let k = *self.by_hash.get(&hash_bytes(s.as_bytes()))?;
        if self.name(k) == s {
            Some(k)
        } else {
            self.collided.get(s).copied()
        }
    }

    fn intern_hashed(&mut self, s: &str, h: u64) -> u32 {
        let next = self.names.len() as u32;
        match self.by_hash.entry(h) {
            Entry::Occupied(e) => {
                let k = *e.get();
                if self.names.get(k as usize) == s {
                    return k;
                }
                if let Some(&k) = self.collided.get(s) {
                    return k;
                }
                self.collided.insert(s.to_string(), next);
            }
            Entry::Vacant(e) => {
                e.insert(next);
            }
        }
        self.names.push(s);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_are_dense_in_order_of_first_appearance() {
        let mut i = Interner::new();
        let ks: Vec<u32> = ["b", "a", "b", "", "a", "c", ""].iter().map(|s| i.intern(s)).collect();
        assert_eq!(ks, [0, 1, 0, 2, 1, 3, 2]);
        assert_eq!(i.iter().collect::<Vec<_>>(), ["b", "a", "", "c"]);
        assert_eq!((i.get("c"), i.get("d"), i.name(1)), (Some(3), None, "a"));
    }

    #[test]
    fn equal_hashes_of_different_strings_stay_apart() {
        let mut i = Interner::new();
        // Force every string onto one hash value.
        let ks: Vec<u32> = ["x", "y", "x", "z", "y"].iter().map(|s| i.intern_hashed(s, 7)).collect();
        assert_eq!(ks, [0, 1, 0, 2, 1]);
        assert_eq!(i.len(), 3);
        assert_eq!(i.collided.len(), 2);
    }

    #[test]
    fn many_keys_round_trip() {
        let mut i = Interner::new();
        for n in 0..50_000u32 {
            assert_eq!(i.intern(&format!("{n:05}")), n);
        }
        for n in (0..50_000u32).step_by(7) {
            assert_eq!(i.get(&format!("{n:05}")), Some(n));
        }
    }
}
