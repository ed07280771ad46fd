//! The cleaning plan: what `dataset.clean(plan)` should do. Steps run in a fixed order:
//! convert → trim → case → standardize → fill → outliers → dedupe → fuzzyDedupe.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `"all"` text columns, or a list of names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum ColumnSet {
    List(Vec<String>),
    Keyword(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    Lower,
    Upper,
    Title,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Standard {
    /// Trimmed, lower-cased, `mailto:` and inner spaces removed.
    Email,
    /// `+86` + 11 digits for Chinese mobiles, `+` + digits for international numbers, else digits.
    Phone,
}

/// How to fill missing values: `"mean"`, `"median"`, `"mode"`, `"previous"` (last value
/// above), or `{ "constant": value }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum Fill {
    Method(String),
    Constant {
        #[cfg_attr(feature = "ts", tsify(type = "string | number | boolean"))]
        constant: serde_json::Value,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum OutlierMethod {
    /// Outside [p25 − k·IQR, p75 + k·IQR] (k = 1.5 by default).
    #[default]
    Iqr,
    /// Modified z-score 0.6745·|x − median| / MAD above k (3.5 by default).
    Mad,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum OutlierAction {
    /// Add a boolean column `<name>_outlier`.
    #[default]
    Flag,
    /// Drop the rows (each logged).
    Drop,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct OutlierRule {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub method: OutlierMethod,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub action: OutlierAction,
    /// The multiplier k (default 1.5 for IQR, 3.5 for MAD).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub k: Option<f64>,
}

/// One name column, or several (e.g. `["first", "last"]`) joined with spaces.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum NameColumns {
    One(String),
    Many(Vec<String>),
}

/// Fuzzy customer deduplication.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct FuzzyDedupe {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub name: Option<NameColumns>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub email: Option<String>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub phone: Option<String>,
    /// Pairs scoring at least this are the same customer (default 0.85).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub threshold: f64,
    /// Drop every record of a group but the suggested survivor (default false: only report).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub drop: bool,
    /// Blocks larger than this are not compared pairwise (counted in the result; default 500).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_block: usize,
}

impl Default for FuzzyDedupe {
    fn default() -> Self {
        FuzzyDedupe { name: None, email: None, phone: None, threshold: 0.85, drop: false, max_block: 500 }
    }
}

/// `dataset.clean(plan)`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
// The per-column maps are plain objects in JS (`{ email: "lower" }`), so `Record`, not `Map`.
#[cfg_attr(feature = "ts", tsify(hashmap_as_object))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CleanPlan {
    /// Trim and collapse inner whitespace in these text columns (`"all"`: every text column).
    #[cfg_attr(feature = "ts", tsify(optional, type = "string[] | \"all\""))]
    pub trim: Option<ColumnSet>,
    /// Column → `"lower"`, `"upper"` or `"title"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub case: BTreeMap<String, CaseMode>,
    /// Column → `"email"` or `"phone"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub standardize: BTreeMap<String, Standard>,
    /// Column → `"int64"`, `"float64"`, `"bool"`, `"date"`, `"category"` or `"text"`;
    /// values that do not convert become missing, each logged.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub convert: BTreeMap<String, String>,
    /// Column → fill rule for its missing values.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub fill: BTreeMap<String, Fill>,
    /// Numeric column → outlier rule.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub outliers: BTreeMap<String, OutlierRule>,
    /// Drop rows equal in every column to an earlier row.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub dedupe: bool,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub fuzzy_dedupe: Option<FuzzyDedupe>,
    /// At most this many changes listed in the log (counts stay exact; default 100 000).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_log: usize,
}

impl Default for CleanPlan {
    fn default() -> Self {
        CleanPlan {
            trim: None,
            case: BTreeMap::new(),
            standardize: BTreeMap::new(),
            convert: BTreeMap::new(),
            fill: BTreeMap::new(),
            outliers: BTreeMap::new(),
            dedupe: false,
            fuzzy_dedupe: None,
            max_log: 100_000,
        }
    }
}
