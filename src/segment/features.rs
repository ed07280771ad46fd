//! From a [`Dataset`] to the numbers clustering works on: the chosen columns, missing values
//! imputed or their rows dropped (both counted), numeric columns scaled, categories coded
//! (and one-hot encoded on demand), column weights applied.

use crate::stats::quantile_sorted;
use serde::Serialize;

use super::options::{Missing, Params, Scaling};
use crate::error::{CrmError, Result};
use crate::table::{Column, ColumnData, DataType, Dataset, Role};

/// Categories with more distinct values than this are left out of the default column choice.
pub const MAX_DEFAULT_LEVELS: usize = 50;
/// More levels than this is an error even for a column asked for by name.
pub const MAX_LEVELS: usize = 1000;
/// Most encoded features (numeric columns + category levels): the projection's d × d Jacobi
/// eigen-solve is O(d³) per sweep (d = 512: about 2 s in wasm).
pub const MAX_DIMS: usize = 512;
/// Largest magnitude of a value, before and after scaling: means, squared distances and
/// their sums over 10^8 rows stay finite.
pub const MAX_SCALED: f64 = 1e150;

#[derive(Debug, Clone)]
pub struct NumericFeature {
    pub name: String,
    /// Scaled value = (x − center) / scale; the distance uses it × √weight.
    pub center: f64,
    pub scale: f64,
    pub weight: f64,
    /// Value put in for a missing cell (the column mean).
    pub fill: f64,
}

#[derive(Debug, Clone)]
pub struct CategoryFeature {
    pub name: String,
    pub levels: Vec<String>,
    pub weight: f64,
    /// Code put in for a missing cell (the most frequent level).
    pub fill: u32,
}

/// A column and what happened to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ColumnNote {
    pub column: String,
    pub note: String,
}

/// What preparation did to the table: rows used and dropped, cells imputed, columns left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Preparation {
    pub rows_total: usize,
    pub rows_used: usize,
    /// Rows left out because a chosen column was missing (with `missing: "drop"`); their label is -1.
    pub rows_dropped: usize,
    pub numeric_columns: Vec<String>,
    pub categorical_columns: Vec<String>,
    /// Missing cells filled in, per column (`note` says with what and how many).
    pub imputed: Vec<ColumnNote>,
    /// Columns not used by the default choice, and why.
    pub excluded: Vec<ColumnNote>,
    pub scaling: String,
}

#[derive(Debug, Clone)]
pub struct Features {
    /// Dataset row of each used row.
    pub rows: Vec<usize>,
    /// Scaled numeric values (weights not applied), row-major (`rows.len()` × `numeric.len()`).
    pub num: Vec<f64>,
    /// Category codes, row-major (`rows.len()` × `categories.len()`).
    pub cats: Vec<u32>,
    pub numeric: Vec<NumericFeature>,
    pub categories: Vec<CategoryFeature>,
    pub report: Preparation,
}

enum Kind {
    Numeric(Vec<f64>),
    Category(Vec<Option<u32>>, Vec<String>),
}

fn read(col: &Column) -> Option<Kind> {
    match &col.data {
        ColumnData::Int64(_) | ColumnData::Float64(_) => {
            let v = col.to_f64()?.into_iter().map(|x| if x.is_finite() { x } else { f64::NAN }).collect();
            Some(Kind::Numeric(v))
        }
        ColumnData::Bool(b) => Some(Kind::Category(
            b.iter().enumerate().map(|(i, &x)| col.validity.is_valid(i).then_some(x as u32)).collect(),
            vec!["false".into(), "true".into()],
        )),
        ColumnData::Category { codes, dict } => Some(Kind::Category(
            codes.iter().enumerate().map(|(i, &c)| col.validity.is_valid(i).then_some(c)).collect(),
            dict.clone(),
        )),
        _ => None,
    }
}

/// Why a column is not in the default choice (`None` = it is).
pub(crate) fn default_exclusion(col: &Column) -> Option<String> {
    if let Some(r @ (Role::Id | Role::Email | Role::Phone | Role::Url | Role::FreeText | Role::PostalCode)) = col.role {
        return Some(format!("role {}: identifies rather than describes a customer", r.name()));
    }
    match (&col.data, col.dtype()) {
        (_, DataType::Text) => Some("free text".into()),
        (_, DataType::Date | DataType::Datetime) => {
            Some("date (derive a numeric column such as days since, then name it)".into())
        }
        (ColumnData::Category { dict, .. }, _) if dict.len() > MAX_DEFAULT_LEVELS => {
            Some(format!("{} distinct values (more than {MAX_DEFAULT_LEVELS})", dict.len()))
        }
        _ if col.null_count() == col.len() => Some("every value is missing".into()),
        _ => None,
    }
}

