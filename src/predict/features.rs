//! Which columns become features and how: numbers as they are, booleans as 0/1, dates as
//! age in days, categories one-hot (most frequent levels); ids, free text, contact
//! details, constant and empty columns left out with the reason. Missing values stay `NaN`
//! here (trees route them natively; linear models impute and add an indicator).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::matrix::{checked_cells, Mat};
use crate::error::{CrmError, Result};
use crate::table::date::MS_PER_DAY;
use crate::table::{Column, ColumnData, DataType, Dataset, Role, Value};

/// Most one-hot levels kept per category column (the most frequent; the rest read as none).
pub const MAX_LEVELS: usize = 30;
/// Largest magnitude of a numeric feature's value (as `segment`'s `MAX_SCALED`).
pub const MAX_MAGNITUDE: f64 = 1e150;

/// Most encoded columns in total.
pub const MAX_ENCODED: usize = 4096;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Encoding {
    Number,
    Bool,
    /// Age in days at `reference` (days since 1970-01-01): `reference - date`.
    Age {
        reference: f64,
    },
    /// One 0/1 column per level; other and missing values are all zeros.
    Category {
        levels: Vec<String>,
        /// Values seen in training but not kept as levels (rarer than the [`MAX_LEVELS`] most
        /// frequent, or seen once), as sorted [`seen_hash`]es, the [`MAX_OTHERS`] most frequent;
        /// scoring tells them apart from values training never saw. Absent in older models.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        others: Vec<u32>,
    },
}

/// One input column as the model sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Feature {
    pub name: String,
    pub encoding: Encoding,
    /// Share of training rows where it was missing.
    pub missing: f64,
}

impl Feature {
    pub fn width(&self) -> usize {
        match &self.encoding {
            Encoding::Category { levels, .. } => levels.len(),
            _ => 1,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self.encoding {
            Encoding::Number => "number",
            Encoding::Bool => "bool",
            Encoding::Age { .. } => "ageInDays",
            Encoding::Category { .. } => "category",
        }
    }
}

/// A column that is not a feature, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeftOut {
    pub name: String,
    pub reason: String,
}

/// The encoded columns in order, and for each the feature it came from.
pub fn owners(features: &[Feature]) -> Vec<usize> {
    features.iter().enumerate().flat_map(|(f, ft)| std::iter::repeat_n(f, ft.width())).collect()
}

/// Chooses features among `candidates` from the training rows `rows`; `forced` when the
/// user listed them (then unusable ones are errors, not silent omissions).
pub fn choose(
    candidates: &[&Column],
    rows: &[usize],
    forced: bool,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Feature>, Vec<LeftOut>)> {
    let (mut used, mut out) = (Vec::new(), Vec::new());
    let mut width = 0usize;
    for &c in candidates {
        match plan(c, rows, warnings) {
            Ok(f) => {
                width += f.width();
                used.push(f)
            }
            Err(reason) if forced => {
                return Err(CrmError::invalid_option(
                    "features",
                    format!("column `{}` cannot be used: {reason}", c.name),
                ))
            }
            Err(reason) => out.push(LeftOut { name: c.name.clone(), reason }),
        }
    }
    if width > MAX_ENCODED {
        return Err(CrmError::too_large(
            "features",
            format!("{width} encoded columns exceed the limit of {MAX_ENCODED}; list fewer features"),
        ));
    }
    checked_cells(rows.len(), width, "features")?;
    Ok((used, out))
}

