//! Numeric, date and boolean columns in the first pass, a 4,096-value block at a time:
//! moments per block; while the value counts are exact, blocks of whole numbers or of values
//! with one to three decimals counted in an array; past the exact limit, each block sorted
//! once for its runs (HyperLogLog, Misra–Gries) and the quantile sketch.

use std::ops::Range;

use super::column::ColumnState;
use super::hash::MixMap as FxHashMap;
use super::moments::Moments;
use crate::sort;
use crate::table::Column;

/// Rows read at once in a numeric column.
const NUM_BLOCK: usize = 4096;

/// Widest range of whole numbers a block counts in an array (instead of a hash lookup per value).
const DENSE_SPAN: f64 = (2 * NUM_BLOCK) as f64;

/// Decimal scales tried for counting a block in an array: whole numbers, then values with
/// one, two or three decimals (prices, rates).
const SCALES: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];

/// Counts the values `xs` that are whole multiples of `1 / scale` (`x == m / scale` for a
/// whole `m`, so `m` gives `x` back exactly) by `m - round(min · scale)` into `counts` (all
/// zero, `DENSE_SPAN` long) and returns how many leading entries are in use, or `None` if
/// one is not (then `counts` is left all zero).
fn dense_counts(xs: &[f64], min: f64, scale: f64, counts: &mut [u32]) -> Option<usize> {
    let base = (min * scale).round_ties_even();
    let mut top = 0;
    for &x in xs {
        let m = (x * scale).round_ties_even();
        if m / scale != x {
            counts[..=top].fill(0);
            return None;
        }
        let i = ((m - base) as usize).min(counts.len() - 1);
        counts[i] += 1;
        top = top.max(i);
    }
    Some(top + 1)
}

#[inline]
pub(super) fn key(x: f64) -> u64 {
    (x + 0.0).to_bits()
}

impl ColumnState {
    /// Adds a block of finite values; `counts` is scratch space (all zero, `DENSE_SPAN` long,
    /// and left so).
    fn nums_block(&mut self, xs: &[f64], counts: &mut [u32]) {
        let m = Moments::of_slice(xs);
        self.moments.merge(&m);
        if self.nums.is_exact() && m.n > 0 {
            for scale in SCALES {
                // A margin of 2 for the rounding of `m`.
                if (m.max - m.min) * scale >= DENSE_SPAN - 2.0 || m.min * scale <= -2e15 || m.max * scale >= 2e15 {
                    continue;
                }
                if let Some(used) = dense_counts(xs, m.min, scale, counts) {
                    self.counted_block(&counts[..used], (m.min * scale).round_ties_even(), scale);
                    counts[..used].fill(0);
                    return;
                }
            }
        }
        let mut rest = xs;
        // The sketch is only needed once the exact counts are given up.
        while self.nums.is_exact() {
            let Some((&x, tail)) = rest.split_first() else { return };
            rest = tail;
            if let Some(map) = self.nums.add(&key(x), 1) {
                self.sketch_from(&map);
            }
        }
        if rest.is_empty() {
            return;
        }
        // Past the exact limit: one sort of the block gives both its value counts (runs of
        // equal values, for the HyperLogLog and Misra–Gries) and a sorted run for the sketch.
        let mut keys: Vec<u64> = rest.iter().map(|&x| sort::f64_order_key(x + 0.0)).collect();
        sort::radix_u64(&mut keys);
        let runs: Vec<(u64, u64)> =
            keys.chunk_by(|a, b| a == b).map(|r| (key(sort::f64_from_order_key(r[0])), r.len() as u64)).collect();
        self.nums.add_block(runs.iter().map(|(k, c)| (k, *c)));
        self.sketch.push_sorted(keys.into_iter().map(sort::f64_from_order_key).collect());
    }

    /// Adds the values `(base + i) / scale` counted `counts[i]` times, in value order.
    fn counted_block(&mut self, counts: &[u32], base: f64, scale: f64) {
        let mut weighted = false;
        for (i, &c) in counts.iter().enumerate().filter(|x| *x.1 > 0) {
            let (x, c) = ((base + i as f64) / scale, c as u64);
            if self.nums.is_exact() {
                if let Some(map) = self.nums.add(&key(x), c) {
                    self.sketch_from(&map);
                }
            } else {
                self.nums.add(&key(x), c);
                self.sketch.push_weighted(x, c);
                weighted = true;
            }
        }
        if weighted {
            self.sketch.settle();
        }
    }

    /// Adds rows `range` of a numeric, date or boolean column, a block at a time; `f(i)`
    /// reads row `i` (valid) as a number.
    pub(super) fn numeric(&mut self, col: &Column, range: Range<usize>, f: impl Fn(usize) -> f64) {
        let mut buf = Vec::with_capacity(NUM_BLOCK);
        let mut counts = vec![0u32; DENSE_SPAN as usize];
        let mut start = range.start;
        let all_valid = col.validity.null_count() == 0;
        while start < range.end {
            let end = (start + NUM_BLOCK).min(range.end);
            buf.clear();
            for i in start..end {
                if all_valid || col.validity.is_valid(i) {
                    let x = f(i);
                    if x.is_finite() {
                        buf.push(x);
                    } else {
                        self.non_finite += 1;
                    }
                }
            }
            self.nums_block(&buf, &mut counts);
            start = end;
        }
    }

    /// Feeds exact counts into the (empty) sketch. In any order: `push_weighted` only adds
    /// items to levels and `settle` sorts each level before compacting it.
    pub(super) fn sketch_from(&mut self, map: &FxHashMap<u64, u64>) {
        for (&k, &c) in map {
            self.sketch.push_weighted(f64::from_bits(k), c);
        }
        self.sketch.settle();
    }
}