fn center_scale(values: &[f64], scaling: Scaling) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let std = (values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt();
    let nonzero = |s: f64| if s > 0.0 && s.is_finite() { s } else { 1.0 };
    match scaling {
        Scaling::None => (0.0, 1.0),
        Scaling::Standard => (mean, nonzero(std)),
        Scaling::Robust => {
            let mut s = values.to_vec();
            crate::sort::f64s(&mut s);
            let iqr = quantile_sorted(&s, 0.75) - quantile_sorted(&s, 0.25);
            (quantile_sorted(&s, 0.5), if iqr > 0.0 { iqr } else { nonzero(std) })
        }
    }
}

/// Prepares the chosen columns of `ds` (see [`Params`]).
pub fn prepare(ds: &Dataset, p: &Params) -> Result<Features> {
    let mut report = Preparation {
        rows_total: ds.num_rows(),
        scaling: match p.scaling {
            Scaling::Standard => "standard",
            Scaling::Robust => "robust",
            Scaling::None => "none",
        }
        .into(),
        ..Default::default()
    };
    let mut chosen: Vec<&Column> = Vec::new();
    match &p.columns {
        Some(names) => {
            for name in names {
                let col = ds.column(name)?;
                if chosen.iter().any(|c| c.name == *name) {
                    return Err(CrmError::invalid_option("columns", format!("column `{name}` is named twice")));
                }
                match col.dtype() {
                    DataType::Text | DataType::Date | DataType::Datetime => {
                        return Err(CrmError::invalid_option(
                            "columns",
                            format!(
                                "column `{name}` is {}; segment uses numeric, boolean and category columns",
                                col.dtype().name()
                            ),
                        ))
                    }
                    _ => {}
                }
                if col.null_count() == col.len() {
                    return Err(CrmError::invalid_option(
                        "columns",
                        format!("every value of column `{name}` is missing"),
                    ));
                }
                if let ColumnData::Category { dict, .. } = &col.data {
                    if dict.len() > MAX_LEVELS {
                        return Err(CrmError::invalid_option(
                            "columns",
                            format!("column `{name}` has {} distinct values (at most {MAX_LEVELS})", dict.len()),
                        ));
                    }
                }
                chosen.push(col);
            }
        }
        None => {
            for col in ds.columns() {
                match default_exclusion(col) {
                    Some(why) => report.excluded.push(ColumnNote { column: col.name.clone(), note: why }),
                    None => chosen.push(col),
                }
            }
            if chosen.is_empty() {
                return Err(CrmError::invalid_option(
                    "columns",
                    "no numeric, boolean or category column to segment on",
                ));
            }
        }
    }
    for name in p.weights.keys() {
        if !chosen.iter().any(|c| c.name == *name) {
            return Err(CrmError::invalid_option("weights", format!("`{name}` is not one of the segmented columns")));
        }
    }
    if ds.num_rows() == 0 {
        return Err(CrmError::empty("the dataset has no rows"));
    }
    // The encoded width sizes the d × d projection and every k × d array: checked before
    // anything is allocated (finding 09: 16,385 columns overflowed a d × d allocation).
    let dims: usize = chosen
        .iter()
        .map(|c| match &c.data {
            ColumnData::Category { dict, .. } => dict.len(),
            ColumnData::Bool(_) => 2,
            _ => 1,
        })
        .sum();
    if dims > MAX_DIMS {
        return Err(CrmError::too_large(
            "columns",
            format!(
                "{} columns encode to {dims} features (categories one-hot); segment takes at most {MAX_DIMS}: \
                 name fewer columns in `columns`",
                chosen.len()
            ),
        ));
    }

    let kinds: Vec<Kind> = chosen.iter().map(|c| read(c).expect("checked column type")).collect();
    let n_all = ds.num_rows();
    let keep: Vec<usize> = match p.missing {
        Missing::Impute => (0..n_all).collect(),
        Missing::Drop => (0..n_all)
            .filter(|&i| {
                kinds.iter().all(|k| match k {
                    Kind::Numeric(v) => !v[i].is_nan(),
                    Kind::Category(c, _) => c[i].is_some(),
                })
            })
            .collect(),
    };
    if keep.is_empty() {
        return Err(CrmError::empty("every row has a missing value in the chosen columns (try missing: \"impute\")"));
    }
    report.rows_used = keep.len();
    report.rows_dropped = n_all - keep.len();

    let n = keep.len();
    let (mut numeric, mut categories) = (Vec::new(), Vec::new());
    let (mut num_cols, mut cat_cols): (Vec<Vec<f64>>, Vec<Vec<u32>>) = (Vec::new(), Vec::new());
    for (col, kind) in chosen.iter().zip(kinds) {
        let weight = p.weights.get(&col.name).copied().unwrap_or(1.0);
        match kind {
            Kind::Numeric(v) => {
                let mut vals: Vec<f64> = keep.iter().map(|&i| v[i]).collect();
                let present: Vec<f64> = vals.iter().copied().filter(|x| !x.is_nan()).collect();
                let fill = present.iter().sum::<f64>() / present.len() as f64;
                let missing = n - present.len();
                if missing > 0 {
                    vals.iter_mut().filter(|x| x.is_nan()).for_each(|x| *x = fill);
                    report.imputed.push(ColumnNote {
                        column: col.name.clone(),
                        note: format!(
                            "{missing} missing values set to the mean {}",
                            crate::table::column::format_float(fill)
                        ),
                    });
                }
                let (center, scale) = center_scale(&vals, p.scaling);
                vals.iter_mut().for_each(|x| *x = (*x - center) / scale);
                // Squared distances and sums over the rows must stay finite (finding 08: values
                // near 1e308 gave infinite centroids).
                let raw_ok = present.iter().all(|x| x.abs() <= MAX_SCALED);
                if !(raw_ok && center.is_finite() && vals.iter().all(|x| x.abs() <= MAX_SCALED)) {
                    return Err(CrmError::too_large(
                        "columns",
                        format!(
                            "column `{}` has values too large to measure distances with (beyond ±{MAX_SCALED:e} \
                             after scaling); rescale it or leave it out",
                            col.name
                        ),
                    ));
                }
                report.numeric_columns.push(col.name.clone());
                numeric.push(NumericFeature { name: col.name.clone(), center, scale, weight, fill });
                num_cols.push(vals);
            }
            Kind::Category(codes, levels) => {
                let mut counts = vec![0usize; levels.len()];
                for &i in &keep {
                    if let Some(c) = codes[i] {
                        counts[c as usize] += 1;
                    }
                }
                let fill = (0..counts.len()).max_by_key(|&j| (counts[j], std::cmp::Reverse(j))).unwrap_or(0) as u32;
                let missing = keep.iter().filter(|&&i| codes[i].is_none()).count();
                if missing > 0 {
                    report.imputed.push(ColumnNote {
                        column: col.name.clone(),
                        note: format!(
                            "{missing} missing values set to the most frequent value {:?}",
                            levels[fill as usize]
                        ),
                    });
                }
                report.categorical_columns.push(col.name.clone());
                categories.push(CategoryFeature { name: col.name.clone(), levels, weight, fill });
                cat_cols.push(keep.iter().map(|&i| codes[i].unwrap_or(fill)).collect());
            }
        }
    }
    let (p_num, q_cat) = (num_cols.len(), cat_cols.len());
    let mut num = vec![0.0; n * p_num];
    for (j, c) in num_cols.iter().enumerate() {
        for i in 0..n {
            num[i * p_num + j] = c[i];
        }
    }
    let mut cats = vec![0u32; n * q_cat];
    for (j, c) in cat_cols.iter().enumerate() {
        for i in 0..n {
            cats[i * q_cat + j] = c[i];
        }
    }
    Ok(Features { rows: keep, num, cats, numeric, categories, report })
}