fn plan(c: &Column, rows: &[usize], warnings: &mut Vec<String>) -> std::result::Result<Feature, String> {
    let valid = rows.iter().filter(|&&r| c.validity.is_valid(r)).count();
    if valid == 0 {
        return Err("every value is missing".into());
    }
    let missing = 1.0 - valid as f64 / rows.len() as f64;
    match c.role {
        Some(Role::Id) => return Err("an identifier".into()),
        Some(Role::Email | Role::Phone | Role::Url) => return Err("a contact detail, not a customer trait".into()),
        Some(Role::FreeText) => return Err("free text".into()),
        _ => {}
    }
    let encoding = match &c.data {
        ColumnData::Int64(_) | ColumnData::Float64(_) => {
            // Values past ±1e150 overflow the scaler's sums of squares (and the products of a
            // linear model) to infinity: such a column is left out, as segment refuses it.
            if let Some(x) = c.to_f64() {
                if let Some(&v) = rows.iter().map(|&r| &x[r]).find(|v| v.is_finite() && v.abs() > MAX_MAGNITUDE) {
                    return Err(format!("values too large to scale (e.g. {v:e}; the limit is ±1e150)"));
                }
            }
            let first = rows.iter().map(|&r| c.get(r)).find(|v| *v != Value::Null);
            if rows.iter().all(|&r| c.get(r) == Value::Null || Some(c.get(r)) == first) {
                return Err("constant".into());
            }
            Encoding::Number
        }
        ColumnData::Bool(v) => {
            let t = rows.iter().filter(|&&r| c.validity.is_valid(r) && v[r]).count();
            if t == 0 || t == valid {
                return Err("constant".into());
            }
            Encoding::Bool
        }
        ColumnData::Date(_) | ColumnData::Datetime(_) => {
            let days = days_of(c).ok_or("not a date")?;
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for &r in rows {
                if days[r].is_finite() {
                    lo = lo.min(days[r]);
                    hi = hi.max(days[r]);
                }
            }
            if lo == hi {
                return Err("constant".into());
            }
            Encoding::Age { reference: hi }
        }
        ColumnData::Category { codes, dict } => {
            let mut counts = vec![0usize; dict.len()];
            for &r in rows {
                if c.validity.is_valid(r) {
                    if let Some(k) = codes.get(r).and_then(|&k| counts.get_mut(k as usize)) {
                        *k += 1;
                    }
                }
            }
            let distinct = counts.iter().filter(|&&k| k > 0).count();
            if distinct <= 1 {
                return Err("constant".into());
            }
            if distinct > 50 && distinct * 2 > valid {
                return Err(format!("identifier-like ({distinct} distinct values in {valid} rows)"));
            }
            let mut order: Vec<u32> = (0..dict.len() as u32).filter(|&k| counts[k as usize] >= 2).collect();
            crate::sort::by_key(&mut order, |&k| (std::cmp::Reverse(counts[k as usize]), k));
            if order.len() > MAX_LEVELS {
                warnings.push(format!(
                    "`{}` has {distinct} levels; the {MAX_LEVELS} most frequent are used, the others count as none",
                    c.name
                ));
                order.truncate(MAX_LEVELS);
            }
            if order.is_empty() {
                return Err("no level occurs twice".into());
            }
            // The other values seen, most frequent first, as hashes (see `seen_hash`).
            let mut rest: Vec<u32> =
                (0..dict.len() as u32).filter(|&k| counts[k as usize] > 0 && !order.contains(&k)).collect();
            crate::sort::by_key(&mut rest, |&k| (std::cmp::Reverse(counts[k as usize]), k));
            rest.truncate(MAX_OTHERS);
            let mut others: Vec<u32> = rest.iter().map(|&k| seen_hash(&dict[k as usize])).collect();
            others.sort_unstable();
            others.dedup();
            Encoding::Category { levels: order.iter().map(|&k| dict[k as usize].clone()).collect(), others }
        }
        ColumnData::Text(t) => {
            let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
            for &r in rows {
                if c.validity.is_valid(r) && r < t.len() {
                    seen.insert(t.get(r));
                }
            }
            return Err(if seen.len() * 2 > valid {
                format!("identifier-like ({} distinct values in {valid} rows)", seen.len())
            } else {
                "free text".into()
            });
        }
    };
    Ok(Feature { name: c.name.clone(), encoding, missing })
}

/// Days since 1970-01-01 of a date or datetime column (`NaN` for missing).
fn days_of(c: &Column) -> Option<Vec<f64>> {
    let ms = c.to_millis()?;
    Some(ms.into_iter().map(|m| m / MS_PER_DAY as f64).collect())
}

/// Encodes `rows` of `ds` (all rows when `None`) into a matrix with one column per level.
pub fn encode(ds: &Dataset, features: &[Feature], rows: Option<&[usize]>) -> Result<Mat> {
    encode_counted(ds, features, rows, &mut Vec::new())
}

/// What scoring a table read differently from training, per feature (see [`Tally::warnings`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub feature: String,
    /// Category values that training never saw (encoded as no known level).
    pub unknown_levels: u64,
    /// Category values seen in training but not kept as levels (encoded as no known level,
    /// as they were in training; not a warning).
    pub seen_not_kept: u64,
    /// Numeric cells read as missing: unparseable text, or past ±[`MAX_MAGNITUDE`].
    pub unreadable: u64,
    /// The first such value, as text.
    pub example: Option<String>,
}

impl Tally {
    /// One warning per feature with something to say.
    pub fn warnings(tallies: &[Tally]) -> Vec<String> {
        let eg = |t: &Tally| t.example.as_ref().map_or(String::new(), |e| format!(" (e.g. `{e}`)"));
        let mut out = Vec::new();
        for t in tallies {
            if t.unknown_levels > 0 {
                out.push(format!(
                    "`{}`: {} value(s) are not among the model's levels{}; training never saw them; they were scored as no known level",
                    t.feature,
                    t.unknown_levels,
                    eg(t)
                ));
            }
            if t.unreadable > 0 {
                out.push(format!(
                    "`{}`: {} value(s) could not be read as numbers or are past ±1e150{}; they were scored as missing",
                    t.feature,
                    t.unreadable,
                    eg(t)
                ));
            }
        }
        out
    }
}

