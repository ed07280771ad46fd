//! Value frequencies: exact counts while a column has at most `limit` distinct values; past
//! that, a HyperLogLog for the distinct count and a Misra–Gries summary for the frequent
//! values (Agarwal et al. 2012, "Mergeable summaries": counts are lower bounds, short by at
//! most (n − kept total) / (capacity + 1)).

use std::hash::Hash;

use super::hash::{Hash64, MixMap as FxHashMap};
use super::hll::Hll;

/// Counters kept by the Misra–Gries summary.
pub const MG_CAPACITY: usize = 1024;

#[derive(Debug, Clone)]
pub struct Frequencies<K> {
    pub(crate) limit: usize,
    /// `Some` while exact.
    pub(crate) exact: Option<FxHashMap<K, u64>>,
    pub(crate) hll: Option<Box<Hll>>,
    pub(crate) mg: FxHashMap<K, u64>,
    /// Total weight added.
    pub total: u64,
}

impl<K: Hash + Eq + Clone + Ord + Hash64> Frequencies<K> {
    pub fn new(limit: usize) -> Self {
        Frequencies { limit, exact: Some(FxHashMap::default()), hll: None, mg: FxHashMap::default(), total: 0 }
    }

    pub fn is_exact(&self) -> bool {
        self.exact.is_some()
    }

    /// The exact table, while there is one.
    pub fn exact(&self) -> Option<&FxHashMap<K, u64>> {
        self.exact.as_ref()
    }

    /// Adds one value (borrowed form `Q`, cloned into a key only when new). Returns the
    /// exact table (including this value) if this value ended exact mode.
    #[inline]
    pub fn add<Q>(&mut self, key: &Q, w: u64) -> Option<FxHashMap<K, u64>>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized + ToOwned<Owned = K> + Hash64,
    {
        self.total += w;
        if let Some(map) = &mut self.exact {
            if let Some(c) = map.get_mut(key) {
                *c += w;
                return None;
            }
            map.insert(key.to_owned(), w);
            if map.len() > self.limit {
                return self.spill();
            }
            return None;
        }
        if let Some(h) = &mut self.hll {
            h.insert_hash(key.hash64());
        }
        if let Some(c) = self.mg.get_mut(key) {
            *c += w;
        } else {
            mg_add(&mut self.mg, key.to_owned(), w);
        }
        None
    }

    /// Adds a block of (value, count) pairs once out of exact mode, without allocating the
    /// keys that the Misra–Gries merge would drop at once (a merge with the block's exact
    /// counts, as in Agarwal et al.).
    /// `block` yields each value once.
    pub fn add_block<'a, Q>(&mut self, block: impl IntoIterator<Item = (&'a Q, u64)>)
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized + ToOwned<Owned = K> + Hash64 + 'a,
    {
        let hll = self.hll.get_or_insert_with(Default::default);
        let block = block.into_iter();
        let mut fresh: Vec<(&Q, u64)> = Vec::with_capacity(block.size_hint().0);
        for (k, c) in block {
            hll.insert_hash(k.hash64());
            self.total += c;
            match self.mg.get_mut(k) {
                Some(x) => *x += c,
                None => fresh.push((k, c)),
            }
        }
        let mut cut = 0;
        if self.mg.len() + fresh.len() > MG_CAPACITY {
            let mut counts: Vec<u64> = self.mg.values().copied().chain(fresh.iter().map(|x| x.1)).collect();
            cut = crate::sort::nth_largest(&mut counts, MG_CAPACITY);
            self.mg.retain(|_, c| {
                *c = c.saturating_sub(cut);
                *c > 0
            });
        }
        for (k, c) in fresh {
            if c > cut {
                self.mg.insert(k.to_owned(), c - cut);
            }
        }
    }

    /// Leaves exact mode: distinct count to a HyperLogLog, counts to Misra–Gries. Returns
    /// the exact table it had.
    fn spill(&mut self) -> Option<FxHashMap<K, u64>> {
        let map = self.exact.take()?;
        let mut hll = Box::<Hll>::default();
        for k in map.keys() {
            hll.insert_hash(k.hash64());
        }
        self.hll = Some(hll);
        // `mg_reduce` of a copy, copying only the keys that survive it.
        let cut = if map.len() > MG_CAPACITY {
            let mut counts: Vec<u64> = map.values().copied().collect();
            crate::sort::nth_largest(&mut counts, MG_CAPACITY)
        } else {
            0
        };
        self.mg = map.iter().filter(|x| *x.1 > cut).map(|(k, &c)| (k.clone(), c - cut)).collect();
        Some(map)
    }

    /// Combines with the frequencies of another part. Returns the exact table (of either
    /// side, or of both combined) that this merge moved out of exact mode, if any.
    pub fn merge(&mut self, other: &Frequencies<K>) -> Option<FxHashMap<K, u64>> {
        self.total += other.total;
        match (&mut self.exact, &other.exact) {
            (Some(a), Some(b)) => {
                for (k, &c) in b {
                    *a.entry(k.clone()).or_insert(0) += c;
                }
                if a.len() > self.limit {
                    return self.spill();
                }
                None
            }
            _ => {
                let mine = self.spill();
                let hll = self.hll.get_or_insert_with(Default::default);
                match (&other.exact, &other.hll) {
                    (Some(b), _) => b.keys().for_each(|k| hll.insert_hash(k.hash64())),
                    (None, Some(h)) => hll.merge(h),
                    (None, None) => {}
                }
                let theirs = other.exact.as_ref().unwrap_or(&other.mg);
                for (k, &c) in theirs {
                    *self.mg.entry(k.clone()).or_insert(0) += c;
                }
                mg_reduce(&mut self.mg);
                mine.or_else(|| other.exact.clone())
            }
        }
    }

    /// Distinct values: exact, or the HyperLogLog estimate (rounded).
    pub fn distinct(&self) -> u64 {
        match (&self.exact, &self.hll) {
            (Some(m), _) => m.len() as u64,
            (None, Some(h)) => (h.estimate().round() as u64).max(self.mg.len() as u64),
            (None, None) => 0,
        }
    }

    /// The `k` most frequent values, by count then by key (deterministic).
    pub fn top(&self, k: usize) -> Vec<(K, u64)> {
        let src = self.exact.as_ref().unwrap_or(&self.mg);
        let mut v: Vec<(K, u64)> = src.iter().map(|(a, &c)| (a.clone(), c)).collect();
        by_count(&mut v);
        v.truncate(k);
        v
    }

    /// Every (value, count) held: all of them when exact, the frequent ones otherwise.
    pub fn entries(&self) -> impl Iterator<Item = (&K, u64)> {
        self.exact.as_ref().unwrap_or(&self.mg).iter().map(|(k, &c)| (k, c))
    }
}

