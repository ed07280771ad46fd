//! Interactions: who touched what, how much and when, read from a [`Dataset`] into a
//! user × item [`Csr`] matrix. Repeated (user, item) rows are merged (weights summed, the
//! latest time kept); every row that cannot be used is counted by reason in
//! [`InteractionReport`], never dropped silently.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::csr::Csr;
use crate::error::{CrmError, Result};
use crate::table::date::MS_PER_DAY;
use crate::table::{DataType, Dataset, Interner, Value};

/// Rows read and rows left out, by reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct InteractionReport {
    pub rows: usize,
    pub used: usize,
    pub missing_user: usize,
    pub missing_item: usize,
    /// A weight column was given and the cell is empty or not a number.
    pub missing_weight: usize,
    /// Weight ≤ 0 or not finite (returns, cancellations): not a positive signal.
    pub non_positive_weight: usize,
    /// A timestamp column was given and the cell is empty or not a date/time/number.
    pub missing_timestamp: usize,
    /// Rows merged into an earlier row of the same (user, item) pair.
    pub merged_duplicates: usize,
}

/// The columns to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InteractionColumns<'a> {
    pub user: &'a str,
    pub item: &'a str,
    /// Numeric; without it every row weighs 1.
    pub weight: Option<&'a str>,
    /// Date, datetime, numeric (e.g. Unix seconds) or date text.
    pub timestamp: Option<&'a str>,
}

/// One merged (user, item) pair.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pair {
    weight: f64,
    time: f64,
    row: u32,
}

/// Pushes rows; [`InteractionBuilder::finish`] builds the matrix.
#[derive(Debug, Default)]
pub struct InteractionBuilder {
    users: Interner,
    items: Interner,
    /// Integer ids already interned (a cache in front of the text index: no text per row).
    user_ints: FxHashMap<i64, u32>,
    item_ints: FxHashMap<i64, u32>,
    pairs: FxHashMap<(u32, u32), Pair>,
    report: InteractionReport,
}

/// Why a row was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    MissingUser,
    MissingItem,
    MissingWeight,
    NonPositiveWeight,
    MissingTimestamp,
}

/// A user or item cell: text, or an integer id.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Text(&'a str),
    Int(i64),
}

/// `None` for a missing key (text is trimmed; empty text counts as missing).
fn present(k: Option<Key<'_>>) -> Option<Key<'_>> {
    match k {
        Some(Key::Text(t)) => Some(t.trim()).filter(|t| !t.is_empty()).map(Key::Text),
        other => other,
    }
}

fn intern_key(names: &mut Interner, ints: &mut FxHashMap<i64, u32>, key: Key<'_>) -> u32 {
    match key {
        Key::Text(t) => names.intern(t),
        Key::Int(v) => *ints.entry(v).or_insert_with(|| names.intern(&v.to_string())),
    }
}

impl InteractionBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a row that was left out.
    pub fn skip(&mut self, why: Skip) {
        self.report.rows += 1;
        let n = match why {
            Skip::MissingUser => &mut self.report.missing_user,
            Skip::MissingItem => &mut self.report.missing_item,
            Skip::MissingWeight => &mut self.report.missing_weight,
            Skip::NonPositiveWeight => &mut self.report.non_positive_weight,
            Skip::MissingTimestamp => &mut self.report.missing_timestamp,
        };
        *n += 1;
    }

    /// One row: user and item (trimmed; empty counts as missing), a weight (default 1) and a
    /// time (any increasing number; NaN when unknown).
    pub fn push(&mut self, user: Option<&str>, item: Option<&str>, weight: f64, time: f64) {
        self.push_key(user.map(Key::Text), item.map(Key::Text), weight, time)
    }

    /// [`push`](Self::push) with keys that may be integer ids (the same as their decimal text).
    pub fn push_key(&mut self, user: Option<Key<'_>>, item: Option<Key<'_>>, weight: f64, time: f64) {
        let (user, item) = (present(user), present(item));
        let (Some(user), Some(item)) = (user, item) else {
            return self.skip(if user.is_none() { Skip::MissingUser } else { Skip::MissingItem });
        };
        if !(weight.is_finite() && weight > 0.0) {
            return self.skip(Skip::NonPositiveWeight);
        }
        let row = self.report.rows as u32;
        self.report.rows += 1;
        self.report.used += 1;
        let u = intern_key(&mut self.users, &mut self.user_ints, user);
        let i = intern_key(&mut self.items, &mut self.item_ints, item);
        match self.pairs.get_mut(&(u, i)) {
            Some(p) => {
                self.report.merged_duplicates += 1;
                p.weight += weight;
                // The latest time wins; an equal time moves the pair to this later row.
                let later = time.is_nan() || p.time.is_nan() || time >= p.time;
                if later {
                    p.time = if time.is_nan() { p.time } else { time };
                    p.row = row;
                }
            }
            None => {
                self.pairs.insert((u, i), Pair { weight, time, row });
            }
        }
    }

    pub fn finish(self) -> Result<Interactions> {
        if self.pairs.is_empty() {
            return Err(CrmError::empty(format!(
                "no usable interaction among {} rows (missing user {}, missing item {}, missing weight {}, \
                 non-positive weight {}, missing timestamp {})",
                self.report.rows,
                self.report.missing_user,
                self.report.missing_item,
                self.report.missing_weight,
                self.report.non_positive_weight,
                self.report.missing_timestamp
            )));
        }
        let unsorted: Vec<((u32, u32), Pair)> = self.pairs.into_iter().collect();
        let mut order: Vec<(u64, u32)> =
            unsorted.iter().enumerate().map(|(k, ((u, i), _))| (((*u as u64) << 32) | *i as u64, k as u32)).collect();
        super::topk::sort_keyed(&mut order);
        let pairs: Vec<((u32, u32), Pair)> = order.into_iter().map(|(_, k)| unsorted[k as usize]).collect();
        let triples = pairs.iter().map(|&((u, i), p)| (u, i, p.weight as f32)).collect();
        let matrix = Csr::from_triples(self.users.len(), self.items.len(), triples);
        let time = pairs.iter().map(|p| p.1.time).collect();
        let row = pairs.iter().map(|p| p.1.row).collect();
        let names = |n: &Interner| n.iter().map(String::from).collect();
        Ok(Interactions {
            users: names(&self.users),
            items: names(&self.items),
            matrix,
            time,
            row,
            report: self.report,
        })
    }
}

