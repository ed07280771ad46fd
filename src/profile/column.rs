//! The first-pass state of one column: counts, moments, quantile sketch, value frequencies,
//! text facets and date granularity, all mergeable.

use std::ops::Range;

use super::freq::Frequencies;
use super::hash::MixMap as FxHashMap;
use super::kll::{QuantileSketch, WeightedValues};
use super::moments::Moments;
use super::text::TextFacets;
use crate::table::{Column, ColumnData};

/// Items per level of the quantile sketch (rank error ≈ 0.1 %).
pub const SKETCH_K: usize = 512;
/// Rows counted at once in a text column past its exact limit.
const TEXT_BLOCK: usize = 1 << 16;

/// How a column is profiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Numeric,
    Date,
    Bool,
    Text,
}

impl Kind {
    pub fn of(col: &Column) -> Kind {
        match col.data {
            ColumnData::Int64(_) | ColumnData::Float64(_) => Kind::Numeric,
            ColumnData::Date(_) | ColumnData::Datetime(_) => Kind::Date,
            ColumnData::Bool(_) => Kind::Bool,
            ColumnData::Category { .. } | ColumnData::Text(_) => Kind::Text,
        }
    }
}

/// Granularity bits: a value was seen finer than ...
pub const FINER_THAN_SECOND: u8 = 1;
pub const FINER_THAN_MINUTE: u8 = 2;
pub const FINER_THAN_HOUR: u8 = 4;
pub const FINER_THAN_DAY: u8 = 8;
pub const FINER_THAN_MONTH: u8 = 16;
pub const FINER_THAN_YEAR: u8 = 32;
const ALL_FINER: u8 = 63;

#[derive(Debug, Clone)]
pub struct ColumnState {
    pub kind: Kind,
    pub rows: u64,
    pub missing: u64,
    /// NaN / ±infinity in a float column (left out of moments and quantiles).
    pub non_finite: u64,
    /// Numbers; dates as days (date) or milliseconds (datetime); booleans as 0 / 1.
    pub moments: Moments,
    pub sketch: QuantileSketch,
    /// Numeric, date and boolean values by the bits of their `f64`.
    pub nums: Frequencies<u64>,
    pub strs: Frequencies<String>,
    /// Facets of the text values not held in `strs`' exact table.
    pub(crate) facets: TextFacets,
    /// `FINER_THAN_*` bits.
    pub finer: u8,
}

impl ColumnState {
    pub fn new(kind: Kind, exact_limit: usize, seed: u64) -> Self {
        ColumnState {
            kind,
            rows: 0,
            missing: 0,
            non_finite: 0,
            moments: Moments::default(),
            sketch: QuantileSketch::new(SKETCH_K, seed),
            nums: Frequencies::new(exact_limit),
            strs: Frequencies::new(exact_limit),
            facets: TextFacets::default(),
            finer: 0,
        }
    }

    fn fold(&mut self, map: FxHashMap<String, u64>) {
        let mut buf = String::new();
        for (k, c) in map {
            self.facets.add(&k, c, &mut buf);
        }
    }

    fn text(&mut self, s: &str, w: u64, buf: &mut String) {
        let was_exact = self.strs.is_exact();
        match self.strs.add(s, w) {
            Some(map) => self.fold(map),
            None if !was_exact => self.facets.add(s, w, buf),
            None => {}
        }
    }

    /// Adds the rows `range` of `col`.
    pub fn update(&mut self, col: &Column, range: Range<usize>) {
        self.update_known(col, range, false)
    }

