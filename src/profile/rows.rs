//! Whole-row statistics: exact duplicate rows, by a 64-bit hash of each row (mergeable: the
//! parts' hashes together; the distinct ones are counted by sorting them).

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
        let mut h = self.hashes.clone();
        crate::sort::radix_u64(&mut h);
        let distinct = h.chunk_by(|a, b| a == b).count();
        self.rows - distinct as u64
    }
}
