//! A mergeable quantile sketch: a stack of compactors in the style of KLL (Karnin, Lang &
//! Liberty 2016) with equal capacity `k` at every level. A full level is sorted and every
//! other item (odd or even positions, by a seeded coin) moves up with twice the weight, so
//! each compaction adds a zero-mean rank error of at most the level's weight. With k = 512
//! the rank error is about n / (2k) standard deviations at worst ≈ 0.1 % of n, well inside
//! the 1 % target; space is k · log2(n / k) values.

/// Sorts numbers (one sort instantiation shared by the crate, to keep the wasm small).
pub fn sort_f64(v: &mut [f64]) {
    crate::sort::f64s(v);
}

/// Sorts (value, weight) pairs by value.
pub fn sort_pairs(v: &mut [(f64, f64)]) {
    v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
}

/// A quantile sketch over finite `f64` values.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantileSketch {
    pub(crate) k: usize,
    pub(crate) levels: Vec<Vec<f64>>,
    pub(crate) n: u64,
    pub(crate) rng: u64,
}

/// Sorted distinct values with their (estimated) counts: the sketch read out, or an exact
/// frequency table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeightedValues {
    pub values: Vec<f64>,
    /// `cum[i]` = total weight of `values[..=i]`.
    pub cum: Vec<f64>,
}

impl QuantileSketch {
    pub fn new(k: usize, seed: u64) -> Self {
        QuantileSketch { k: k.max(16), levels: vec![Vec::new()], n: 0, rng: seed ^ 0x2545_f491_4f6c_dd1d }
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    fn coin(&mut self) -> usize {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 63) as usize
    }

    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        self.levels[0].push(x);
        if self.levels[0].len() >= self.k {
            self.compact_from(0);
        }
    }

    /// Adds a block of values sorted ascending. While the block holds at least `k` items it
    /// is compacted on its own (every other item moves up with twice the weight, by the
    /// coin; an odd last item stays at its level), so the low levels need no sort: the same
    /// zero-mean error per compaction as [`push`](Self::push), with fewer compactions.
    pub fn push_sorted(&mut self, mut buf: Vec<f64>) {
        self.n += buf.len() as u64;
        let mut h = 0;
        while buf.len() >= self.k {
            if buf.len() % 2 == 1 {
                let last = buf.pop().unwrap_or_default();
                self.levels[h].push(last);
            }
            let offset = self.coin();
            let half = buf.len() / 2;
            for i in 0..half {
                buf[i] = buf[2 * i + offset];
            }
            buf.truncate(half);
            h += 1;
            if self.levels.len() == h {
                self.levels.push(Vec::new());
            }
        }
        self.levels[h].extend_from_slice(&buf);
        for l in 0..=h {
            self.compact_from(l);
        }
    }

    fn compact_from(&mut self, mut h: usize) {
        while h < self.levels.len() && self.levels[h].len() >= self.k {
            if h + 1 == self.levels.len() {
                self.levels.push(Vec::new());
            }
            let mut buf = std::mem::take(&mut self.levels[h]);
            sort_f64(&mut buf);
            let keep = if buf.len() % 2 == 1 { buf.pop() } else { None };
            let offset = self.coin();
            let (lower, upper) = self.levels.split_at_mut(h + 1);
            upper[0].extend(buf.iter().skip(offset).step_by(2));
            buf.clear();
            buf.extend(keep);
            lower[h] = buf;
            h += 1;
        }
    }

    /// Adds `w` copies of `x` exactly: one item at level h for every bit h set in `w`.
    pub fn push_weighted(&mut self, x: f64, w: u64) {
        self.n += w;
        let mut h = 0;
        let mut rest = w;
        while rest > 0 {
            if rest & 1 == 1 {
                while self.levels.len() <= h {
                    self.levels.push(Vec::new());
                }
                self.levels[h].push(x);
            }
            rest >>= 1;
            h += 1;
        }
    }

    /// Compacts every level that is over capacity (after `push_weighted`).
    pub fn settle(&mut self) {
        for h in 0..self.levels.len() {
            self.compact_from(h);
        }
    }

    /// Combines with a sketch of another part of the stream.
    pub fn merge(&mut self, other: &QuantileSketch) {
        self.n += other.n;
        while self.levels.len() < other.levels.len() {
            self.levels.push(Vec::new());
        }
        for (h, l) in other.levels.iter().enumerate() {
            self.levels[h].extend_from_slice(l);
        }
        self.rng ^= other.rng.rotate_left(17);
        if self.rng == 0 {
            self.rng = 0x9E37_79B9_7F4A_7C15;
        }
        for h in 0..self.levels.len() {
            self.compact_from(h);
        }
    }

    /// The retained items with their weights, sorted, equal values combined.
    pub fn weighted(&self) -> WeightedValues {
        let mut items: Vec<(f64, f64)> = Vec::new();
        for (h, l) in self.levels.iter().enumerate() {
            let w = (1u64 << h) as f64;
            items.extend(l.iter().map(|&v| (v, w)));
        }
        sort_pairs(&mut items);
        WeightedValues::from_sorted(items)
    }
}

impl WeightedValues {
    /// From (value, weight) pairs sorted by value.
    pub fn from_sorted(items: Vec<(f64, f64)>) -> Self {
        let mut out = WeightedValues::default();
        let mut total = 0.0;
        for (v, w) in items {
            total += w;
            if out.values.last() == Some(&v) {
                *out.cum.last_mut().unwrap_or(&mut 0.0) = total;
            } else {
                out.values.push(v);
                out.cum.push(total);
            }
        }
        out
    }