/// Sorts (value, count) pairs by count, largest first, then by value.
pub fn by_count<K: Ord>(v: &mut [(K, u64)]) {
    crate::sort::by(v, &|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

fn mg_add<K: Hash + Eq + Clone + Ord>(mg: &mut FxHashMap<K, u64>, key: K, w: u64) {
    if let Some(c) = mg.get_mut(&key) {
        *c += w;
        return;
    }
    if mg.len() < MG_CAPACITY {
        mg.insert(key, w);
        return;
    }
    // Full: every counter, and the newcomer, lose the smallest count among them.
    let min = mg.values().copied().min().unwrap_or(0).min(w);
    mg.retain(|_, c| {
        *c -= min;
        *c > 0
    });
    if w > min {
        mg.insert(key, w - min);
    }
}

/// Back to at most `MG_CAPACITY` counters: subtract the (capacity+1)-th largest count.
fn mg_reduce<K: Hash + Eq>(mg: &mut FxHashMap<K, u64>) {
    if mg.len() <= MG_CAPACITY {
        return;
    }
    let mut counts: Vec<u64> = mg.values().copied().collect();
    let cut = crate::sort::nth_largest(&mut counts, MG_CAPACITY);
    mg.retain(|_, c| {
        *c = c.saturating_sub(cut);
        *c > 0
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_then_sketched() {
        let mut f = Frequencies::<String>::new(100);
        for i in 0..1000 {
            f.add("common", 1);
            f.add(format!("v{}", i % 50).as_str(), 1);
        }
        assert!(f.is_exact());
        assert_eq!(f.distinct(), 51);
        assert_eq!(f.top(1), vec![("common".to_string(), 1000)]);
        for i in 0..20_000 {
            f.add(format!("rare{i}").as_str(), 1);
        }
        assert!(!f.is_exact());
        let d = f.distinct() as f64;
        assert!((d - 20_051.0).abs() / 20_051.0 < 0.02, "{d}");
        let top = f.top(2);
        assert_eq!(top[0].0, "common");
        // Misra–Gries undercounts by at most (n - kept) / (capacity + 1).
        let bound = f.total as f64 / (MG_CAPACITY as f64 + 1.0);
        assert!(1000.0 - top[0].1 as f64 <= bound);
        assert_eq!(f.total, 22_000);
    }

    #[test]
    fn merge_of_parts_equals_whole_when_exact() {
        let mut whole = Frequencies::<u64>::new(1000);
        let mut parts = vec![Frequencies::<u64>::new(1000), Frequencies::<u64>::new(1000)];
        for i in 0..5000u64 {
            whole.add(&(i % 97), 1);
            parts[(i % 2) as usize].add(&(i % 97), 1);
        }
        let b = parts.pop().unwrap();
        let mut a = parts.pop().unwrap();
        a.merge(&b);
        assert_eq!(a.top(5), whole.top(5));
        assert_eq!(a.distinct(), 97);
    }
}