/// The interaction matrix with the names of its rows (users) and columns (items).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interactions {
    /// In order of first appearance.
    pub users: Vec<String>,
    pub items: Vec<String>,
    /// users × items, summed weights.
    pub matrix: Csr,
    /// Parallel to `matrix.data`: the latest time of the pair (NaN if unknown; `null` in JSON).
    #[serde(with = "nan_as_null")]
    pub time: Vec<f64>,
    /// Parallel to `matrix.data`: the input row of the pair's latest occurrence.
    pub row: Vec<u32>,
    pub report: InteractionReport,
}

impl Interactions {
    /// A sub-matrix keeping the entries for which `keep(entry)` holds (same users and items).
    pub fn subset(&self, keep: impl Fn(usize) -> bool) -> Interactions {
        let m = &self.matrix;
        let mut indptr = Vec::with_capacity(m.rows + 1);
        indptr.push(0u32);
        let (mut indices, mut data, mut time, mut row) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for r in 0..m.rows {
            for e in m.indptr[r] as usize..m.indptr[r + 1] as usize {
                if keep(e) {
                    indices.push(m.indices[e]);
                    data.push(m.data[e]);
                    time.push(self.time[e]);
                    row.push(self.row[e]);
                }
            }
            indptr.push(indices.len() as u32);
        }
        Interactions {
            users: self.users.clone(),
            items: self.items.clone(),
            matrix: Csr { rows: m.rows, cols: m.cols, indptr, indices, data },
            time,
            row,
            report: self.report.clone(),
        }
    }
}

/// JSON has no NaN: unknown times are written as `null` and read back as NaN.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let opt: Vec<Option<f64>> = v.iter().map(|&x| (!x.is_nan()).then_some(x)).collect();
        opt.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let opt: Vec<Option<f64>> = Vec::deserialize(d)?;
        Ok(opt.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
    }
}

fn numeric(v: Value<'_>) -> Option<f64> {
    match v {
        Value::Int(x) => Some(x as f64),
        Value::Float(x) => Some(x),
        _ => None,
    }
}

fn time_of(v: Value<'_>) -> Option<f64> {
    match v {
        Value::Int(x) => Some(x as f64),
        Value::Float(x) if x.is_finite() => Some(x),
        Value::Date(d) => Some(d as f64 * MS_PER_DAY as f64),
        Value::Datetime(ms) | Value::DatetimeUtc(ms) => Some(ms as f64),
        Value::Str(s) => crate::cells::values::parse_day(s).map(|d| d as f64 * MS_PER_DAY as f64),
        _ => None,
    }
}