    pub fn total(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    /// The value at 0-based rank `r` (fractional ranks interpolate between neighbours), so
    /// that with exact counts `quantile(p)` equals numpy/pandas' linear interpolation.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        let n = self.total();
        if n <= 0.0 {
            return None;
        }
        let r = p.clamp(0.0, 1.0) * (n - 1.0);
        let at = |rank: f64| {
            let i = self.cum.partition_point(|&c| c <= rank);
            self.values[i.min(self.values.len() - 1)]
        };
        let (lo, hi) = (r.floor(), r.ceil());
        let (a, b) = (at(lo), at(hi));
        Some(a + (b - a) * (r - lo))
    }

    /// Mid-rank (1-based, ties averaged) of `x`: what Spearman's correlation ranks by.
    pub fn midrank(&self, x: f64) -> f64 {
        let i = self.values.partition_point(|&v| v < x);
        let below = if i == 0 { 0.0 } else { self.cum[i - 1] };
        let upto = if i < self.values.len() && self.values[i] == x { self.cum[i] } else { below };
        if upto > below {
            (below + 1.0 + upto) / 2.0
        } else {
            below + 0.5
        }
    }

    /// Share of the weight at or below `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        let i = self.values.partition_point(|&v| v <= x);
        if i == 0 {
            0.0
        } else {
            self.cum[i - 1] / self.total()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank_error(sorted: &[f64], p: f64, q: f64) -> f64 {
        let n = sorted.len() as f64;
        let lo = sorted.partition_point(|&v| v < q) as f64;
        let hi = sorted.partition_point(|&v| v <= q) as f64;
        let target = p * (n - 1.0);
        if target < lo {
            (lo - target) / n
        } else if target > hi {
            (target - hi) / n
        } else {
            0.0
        }
    }

    #[test]
    fn rank_error_under_one_percent_whole_and_merged() {
        let n = 1_000_000u64;
        let data: Vec<f64> = (0..n).map(|i| ((i.wrapping_mul(2_654_435_761) % 1_000_003) as f64).sqrt()).collect();
        let mut sorted = data.clone();
        sorted.sort_by(f64::total_cmp);
        let mut whole = QuantileSketch::new(512, 1);
        data.iter().for_each(|&v| whole.push(v));
        let mut merged = QuantileSketch::new(512, 1);
        for (c, part) in data.chunks(250_000).enumerate() {
            let mut s = QuantileSketch::new(512, c as u64 + 7);
            part.iter().for_each(|&v| s.push(v));
            merged.merge(&s);
        }
        for s in [&whole, &merged] {
            assert_eq!(s.count(), n);
            let w = s.weighted();
            assert_eq!(w.total(), n as f64);
            let retained: usize = s.levels.iter().map(Vec::len).sum();
            assert!(retained < 512 * 14, "retained {retained}");
            for i in 1..100 {
                let p = i as f64 / 100.0;
                let e = rank_error(&sorted, p, w.quantile(p).unwrap());
                assert!(e <= 0.01, "p={p} rank error {e}");
            }
        }
    }

    #[test]
    fn sorted_blocks_keep_the_rank_error_under_one_percent() {
        let n = 1_000_000u64;
        let data: Vec<f64> = (0..n).map(|i| ((i.wrapping_mul(2_654_435_761) % 1_000_003) as f64).ln()).collect();
        let mut sorted = data.clone();
        sorted.sort_by(f64::total_cmp);
        let mut whole = QuantileSketch::new(512, 5);
        let mut merged = QuantileSketch::new(512, 5);
        for (c, part) in data.chunks(4096).enumerate() {
            let mut block = part.to_vec();
            sort_f64(&mut block);
            whole.push_sorted(block.clone());
            let mut s = QuantileSketch::new(512, c as u64);
            s.push_sorted(block);
            merged.merge(&s);
        }
        for s in [&whole, &merged] {
            assert_eq!(s.count(), n);
            let w = s.weighted();
            assert_eq!(w.total(), n as f64);
            let retained: usize = s.levels.iter().map(Vec::len).sum();
            assert!(retained < 512 * 16, "retained {retained}");
            for i in 1..100 {
                let p = i as f64 / 100.0;
                let e = rank_error(&sorted, p, w.quantile(p).unwrap());
                assert!(e <= 0.01, "p={p} rank error {e}");
            }
        }
        // Small blocks are held exactly.
        let mut s = QuantileSketch::new(512, 1);
        s.push_sorted(vec![1.0, 2.0, 2.0, 7.0]);
        assert_eq!(s.weighted().cum, vec![1.0, 3.0, 4.0]);
    }

    #[test]
    fn exact_when_small_and_same_seed_same_result() {
        let mut s = QuantileSketch::new(512, 3);
        [4.0, 1.0, 3.0, 2.0].iter().for_each(|&v| s.push(v));
        let w = s.weighted();
        assert_eq!(w.quantile(0.5), Some(2.5));
        assert_eq!(w.quantile(0.0), Some(1.0));
        assert_eq!(w.midrank(3.0), 3.0);
        let mk = || {
            let mut s = QuantileSketch::new(64, 9);
            (0..10_000).for_each(|i| s.push((i * 37 % 1000) as f64));
            s
        };
        assert_eq!(mk(), mk());
        let t = WeightedValues::from_sorted(vec![(1.0, 1.0), (2.0, 2.0), (2.0, 1.0), (5.0, 1.0)]);
        assert_eq!(t.midrank(2.0), 3.0);
        assert_eq!(t.midrank(1.0), 1.0);
        assert_eq!(t.cdf(2.0), 0.8);
        // Weighted items are held exactly until compaction.
        let mut w = QuantileSketch::new(512, 3);
        w.push_weighted(1.0, 5);
        w.push_weighted(2.0, 3);
        w.settle();
        assert_eq!(w.count(), 8);
        assert_eq!(w.weighted().cum, vec![5.0, 8.0]);
    }
}
