//! Rows proven distinct without hashing them. A column whose values strictly increase (or
//! strictly decrease) over a part, such as a sorted customer id or an event time, repeats no
//! value there, so no two rows of the part can be equal. Parts merge as lists of their key
//! ranges: if one such column's ranges do not overlap across all parts, every row of the table
//! is distinct and duplicate rows are 0 exactly; otherwise the rows are hashed ([`super::rows`]).

use std::ops::Range;

use crate::table::{ColumnData, Dataset};

/// A key as bytes that sort like the values: text as it is; numbers (integers, dates and
/// times go through `f64`, where `a < b` implies `a < b` in the column's type) as the
/// order-preserving big-endian form of their bits.
type Key = Vec<u8>;

/// The smallest and largest key of each part, per column index.
type Ranges = Vec<(usize, Vec<(Key, Key)>)>;

/// Per column that is strictly monotone (with no missing value) in every part seen: the
/// smallest and largest key of each part.
#[derive(Debug, Clone, Default)]
pub struct KeyOrder {
    /// `None` until a part with rows is seen (the identity of `merge`).
    pub(crate) columns: Option<Ranges>,
}

fn num_key(x: f64) -> Key {
    crate::sort::f64_order_key(x).to_be_bytes().to_vec()
}

/// The smallest and largest key of rows `r` if `get` strictly increases or strictly
/// decreases over them (the first and last row decide the direction).
fn key_range<T: PartialOrd + Copy>(
    r: Range<usize>,
    get: &dyn Fn(usize) -> T,
    key: &dyn Fn(T) -> Key,
) -> Option<(Key, Key)> {
    let (a, b) = (get(r.start), get(r.end - 1));
    let up = a < b;
    let mut prev = a;
    for i in r.start + 1..r.end {
        let x = get(i);
        // Written so that NaN fails either way.
        let ordered = if up { prev < x } else { prev > x };
        if !ordered {
            return None;
        }
        prev = x;
    }
    let (lo, hi) = if up { (a, b) } else { (b, a) };
    Some((key(lo), key(hi)))
}

impl KeyOrder {
    pub fn update(&mut self, ds: &Dataset, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let mut found = Vec::new();
        for (j, col) in ds.columns().iter().enumerate() {
            let r = range.clone();
            let text = |s: &str| s.as_bytes().to_vec();
            let keys = match &col.data {
                ColumnData::Int64(v) => key_range(r, &|i| v[i] as f64, &num_key),
                ColumnData::Float64(v) => key_range(r, &|i| v[i], &num_key),
                ColumnData::Date(v) => key_range(r, &|i| v[i] as f64, &num_key),
                ColumnData::Datetime(v) => key_range(r, &|i| v[i] as f64, &num_key),
                ColumnData::Text(s) => key_range(r, &|i| s.get(i), &text),
                ColumnData::Category { codes, dict } => key_range(r, &|i| dict[codes[i] as usize].as_str(), &text),
                ColumnData::Bool(_) => None,
            };
            // Checked last: most columns fail the order test at their first rows.
            let complete = || col.validity.null_count() == 0 || range.clone().all(|i| col.validity.is_valid(i));
            if let Some(k) = keys.filter(|_| complete()) {
                found.push((j, vec![k]));
            }
        }
        self.merge(&KeyOrder { columns: Some(found) });
    }

    pub fn merge(&mut self, o: &KeyOrder) {
        let Some(theirs) = &o.columns else { return };
        let Some(mine) = &mut self.columns else {
            self.columns = o.columns.clone();
            return;
        };
        mine.retain_mut(|(j, ranges)| {
            let t = theirs.iter().find(|t| t.0 == *j);
            t.map(|t| ranges.extend_from_slice(&t.1)).is_some()
        });
    }

    /// Whether column `j` is strictly monotone with no missing value in every part seen (so
    /// each part's values differ from one another).
    pub fn is_monotone(&self, j: usize) -> bool {
        self.columns.as_ref().is_some_and(|c| c.iter().any(|x| x.0 == j))
    }

    /// True when some column's part ranges, sorted, never overlap: every row is distinct.
    pub fn proves_distinct(&self) -> bool {
        let Some(cols) = &self.columns else { return true };
        cols.iter().any(|(_, ranges)| {
            let mut r: Vec<&(Key, Key)> = ranges.iter().collect();
            crate::sort::by(&mut r, &|a, b| a.0.cmp(&b.0));
            r.windows(2).all(|w| w[0].1 < w[1].0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_ties_break_the_order_and_keys_sort_like_numbers() {
        let range = |v: &[f64]| key_range(0..v.len(), &|i| v[i], &num_key);
        assert!(range(&[1.5, f64::NAN, 4.5]).is_none());
        assert!(range(&[f64::NAN, 2.0, 3.0]).is_none());
        assert!(range(&[3.0, 2.0, f64::NAN]).is_none());
        assert!(range(&[1.0, 2.0, 2.0, 3.0]).is_none());
        assert_eq!(range(&[9.0, -1.0, -7.5]), Some((num_key(-7.5), num_key(9.0))));
        let xs = [f64::NEG_INFINITY, -1e300, -2.5, -0.0, 1e-300, 1.0, 2.0, 1e300, f64::INFINITY];
        assert!(xs.windows(2).all(|w| num_key(w[0]) < num_key(w[1])));
    }
}
