//! The options of `segment` (the names are the public JS contract) and their checked form.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{CrmError, Result};

/// Options of `segment(dataset, options)`. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct SegmentOptions {
    /// Columns to segment on (default: every numeric, boolean and category column that is
    /// not an id and has at most 50 distinct values if it is a category).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub columns: Option<Vec<String>>,
    /// Number of segments (at most 100, and at most the distinct rows), or `"auto"` (default)
    /// to choose it over `kRange` by silhouette.
    #[cfg_attr(feature = "ts", tsify(optional, type = "number | \"auto\""))]
    pub k: Option<serde_json::Value>,
    /// Smallest and largest k tried by `"auto"` (default `[2, 10]`; at most 30 values, each at
    /// most 100; values × `nInit` at most 300).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub k_range: Option<[usize; 2]>,
    /// `"kmeans"`, `"minibatch"`, `"kprototypes"` or `"auto"` (default: k-means up to
    /// 100,000 rows, mini-batch above; categories one-hot encoded unless `"kprototypes"`).
    #[cfg_attr(feature = "ts", tsify(optional, type = "\"kmeans\" | \"minibatch\" | \"kprototypes\" | \"auto\""))]
    pub algorithm: Option<String>,
    /// `"standard"` (default: mean 0, standard deviation 1), `"robust"` (median 0,
    /// interquartile range 1) or `"none"`.
    #[cfg_attr(feature = "ts", tsify(optional, type = "\"standard\" | \"robust\" | \"none\""))]
    pub scaling: Option<String>,
    /// `"impute"` (default: column mean / most frequent category, counted) or `"drop"`
    /// (rows with a missing value are left out, counted, and labelled -1).
    #[cfg_attr(feature = "ts", tsify(optional, type = "\"impute\" | \"drop\""))]
    pub missing: Option<String>,
    /// Seed of every random choice (default 42). Same data + same seed = same labels.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub seed: Option<u64>,
    /// Restarts from different k-means++ starts; the lowest inertia wins (default 10, 3 for
    /// mini-batch; at most 100).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub n_init: Option<usize>,
    /// Iteration cap of one run (default 300; epochs for mini-batch, default 100; at most 1,000).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_iter: Option<usize>,
    /// Relative tolerance on centre movement, as in scikit-learn (default 1e-4).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub tol: Option<f64>,
    /// Weight of a column in the distance, by column name (default 1 each).
    #[cfg_attr(feature = "ts", tsify(optional, type = "Record<string, number>"))]
    pub weights: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    KMeans,
    MiniBatch,
    KPrototypes,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::KMeans => "kmeans",
            Algorithm::MiniBatch => "minibatch",
            Algorithm::KPrototypes => "kprototypes",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scaling {
    Standard,
    Robust,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Impute,
    Drop,
}

/// Rows above which `"auto"` picks mini-batch k-means.
pub const MINIBATCH_ABOVE: usize = 100_000;

/// Largest `k` (and largest end of `kRange`): past it, segments are more than anyone can read,
/// and each Lloyd pass costs rows × k distances (the fuzz harness found k = 1,000 on 2,800 rows
/// running 60 s).
pub const MAX_K: usize = 100;
/// Most values of k `"auto"` tries (`kRange[1] − kRange[0] + 1`): each is a full clustering
/// plus a silhouette.
pub const MAX_K_TRIED: usize = 30;
/// Largest `nInit` (restarts).
pub const MAX_N_INIT: usize = 100;
/// Most clusterings one call runs: values of k tried × restarts (the default 9 × 10 = 90).
pub const MAX_RUNS: usize = 300;
/// Largest `maxIter` (k-prototypes that oscillates runs every one of them: 10,000 ran 18 s).
pub const MAX_ITER: usize = 1_000;
/// Largest column weight.
pub const MAX_WEIGHT: f64 = 1e6;

/// Checked options; `k == None` means automatic.
#[derive(Debug, Clone)]
pub struct Params {
    pub columns: Option<Vec<String>>,
    pub k: Option<usize>,
    pub k_range: (usize, usize),
    /// `None` = decide from the data (see [`Params::algorithm_for`]).
    pub algorithm: Option<Algorithm>,
    pub scaling: Scaling,
    pub missing: Missing,
    pub seed: u64,
    pub n_init: Option<usize>,
    pub max_iter: Option<usize>,
    pub tol: f64,
    pub weights: BTreeMap<String, f64>,
}

