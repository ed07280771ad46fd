//! Whole-row statistics: exact duplicate rows, by a 64-bit hash of each row (mergeable: the
//! parts' hashes together; the distinct ones are counted bucket by bucket).

use std::ops::Range;

use super::hash::{combine, hash_bytes};
use crate::table::{ColumnData, Dataset};

const BLOCK: usize = 4096;
const NULL_HASH: u64 = 0x6e75_6c6c_6e75_6c6c;

#[derive(Debug, Clone, Default)]
pub struct RowState {
    pub rows: u64,
    /// One hash per row, in no order.
    pub hashes: Vec<u64>,
}

/// Folds the hash of each cell of rows `start..start + h.len()` of `col` into `h`.
#[inline]
fn fold(h: &mut [u64], col: &crate::table::Column, start: usize, cell: impl Fn(usize) -> u64) {
    if col.validity.null_count() == 0 {
        for (j, x) in h.iter_mut().enumerate() {
            *x = combine(*x, cell(start + j));
        }
    } else {
        for (j, x) in h.iter_mut().enumerate() {
            let i = start + j;
            *x = combine(*x, if col.validity.is_valid(i) { cell(i) } else { NULL_HASH });
        }
    }
}

impl RowState {
    pub fn update(&mut self, ds: &Dataset, range: Range<usize>) {
        self.rows += range.len() as u64;
        self.hashes.reserve(range.len());
        let dict_hashes: Vec<Vec<u64>> = ds
            .columns()
            .iter()
            .map(|c| match &c.data {
                ColumnData::Category { dict, .. } => dict.iter().map(|s| hash_bytes(s.as_bytes())).collect(),
                _ => Vec::new(),
            })
            .collect();
        let mut h = vec![0u64; BLOCK];
        let mut start = range.start;
        while start < range.end {
            let end = (start + BLOCK).min(range.end);
            let h = &mut h[..end - start];
            h.fill(0);
            for (col, dh) in ds.columns().iter().zip(&dict_hashes) {
                // The type is matched once per block, not per cell.
                match &col.data {
                    // `combine` mixes each cell's bits, so fixed-width cells go in as they are.
                    ColumnData::Int64(v) => fold(h, col, start, |i| v[i] as u64),
                    ColumnData::Float64(v) => fold(h, col, start, |i| (v[i] + 0.0).to_bits()),
                    ColumnData::Bool(v) => fold(h, col, start, |i| v[i] as u64 + 2),
                    ColumnData::Date(v) => fold(h, col, start, |i| v[i] as i64 as u64),
                    ColumnData::Datetime(v) => fold(h, col, start, |i| v[i] as u64),
                    ColumnData::Category { codes, .. } => fold(h, col, start, |i| dh[codes[i] as usize]),
                    ColumnData::Text(s) => fold(h, col, start, |i| hash_bytes(s.get(i).as_bytes())),
                }
            }
            self.hashes.extend_from_slice(h);
            start = end;
        }
    }

    pub fn merge(&mut self, o: &RowState) {
        self.rows += o.rows;
        self.hashes.extend_from_slice(&o.hashes);
    }

    /// Rows equal to an earlier row.
    pub fn duplicates(&self) -> u64 {
        self.rows - distinct_hashes(&self.hashes) as u64
    }
}

/// Top bits that pick a bucket in [`distinct_hashes`].
const BUCKET_BITS: u32 = 11;

/// Distinct values among well-mixed 64-bit hashes, without sorting them: one pass counts
/// them by their top bits, one pass places them in those 2,048 buckets, and each bucket
/// (≈ n / 2,048 values, in cache) goes through a small open-addressing table.
fn distinct_hashes(h: &[u64]) -> usize {
    let bucket = |x: u64| (x >> (64 - BUCKET_BITS)) as usize;
    let mut start = vec![0usize; (1 << BUCKET_BITS) + 1];
    for &x in h {
        start[bucket(x) + 1] += 1;
    }
    for b in 1..start.len() {
        start[b] += start[b - 1];
    }
    let mut at = start.clone();
    let mut placed = vec![0u64; h.len()];
    for &x in h {
        let b = bucket(x);
        placed[at[b]] = x;
        at[b] += 1;
    }
    // 0 marks an empty slot; the hash 0 (only possible in bucket 0) is counted apart.
    let (mut distinct, mut zero, mut table) = (0, false, Vec::new());
    for w in start.windows(2) {
        let values = &placed[w[0]..w[1]];
        let size = (2 * values.len()).next_power_of_two().max(8);
        table.clear();
        table.resize(size, 0u64);
        for &x in values {
            if x == 0 {
                zero = true;
                continue;
            }
            let mut i = x as usize & (size - 1);
            while table[i] != 0 && table[i] != x {
                i = (i + 1) & (size - 1);
            }
            distinct += (table[i] == 0) as usize;
            table[i] = x;
        }
    }
    distinct + zero as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_hashes_agree_with_sorting() {
        let mut state = 7u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            crate::table::hash::fmix64(state)
        };
        for n in [0, 1, 5, 3000, 100_000] {
            // Repeats, the value 0 and values that share their top and low bits.
            let mut h: Vec<u64> = (0..n).map(|_| next()).collect();
            for i in (0..n).step_by(3) {
                h[i] = h[i / 2];
            }
            if n > 10 {
                h[4] = 0;
                h[9] = 0;
                h[7] = 5 << 60 | 3;
                h[8] = 5 << 60 | 3 | 1 << 20;
            }
            let mut sorted = h.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(distinct_hashes(&h), sorted.len(), "n = {n}");
        }
    }
}