/// The feature columns `ds` lacks: an `UNKNOWN_COLUMN` error naming all of them.
pub fn check_columns(ds: &Dataset, features: &[Feature]) -> Result<()> {
    let missing: Vec<&str> = features.iter().map(|f| f.name.as_str()).filter(|n| ds.column(n).is_err()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    // The error's name (its `field`) lists them all: `a`, `b` in the message.
    Err(CrmError::UnknownColumn { name: missing.join("`, `") })
}

/// [`encode`], counting per feature what was read as unknown or missing ([`Tally`]; only the
/// features with something to count are pushed to `tallies`).
pub fn encode_counted(
    ds: &Dataset,
    features: &[Feature],
    rows: Option<&[usize]>,
    tallies: &mut Vec<Tally>,
) -> Result<Mat> {
    let n = rows.map_or(ds.num_rows(), |r| r.len());
    let width: usize = features.iter().map(Feature::width).sum();
    let mut m = Mat::zeros(n, width)?;
    let mut j = 0;
    for f in features {
        let c = ds.column(&f.name)?;
        let row = |i: usize| rows.map_or(i, |r| r[i]);
        let wrong = |want: &str| {
            CrmError::invalid_option(
                "features",
                format!("column `{}` is {}; the model needs {want}", f.name, c.dtype().name()),
            )
        };
        let mut t = Tally { feature: f.name.clone(), ..Tally::default() };
        match &f.encoding {
            Encoding::Number => {
                let out = m.col_mut(j);
                if let Some(v) = c.to_f64() {
                    for (i, o) in out.iter_mut().enumerate() {
                        // Past ±1e150 a value overflows the model's sums: read as missing. (Training
                        // leaves such a column out, so this only happens when scoring new rows.)
                        let x = v[row(i)];
                        *o = if x.abs() > MAX_MAGNITUDE {
                            t.unreadable += 1;
                            t.example.get_or_insert_with(|| format!("{x:e}"));
                            f64::NAN
                        } else {
                            x
                        };
                    }
                } else if matches!(c.data, ColumnData::Text(_) | ColumnData::Category { .. }) {
                    // The new table read the column as text (a stray word among numbers):
                    // each cell parsed, the unreadable ones missing.
                    for (i, o) in out.iter_mut().enumerate() {
                        *o = match c.get(row(i)) {
                            Value::Str(s) => match crate::cells::values::parse_number(s.trim()) {
                                Some((x, _)) if x.is_finite() && x.abs() <= MAX_MAGNITUDE => x,
                                _ => {
                                    t.unreadable += 1;
                                    t.example.get_or_insert_with(|| s.chars().take(40).collect());
                                    f64::NAN
                                }
                            },
                            _ => f64::NAN,
                        };
                    }
                } else {
                    return Err(wrong("numbers"));
                }
            }
            Encoding::Bool => {
                let out = m.col_mut(j);
                for (i, o) in out.iter_mut().enumerate() {
                    *o = match c.get(row(i)) {
                        Value::Bool(b) => b as u8 as f64,
                        Value::Null => f64::NAN,
                        Value::Int(v) => v as f64,
                        Value::Str(s) => bool_text(s).ok_or_else(|| wrong("true/false values"))?,
                        _ => return Err(wrong("true/false values")),
                    };
                }
            }
            Encoding::Age { reference } => {
                let v = days_of(c).ok_or_else(|| wrong("dates"))?;
                let out = m.col_mut(j);
                for (i, o) in out.iter_mut().enumerate() {
                    *o = reference - v[row(i)];
                }
            }
            Encoding::Category { levels, others } => {
                let index: FxHashMap<&str, usize> = levels.iter().enumerate().map(|(k, s)| (s.as_str(), k)).collect();
                let mut buf = String::new();
                for i in 0..n {
                    let v = c.get(row(i));
                    if let Some(s) = v.text_in(&mut buf) {
                        match index.get(s) {
                            Some(&k) => m.col_mut(j + k)[i] = 1.0,
                            None if others.binary_search(&seen_hash(s)).is_ok() => t.seen_not_kept += 1,
                            None => {
                                t.unknown_levels += 1;
                                t.example.get_or_insert_with(|| s.chars().take(40).collect());
                            }
                        }
                    }
                }
            }
        }
        if t.unknown_levels > 0 || t.unreadable > 0 || t.seen_not_kept > 0 {
            tallies.push(t);
        }
        j += f.width();
    }
    Ok(m)
}

/// Most training values kept per category feature to tell "seen but not a level" from "never
/// seen" (4 bytes each in the model).
pub const MAX_OTHERS: usize = 4096;

/// FNV-1a (32 bits) of a category value: stable across builds and exact as a JSON number.
/// Two values may share a hash (about 1 in 10^6 for 4,096 kept values): an unseen value then
/// counts as seen, so it is not warned about.
pub fn seen_hash(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

fn bool_text(s: &str) -> Option<f64> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(1.0),
        "false" | "no" | "0" => Some(0.0),
        _ => None,
    }
}

/// Text of a feature's raw value in row `i` of `ds` (for explanations).
pub fn value_text(ds: &Dataset, name: &str, i: usize) -> String {
    ds.column(name).ok().and_then(|c| c.get(i).to_text()).unwrap_or_default()
}

/// Whether a column's type can be a feature at all.
pub fn usable_type(t: DataType) -> bool {
    t != DataType::Text
}