fn choice<T: Copy>(field: &str, v: Option<&str>, default: T, table: &[(&str, T)]) -> Result<T> {
    let Some(v) = v else { return Ok(default) };
    table.iter().find(|(name, _)| *name == v).map(|(_, t)| *t).ok_or_else(|| {
        let names: Vec<String> = table.iter().map(|(n, _)| format!("{n:?}")).collect();
        CrmError::invalid_option(field, format!("expected one of {}, got {v:?}", names.join(", ")))
    })
}

impl SegmentOptions {
    pub fn check(&self) -> Result<Params> {
        let k = match &self.k {
            None => None,
            Some(serde_json::Value::String(s)) if s == "auto" => None,
            // Checked as a u64 before any conversion: 2^32 must not become 0 on a 32-bit target.
            Some(serde_json::Value::Number(n)) => match n.as_u64() {
                Some(k) if k > MAX_K as u64 => {
                    return Err(CrmError::too_large(
                        "k",
                        format!("k = {k}; at most {MAX_K} segments (and no more than the rows segmented)"),
                    ))
                }
                Some(k) if k >= 1 => Some(k as usize),
                _ => return Err(CrmError::invalid_option("k", format!("expected a whole number ≥ 1, got {n}"))),
            },
            Some(other) => {
                return Err(CrmError::invalid_option("k", format!("expected a number or \"auto\", got {other}")))
            }
        };
        let k_range = match self.k_range {
            None => (2, 10),
            Some([lo, hi]) if hi > MAX_K || hi - lo.min(hi) + 1 > MAX_K_TRIED => {
                return Err(CrmError::too_large(
                    "kRange",
                    format!("[{lo}, {hi}]: \"auto\" tries at most {MAX_K_TRIED} values of k, each at most {MAX_K}"),
                ))
            }
            Some([lo, hi]) if lo >= 2 && lo <= hi => (lo, hi),
            Some([lo, hi]) => {
                return Err(CrmError::invalid_option(
                    "kRange",
                    format!("expected [min, max] with 2 ≤ min ≤ max, got [{lo}, {hi}]"),
                ))
            }
        };
        let algorithm = choice(
            "algorithm",
            self.algorithm.as_deref(),
            None,
            &[
                ("auto", None),
                ("kmeans", Some(Algorithm::KMeans)),
                ("minibatch", Some(Algorithm::MiniBatch)),
                ("kprototypes", Some(Algorithm::KPrototypes)),
            ],
        )?;
        let scaling = choice(
            "scaling",
            self.scaling.as_deref(),
            Scaling::Standard,
            &[("standard", Scaling::Standard), ("robust", Scaling::Robust), ("none", Scaling::None)],
        )?;
        let missing = choice(
            "missing",
            self.missing.as_deref(),
            Missing::Impute,
            &[("impute", Missing::Impute), ("drop", Missing::Drop)],
        )?;
        if self.n_init == Some(0) {
            return Err(CrmError::invalid_option("nInit", "must be at least 1"));
        }
        if let Some(v) = self.n_init.filter(|&v| v > MAX_N_INIT) {
            return Err(CrmError::too_large("nInit", format!("{v} restarts; at most {MAX_N_INIT}")));
        }
        if self.max_iter == Some(0) {
            return Err(CrmError::invalid_option("maxIter", "must be at least 1"));
        }
        if let Some(v) = self.max_iter.filter(|&v| v > MAX_ITER) {
            return Err(CrmError::too_large("maxIter", format!("{v} iterations; at most {MAX_ITER}")));
        }
        let tried = if k.is_some() { 1 } else { k_range.1 - k_range.0 + 1 };
        if let Some(n) = self.n_init.filter(|&n| n * tried > MAX_RUNS) {
            return Err(CrmError::too_large(
                if tried > 1 { "kRange" } else { "nInit" },
                format!(
                    "{tried} values of k × nInit {n} = {} clusterings; at most {MAX_RUNS}: narrow kRange or lower nInit",
                    n * tried
                ),
            ));
        }
        let tol = self.tol.unwrap_or(1e-4);
        if !(tol.is_finite() && tol >= 0.0) {
            return Err(CrmError::invalid_option("tol", "must be a finite number ≥ 0"));
        }
        let weights = self.weights.clone().unwrap_or_default();
        for (name, w) in &weights {
            if !(w.is_finite() && *w >= 0.0 && *w <= MAX_WEIGHT) {
                return Err(CrmError::invalid_option(
                    "weights",
                    format!("weight of `{name}` must be a number from 0 to {MAX_WEIGHT:e}, got {w}"),
                ));
            }
        }
        if let Some(cols) = &self.columns {
            if cols.is_empty() {
                return Err(CrmError::invalid_option("columns", "must name at least one column"));
            }
        }
        Ok(Params {
            columns: self.columns.clone(),
            k,
            k_range,
            algorithm,
            scaling,
            missing,
            seed: self.seed.unwrap_or(42),
            n_init: self.n_init,
            max_iter: self.max_iter,
            tol,
            weights,
        })
    }
}