impl Features {
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// Width of [`Features::dense`]: numeric columns plus one per category level.
    pub fn dense_dim(&self) -> usize {
        self.numeric.len() + self.categories.iter().map(|c| c.levels.len()).sum::<usize>()
    }

    /// Scaled numerics × √weight, row-major: the numeric part of every distance.
    pub fn weighted_numeric(&self) -> Vec<f64> {
        let p = self.numeric.len();
        let roots: Vec<f64> = self.numeric.iter().map(|f| f.weight.sqrt()).collect();
        self.num.iter().enumerate().map(|(i, x)| x * roots[i % p]).collect()
    }

    /// The rows as one dense row-major matrix: scaled numerics × √weight, then each
    /// category one-hot encoded with `onehot × √weight` for the row's level (0 for the others).
    pub fn dense(&self, onehot: f64) -> Result<Vec<f64>> {
        let (n, p, q, dim) = (self.len(), self.numeric.len(), self.categories.len(), self.dense_dim());
        let mut out = crate::budget::zeroed(n.saturating_mul(dim), "columns", "the encoded rows × features matrix")?;
        let roots: Vec<f64> = self.categories.iter().map(|c| onehot * c.weight.sqrt()).collect();
        let num_roots: Vec<f64> = self.numeric.iter().map(|f| f.weight.sqrt()).collect();
        for i in 0..n {
            let row = &mut out[i * dim..(i + 1) * dim];
            for j in 0..p {
                row[j] = self.num[i * p + j] * num_roots[j];
            }
            let mut offset = p;
            for (j, c) in self.categories.iter().enumerate() {
                row[offset + self.cats[i * q + j] as usize] = roots[j];
                offset += c.levels.len();
            }
        }
        Ok(out)
    }

    /// The original (unscaled, imputed) value of numeric column `j` for used row `i`.
    pub fn original(&self, i: usize, j: usize) -> f64 {
        let f = &self.numeric[j];
        self.num[i * self.numeric.len() + j] * f.scale + f.center
    }
}
