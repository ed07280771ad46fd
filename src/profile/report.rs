//! The profile report: plain data, serialised to JS as a plain object (`.d.ts` by tsify).

use serde::Serialize;

use crate::cells::detect::PiiKind;
use crate::table::{DataType, Role};

/// `dataset.profile()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProfileReport {
    pub dataset: DatasetProfile,
    pub columns: Vec<ColumnProfile>,
    pub correlations: Correlations,
    /// Every alert, most severe first.
    pub alerts: Vec<Alert>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DatasetProfile {
    pub rows: u64,
    pub columns: u64,
    /// Approximate bytes held by the table's columns.
    pub memory_bytes: u64,
    /// Rows equal in every column to an earlier row: 0 without hashing when a column strictly
    /// increases or decreases with no missing value (a sorted id), else by a 64-bit hash of
    /// each whole row.
    pub duplicate_rows: u64,
    pub missing_cells: u64,
    /// Missing cells as a percentage of all cells.
    pub missing_cells_pct: f64,
    pub alerts: u64,
}

/// A value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ValueCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ColumnProfile {
    pub name: String,
    #[serde(rename = "type")]
    pub dtype: DataType,
    #[cfg_attr(feature = "ts", tsify(type = "Role | null"))]
    pub role: Option<Role>,
    /// `"numeric"`, `"date"`, `"boolean"` or `"text"`.
    pub kind: String,
    /// Non-missing values.
    pub count: u64,
    pub missing: u64,
    pub missing_pct: f64,
    /// Source tokens read as missing, with counts (e.g. `[["NA", 11]]`).
    pub missing_tokens: Vec<(String, usize)>,
    /// Distinct non-missing values: exact when `distinctExact`, else a HyperLogLog estimate (≤ 2 % error).
    pub distinct: u64,
    pub distinct_exact: bool,
    /// Distinct values as a percentage of non-missing values.
    pub distinct_pct: f64,
    /// Most frequent values; exact counts when `topExact`, else Misra–Gries lower bounds.
    pub top: Vec<ValueCount>,
    pub top_exact: bool,
    #[cfg_attr(feature = "ts", tsify(type = "NumericStats | null"))]
    pub numeric: Option<NumericStats>,
    #[cfg_attr(feature = "ts", tsify(type = "Quantiles | null"))]
    pub quantiles: Option<Quantiles>,
    #[cfg_attr(feature = "ts", tsify(type = "Histogram | null"))]
    pub histogram: Option<Histogram>,
    #[cfg_attr(feature = "ts", tsify(type = "TextStats | null"))]
    pub text: Option<TextStats>,
    #[cfg_attr(feature = "ts", tsify(type = "DateStats | null"))]
    pub dates: Option<DateStats>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NumericStats {
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub sum: f64,
    /// Sample standard deviation (n − 1), null below 2 values.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub std: Option<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub variance: Option<f64>,
    /// Adjusted Fisher–Pearson skewness (as pandas `skew`).
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub skewness: Option<f64>,
    /// Excess kurtosis, bias-corrected (as pandas `kurt`).
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub kurtosis: Option<f64>,
    pub zeros: u64,
    pub negatives: u64,
    /// NaN or infinite values (left out of the statistics).
    pub non_finite: u64,
    /// p75 − p25.
    pub iqr: f64,
    /// Median absolute deviation from the median (unscaled).
    pub mad: f64,
    /// Values outside [p25 − 1.5·IQR, p75 + 1.5·IQR].
    pub outliers_iqr: u64,
    /// Values with a modified z-score 0.6745·|x − median| / MAD above 3.5 (null when MAD is 0).
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub outliers_mad: Option<u64>,
}

/// Percentiles p1 … p99 (`values[i]` is p(i+1)), plus min (p0) and max (p100) in the stats.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Quantiles {
    /// True when computed from exact counts (linear interpolation, as numpy/pandas); false
    /// when from the quantile sketch (rank error ≤ 1 %).
    pub exact: bool,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub values: Vec<f64>,
}

/// Equal-width bins from min to max (the last bin includes max), as `numpy.histogram`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Histogram {
    /// `bins + 1` edges (dates: days since 1970-01-01; datetimes: milliseconds).
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub edges: Vec<f64>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub counts: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct TextStats {
    /// Length in characters.
    pub min_length: f64,
    pub max_length: f64,
    pub mean_length: f64,
    /// Empty or whitespace-only values.
    pub blank: u64,
    /// Values with leading or trailing whitespace.
    pub padded: u64,
    /// Values with runs of inner spaces.
    pub inner_spaces: u64,
    /// Most common shapes (`Aa 999`: letter case runs, each digit as 9).
    pub shapes: Vec<ValueCount>,
    /// How many values spell a number, a date, a boolean, or other text.
    pub spelled_number: u64,
    pub spelled_date: u64,
    pub spelled_bool: u64,
    pub spelled_text: u64,
    /// Tokens that usually mean "no value" (`unknown`, `n/a`, …), with counts.
    pub sentinels: Vec<ValueCount>,
    /// Values holding personal data, by kind.
    pub pii: Vec<PiiCount>,
    /// Groups of distinct values equal after trimming and lower-casing (`Beijing` / `beijing `).
    pub case_variants: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PiiCount {
    pub kind: PiiKind,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DateStats {
    /// ISO 8601.
    pub min: String,
    pub max: String,
    pub range_days: f64,
    /// The coarsest unit every value is a whole number of: `"year"`, `"month"`, `"day"`,
    /// `"hour"`, `"minute"`, `"second"` or `"millisecond"`.
    pub granularity: String,
}

/// Correlation matrices, row-major over their column lists (null where undefined; in
/// JavaScript each matrix is a `Float64Array` with NaN where undefined).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Correlations {
    /// Numeric columns of `pearson` and `spearman`.
    pub numeric_columns: Vec<String>,
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub pearson: Vec<Option<f64>>,
    /// Spearman's ρ: Pearson of mid-ranks (ranks from exact counts, or from the quantile
    /// sketch past `exactDistinctLimit`), pairwise-complete rows.
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub spearman: Vec<Option<f64>>,
    /// Categorical columns (text, category, boolean with 2..maxLevels values) of `cramersV`.
    pub categorical_columns: Vec<String>,
    /// Cramér's V (without bias correction).
    #[cfg_attr(feature = "ts", tsify(type = "Float64Array"))]
    pub cramers_v: Vec<Option<f64>>,
    /// The strongest pairs over all three measures, by absolute value.
    pub strongest: Vec<CorrelationPair>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CorrelationPair {
    pub a: String,
    pub b: String,
    /// `"pearson"`, `"spearman"` or `"cramersV"`.
    pub method: String,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    High,
    Warning,
    Info,
}

/// Something in the data worth a look.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// `highMissing`, `constant`, `unique`, `highCardinality`, `skewed`, `outliers`,
    /// `mixedTypes`, `whitespace`, `caseVariants`, `sentinel`, `duplicateRows`, `pii`.
    pub kind: String,
    pub severity: Severity,
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub column: Option<String>,
    pub message: String,
    /// The figure behind the alert (a share in %, a count, a skewness, …).
    pub value: f64,
}