impl Params {
    /// The algorithm actually run: the requested one, or k-means up to
    /// [`MINIBATCH_ABOVE`] rows and mini-batch above.
    pub fn algorithm_for(&self, rows: usize) -> Algorithm {
        self.algorithm.unwrap_or(if rows > MINIBATCH_ABOVE { Algorithm::MiniBatch } else { Algorithm::KMeans })
    }
    pub fn n_init_for(&self, a: Algorithm) -> usize {
        self.n_init.unwrap_or(if a == Algorithm::MiniBatch { 3 } else { 10 })
    }
    pub fn max_iter_for(&self, a: Algorithm) -> usize {
        self.max_iter.unwrap_or(if a == Algorithm::MiniBatch { 100 } else { 300 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Params> {
        crate::options::options_from_json::<SegmentOptions>(json)?.check()
    }

    #[test]
    fn defaults_and_errors_name_the_option() {
        let p = parse("{}").unwrap();
        assert_eq!((p.k, p.k_range, p.seed, p.tol), (None, (2, 10), 42, 1e-4));
        assert_eq!(parse(r#"{"k": 5}"#).unwrap().k, Some(5));
        assert_eq!(parse(r#"{"k": "auto"}"#).unwrap().k, None);
        let field = |json: &str| parse(json).unwrap_err().location().field.unwrap();
        assert_eq!(field(r#"{"k": "many"}"#), "k");
        assert_eq!(field(r#"{"k": 2.5}"#), "k");
        assert_eq!(field(r#"{"kRange": [5, 2]}"#), "kRange");
        assert_eq!(field(r#"{"algorithm": "dbscan"}"#), "algorithm");
        assert_eq!(field(r#"{"scaling": "minmax"}"#), "scaling");
        assert_eq!(field(r#"{"nInit": 0}"#), "nInit");
        assert_eq!(field(r#"{"ninit": 3}"#), "ninit");
        assert_eq!(field(r#"{"weights": {"age": -1}}"#), "weights");
    }

    /// Findings 07 and 14: unbounded options ran for minutes, and k = 2^32 wrapped to 0 (a
    /// trap) or 2^32 + 5 to 5 (silently) on 32-bit wasm. Every bound names the option.
    #[test]
    fn sizes_are_bounded_and_k_never_wraps() {
        let code_field = |json: &str| {
            let e = parse(json).unwrap_err();
            (e.code(), e.location().field.unwrap())
        };
        for k in ["4294967296", "4294967301", "9007199254740992", "18446744073709551615", "101"] {
            assert_eq!(code_field(&format!(r#"{{"k": {k}}}"#)), ("TOO_LARGE", "k".into()), "k {k}");
        }
        assert_eq!(parse(r#"{"k": 100}"#).unwrap().k, Some(100));
        assert_eq!(code_field(r#"{"k": -3}"#), ("INVALID_OPTION", "k".into()));
        assert_eq!(code_field(r#"{"k": 1e300}"#), ("INVALID_OPTION", "k".into()));
        assert_eq!(code_field(r#"{"kRange": [2, 1000000]}"#), ("TOO_LARGE", "kRange".into()));
        assert_eq!(code_field(r#"{"kRange": [2, 60]}"#), ("TOO_LARGE", "kRange".into()));
        assert_eq!(parse(r#"{"kRange": [2, 31]}"#).unwrap().k_range, (2, 31));
        assert_eq!(code_field(r#"{"kRange": [2, 31], "nInit": 100}"#), ("TOO_LARGE", "kRange".into()));
        assert!(parse(r#"{"k": 5, "nInit": 100}"#).is_ok());
        assert_eq!(code_field(r#"{"nInit": 1000000}"#), ("TOO_LARGE", "nInit".into()));
        assert_eq!(code_field(r#"{"maxIter": 1000000000}"#), ("TOO_LARGE", "maxIter".into()));
        assert_eq!(code_field(r#"{"weights": {"age": 1e300}}"#), ("INVALID_OPTION", "weights".into()));
        assert!(parse(r#"{"kRange": [2, 4], "nInit": 100, "maxIter": 1000}"#).is_ok());
    }
}