/// Reads `ds` (see [`InteractionColumns`]).
fn key_of<'a>(v: Value<'a>, buf: &'a mut String) -> Option<Key<'a>> {
    match v {
        Value::Int(i) => Some(Key::Int(i)),
        other => other.text_in(buf).map(Key::Text),
    }
}

pub fn interactions_from_dataset(ds: &Dataset, cols: &InteractionColumns<'_>) -> Result<Interactions> {
    let user = ds.column(cols.user)?;
    let item = ds.column(cols.item)?;
    let weight = match cols.weight {
        Some(name) => {
            let c = ds.column(name)?;
            if !matches!(c.dtype(), DataType::Int64 | DataType::Float64) {
                return Err(CrmError::invalid_option(
                    "weight",
                    format!("column `{name}` is {:?}; a numeric column is needed", c.dtype()),
                ));
            }
            Some(c)
        }
        None => None,
    };
    let timestamp = match cols.timestamp {
        Some(name) => Some(ds.column(name)?),
        None => None,
    };
    if let Some(c) = timestamp {
        if c.dtype() == DataType::Bool {
            return Err(CrmError::invalid_option(
                "timestamp",
                format!("column `{}` is bool; a date, datetime, numeric or date-text column is needed", c.name),
            ));
        }
    }
    let mut b = InteractionBuilder::new();
    let (mut user_text, mut item_text) = (String::new(), String::new());
    for r in 0..ds.num_rows() {
        let w = match weight {
            None => 1.0,
            Some(c) => match numeric(c.get(r)) {
                Some(w) => w,
                None => {
                    b.skip(Skip::MissingWeight);
                    continue;
                }
            },
        };
        let t = match timestamp {
            None => f64::NAN,
            Some(c) => match time_of(c.get(r)) {
                Some(t) => t,
                None => {
                    b.skip(Skip::MissingTimestamp);
                    continue;
                }
            },
        };
        let u = key_of(user.get(r), &mut user_text);
        let i = key_of(item.get(r), &mut item_text);
        b.push_key(u, i, w, t);
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_pairs_and_counts_skips() {
        let mut b = InteractionBuilder::new();
        b.push(Some("a"), Some("x"), 1.0, 10.0);
        b.push(Some("a"), Some("y"), 2.0, 5.0);
        b.push(Some("a"), Some("x"), 1.5, 3.0);
        b.push(None, Some("x"), 1.0, 1.0);
        b.push(Some("b"), Some(" "), 1.0, 1.0);
        b.push(Some("b"), Some("y"), -1.0, 1.0);
        b.push(Some(" b "), Some("y"), 1.0, 7.0);
        let it = b.finish().unwrap();
        assert_eq!(it.users, vec!["a", "b"]);
        assert_eq!(it.items, vec!["x", "y"]);
        let r = &it.report;
        assert_eq!((r.rows, r.used, r.missing_user, r.missing_item, r.non_positive_weight), (7, 4, 1, 1, 1));
        assert_eq!(r.merged_duplicates, 1);
        assert_eq!(it.matrix.get(0, 0), Some(2.5));
        assert_eq!(it.time[0], 10.0); // the latest time of (a, x), not the last row's
        assert_eq!(it.row[0], 0);
        assert_eq!(it.matrix.get(1, 1), Some(1.0));
        assert_eq!(it.row[2], 6);
        let json = serde_json::to_string(&it).unwrap();
        let back: Interactions = serde_json::from_str(&json).unwrap();
        assert_eq!(back.matrix, it.matrix);
        let mut b2 = InteractionBuilder::new();
        b2.push(Some("a"), Some("x"), 1.0, f64::NAN);
        let untimed = b2.finish().unwrap();
        let back: Interactions = serde_json::from_str(&serde_json::to_string(&untimed).unwrap()).unwrap();
        assert!(back.time[0].is_nan());
        let sub = it.subset(|e| e != 0);
        assert_eq!(sub.matrix.nnz(), 2);
        assert_eq!(sub.matrix.get(0, 0), None);
    }

    #[test]
    fn nothing_usable_is_an_error() {
        let mut b = InteractionBuilder::new();
        b.push(None, Some("x"), 1.0, 0.0);
        assert_eq!(b.finish().unwrap_err().code(), "EMPTY_INPUT");
    }
}