    /// [`update`](Self::update), told whether every value of `range` is known to differ from
    /// the others (a strictly monotone column, [`super::order`]): text past the exact limit
    /// then skips counting each block in a table.
    pub fn update_known(&mut self, col: &Column, range: Range<usize>, unique: bool) {
        let valid = |i: usize| col.validity.is_valid(i);
        self.rows += range.len() as u64;
        let nulls =
            if col.validity.null_count() == 0 { 0 } else { range.clone().filter(|&i| !valid(i)).count() as u64 };
        self.missing += nulls;
        match &col.data {
            ColumnData::Int64(v) => self.numeric(col, range, |i| v[i] as f64),
            ColumnData::Float64(v) => self.numeric(col, range, |i| v[i]),
            ColumnData::Bool(v) => self.numeric(col, range, |i| v[i] as u8 as f64),
            ColumnData::Date(v) => {
                for i in range.clone().filter(|&i| valid(i)) {
                    let (_, m, day) = crate::table::date::civil_from_days(v[i]);
                    if day != 1 {
                        self.finer |= FINER_THAN_MONTH | FINER_THAN_YEAR;
                        break;
                    } else if m != 1 {
                        self.finer |= FINER_THAN_YEAR;
                    }
                }
                self.numeric(col, range, |i| v[i] as f64)
            }
            ColumnData::Datetime(v) => {
                for i in range.clone().filter(|&i| valid(i)) {
                    let ms = v[i];
                    for (unit, bit) in [
                        (1000, FINER_THAN_SECOND),
                        (60_000, FINER_THAN_MINUTE),
                        (3_600_000, FINER_THAN_HOUR),
                        (86_400_000, FINER_THAN_DAY),
                    ] {
                        if ms.rem_euclid(unit) != 0 {
                            self.finer |= bit;
                        }
                    }
                    let (_, m, day) = crate::table::date::civil_from_days(ms.div_euclid(86_400_000) as i32);
                    if day != 1 {
                        self.finer |= FINER_THAN_MONTH | FINER_THAN_YEAR;
                    } else if m != 1 {
                        self.finer |= FINER_THAN_YEAR;
                    }
                    if self.finer == ALL_FINER {
                        break;
                    }
                }
                self.numeric(col, range, |i| v[i] as f64)
            }
            ColumnData::Category { codes, dict } => {
                let mut counts = vec![0u64; dict.len()];
                for i in range.filter(|&i| valid(i)) {
                    counts[codes[i] as usize] += 1;
                }
                let mut buf = String::new();
                for (c, &n) in counts.iter().enumerate() {
                    if n > 0 {
                        self.text(&dict[c], n, &mut buf);
                    }
                }
            }
            ColumnData::Text(s) => {
                let mut buf = String::new();
                let mut block: Option<FxHashMap<&str, u64>> = None;
                let mut pairs: Vec<(&str, u64)> = Vec::new();
                let mut start = range.start;
                while start < range.end {
                    let end = (start + TEXT_BLOCK).min(range.end);
                    if self.strs.is_exact() {
                        for i in (start..end).filter(|&i| valid(i)) {
                            self.text(s.get(i), 1, &mut buf);
                        }
                    } else {
                        // Past the exact limit: count the block first (unless every value of
                        // the range is known to differ), then feed each distinct value once to
                        // the facets, the HyperLogLog and Misra–Gries.
                        pairs.clear();
                        if unique {
                            pairs.extend((start..end).filter(|&i| valid(i)).map(|i| (s.get(i), 1)));
                        } else {
                            let block = block.get_or_insert_with(|| {
                                FxHashMap::with_capacity_and_hasher(TEXT_BLOCK.min(range.len()), Default::default())
                            });
                            block.clear();
                            for i in (start..end).filter(|&i| valid(i)) {
                                *block.entry(s.get(i)).or_insert(0) += 1;
                            }
                            pairs.extend(block.iter().map(|(&k, &c)| (k, c)));
                        }
                        for &(k, c) in &pairs {
                            self.facets.add(k, c, &mut buf);
                        }
                        self.strs.add_block(pairs.iter().copied());
                    }
                    start = end;
                }
            }
        }
    }

    pub fn merge(&mut self, o: &ColumnState) {
        self.rows += o.rows;
        self.missing += o.missing;
        self.non_finite += o.non_finite;
        self.moments.merge(&o.moments);
        // Sketches exist only on sides that left exact mode; a side that did not is
        // represented by its exact counts, which the merge hands back if it ends exact mode.
        let (mine_exact, theirs_exact) = (self.nums.is_exact(), o.nums.is_exact());
        let spilled = self.nums.merge(&o.nums);
        if !self.nums.is_exact() {
            match (mine_exact, theirs_exact, spilled) {
                (true, true, Some(map)) | (true, false, Some(map)) => {
                    self.sketch_from(&map);
                    if !theirs_exact {
                        self.sketch.merge(&o.sketch);
                    }
                }
                (false, true, Some(map)) => {
                    let mut s = QuantileSketch::new(SKETCH_K, 0);
                    std::mem::swap(&mut s, &mut self.sketch);
                    self.sketch_from(&map);
                    self.sketch.merge(&s);
                }
                _ => self.sketch.merge(&o.sketch),
            }
        }
        self.facets.merge(&o.facets);
        if let Some(map) = self.strs.merge(&o.strs) {
            self.fold(map);
        }
        self.finer |= o.finer;
    }

    /// Non-null values.
    pub fn count(&self) -> u64 {
        self.rows - self.missing
    }

    pub fn is_text(&self) -> bool {
        self.kind == Kind::Text
    }

    pub fn distinct(&self) -> u64 {
        if self.is_text() {
            self.strs.distinct()
        } else {
            self.nums.distinct() + (self.non_finite > 0) as u64
        }
    }

    pub fn distinct_exact(&self) -> bool {
        if self.is_text() {
            self.strs.is_exact()
        } else {
            self.nums.is_exact()
        }
    }

    /// Facets of every text value.
    pub fn text_facets(&self) -> TextFacets {
        let mut f = self.facets.clone();
        if let Some(map) = self.strs.exact() {
            let mut buf = String::new();
            for (k, &c) in map {
                f.add(k, c, &mut buf);
            }
        }
        f
    }

    /// The finite values with counts: exact while the frequency table is, else the sketch.
    pub fn weighted(&self) -> (WeightedValues, bool) {
        match self.nums.exact() {
            Some(map) => {
                let mut items: Vec<(f64, f64)> = map.iter().map(|(&k, &c)| (f64::from_bits(k), c as f64)).collect();
                super::kll::sort_pairs(&mut items);
                (WeightedValues::from_sorted(items), true)
            }
            None => (self.sketch.weighted(), false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::numeric::key;
    use crate::table::Validity;

    fn state(values: &[i64], limit: usize) -> ColumnState {
        let col = Column::new("x", ColumnData::Int64(values.to_vec()), Validity::all_valid(values.len()));
        let mut st = ColumnState::new(Kind::Numeric, limit, 1);
        st.update(&col, 0..values.len());
        st
    }

    fn float_state(values: &[f64], limit: usize) -> ColumnState {
        let col = Column::new("y", ColumnData::Float64(values.to_vec()), Validity::all_valid(values.len()));
        let mut st = ColumnState::new(Kind::Numeric, limit, 1);
        st.update(&col, 0..values.len());
        st
    }

    #[test]
    fn counted_blocks_agree_with_value_by_value() {
        // Whole numbers and the same numbers shifted by 0.5, 0.25 or 0.125 go through the
        // array counts (scales 1, 10, 100, 1000), shifted by 2^-20 through the hash table: the
        // same counts and quantiles, exact or past the limit.
        let values: Vec<i64> = (0..20_000).map(|i| (i * 7919) % 3001 - 1500).collect();
        let shift = 2f64.powi(-20);
        for limit in [50_000, 1000] {
            let hashed = float_state(&values.iter().map(|&v| v as f64 + shift).collect::<Vec<_>>(), limit);
            let b = hashed.weighted().0;
            for offset in [0.0, 0.5, 0.25, 0.125] {
                let st = float_state(&values.iter().map(|&v| v as f64 + offset).collect::<Vec<_>>(), limit);
                for d in [st.nums.distinct(), hashed.nums.distinct()] {
                    assert!((d as f64 - 3001.0).abs() <= 0.02 * 3001.0, "limit {limit}: {d} distinct");
                }
                assert_eq!(st.nums.is_exact(), limit > 3001);
                assert_eq!(st.sketch.count(), hashed.sketch.count());
                let a = st.weighted().0;
                for p in [0.01, 0.25, 0.5, 0.75, 0.99] {
                    let (qa, qb) = (a.quantile(p).unwrap() - offset, b.quantile(p).unwrap() - shift);
                    assert!((qa - qb).abs() <= 3001.0 * 0.01, "limit {limit} p {p}: {qa} vs {qb}");
                    if limit > 3001 {
                        assert_eq!(qa, qb);
                        assert_eq!(st.nums.top(3).len(), 3);
                    }
                }
            }
        }
        assert!(state(&values, 50_000).nums.exact().unwrap().contains_key(&key(-1500.0)));
    }

    #[test]
    fn decimal_blocks_keep_each_value() {
        // Prices with two decimals and rates with three: every value comes back exactly.
        let xs: Vec<f64> = (0..5000).map(|i| ((i * 37) % 2000) as f64 / 100.0 + 0.01).collect();
        let rates: Vec<f64> = (0..5000).map(|i| ((i * 13) % 300) as f64 / 1000.0).collect();
        for v in [xs, rates] {
            let st = float_state(&v, 50_000);
            let map = st.nums.exact().unwrap();
            let mut want: Vec<u64> = v.iter().map(|&x| key(x)).collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(map.len(), want.len());
            assert!(want.iter().all(|k| map.contains_key(k)));
            assert_eq!(map.values().sum::<u64>(), v.len() as u64);
        }
    }

    #[test]
    fn exact_and_sketched_sides_merge_in_either_order() {
        let few: Vec<i64> = (0..5000).map(|i| i % 10).collect();
        let many: Vec<i64> = (0..5000).map(|i| 1000 + i).collect();
        let mut all: Vec<f64> = few.iter().chain(&many).map(|&v| v as f64).collect();
        all.sort_by(f64::total_cmp);
        for (a, b) in [(&few, &many), (&many, &few)] {
            let mut x = state(a, 100);
            x.merge(&state(b, 100));
            assert!(!x.nums.is_exact());
            assert_eq!(x.sketch.count(), 10_000);
            let (w, exact) = x.weighted();
            assert!(!exact);
            let median = w.quantile(0.5).unwrap();
            let rank = all.partition_point(|&v| v < median) as f64 / all.len() as f64;
            assert!((rank - 0.5).abs() < 0.01, "median {median} at rank {rank}");
        }
        // Two exact sides whose union passes the limit.
        let mut x = state(&many[..80], 100);
        x.merge(&state(&many[80..160], 100));
        assert!(!x.nums.is_exact());
        assert_eq!(x.sketch.count(), 160);
        assert_eq!(x.weighted().0.quantile(0.0), Some(1000.0));
    }
}
