//! The options of `Recommender.fit` and `recommend`, as the JS API spells them, and the
//! checked parameters they resolve to.

use serde::{Deserialize, Serialize};

use super::knn::Weighting;
use crate::error::{CrmError, Result};

/// Which model scores items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Item-item nearest neighbours (BM25 weighting).
    ItemKnn,
    /// Implicit-feedback ALS.
    Als,
    /// Most users first.
    Popularity,
    /// Popularity with older interactions decayed (a baseline; needs `timestamp`).
    Recency,
    /// Chosen by a leave-last-out evaluation of item-knn, als and popularity.
    #[default]
    Auto,
}

/// `Recommender.fit(interactions, options)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RecommenderOptions {
    /// Column holding the user (customer) id.
    pub user: String,
    /// Column holding the item (product) id.
    pub item: String,
    /// Numeric column weighing each row (quantity, rating, spend); rows ≤ 0 are left out and
    /// counted. Default: every row weighs 1.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub weight: Option<String>,
    /// Date, datetime or numeric column: drives the leave-last-out split and recency.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub timestamp: Option<String>,
    /// Default `"auto"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub method: Option<Method>,
    /// ALS latent factors (default 64).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub factors: Option<usize>,
    /// ALS L2 penalty λ (default 0.05).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub regularization: Option<f64>,
    /// ALS sweeps (default 15).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub iterations: Option<usize>,
    /// ALS confidence slope α: an interaction of weight w counts with confidence 1 + α·w
    /// (default 10; 0 treats every interaction alike).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub alpha: Option<f64>,
    /// ALS conjugate-gradient steps per user / item solve (default 3; more is closer to the
    /// exact least-squares solution and slower).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub cg_steps: Option<usize>,
    /// Item-kNN neighbours kept per item (default 20).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub neighbours: Option<usize>,
    /// Seed of the ALS initialisation and of `auto`'s evaluation (default 0).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub seed: Option<u64>,
}

/// Checked model parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FitParams {
    pub method: Method,
    pub factors: usize,
    pub regularization: f32,
    pub iterations: usize,
    pub neighbours: usize,
    pub seed: u64,
    /// ALS confidence slope: c = 1 + alpha · w.
    pub alpha: f32,
    /// ALS conjugate-gradient steps per solve.
    pub cg_steps: usize,
    /// Item-kNN weighting (not a JS option).
    pub weighting: Weighting,
}

impl Default for FitParams {
    fn default() -> Self {
        FitParams {
            method: Method::Auto,
            factors: 64,
            regularization: 0.05,
            iterations: 15,
            neighbours: 20,
            seed: 0,
            alpha: 10.0,
            cg_steps: 3,
            weighting: Weighting::Bm25,
        }
    }
}

impl RecommenderOptions {
    pub fn params(&self) -> Result<FitParams> {
        if self.user.is_empty() {
            return Err(CrmError::invalid_option("user", "the user column is required"));
        }
        if self.item.is_empty() {
            return Err(CrmError::invalid_option("item", "the item column is required"));
        }
        let d = FitParams::default();
        let p = FitParams {
            method: self.method.unwrap_or(d.method),
            factors: self.factors.unwrap_or(d.factors),
            regularization: self.regularization.unwrap_or(d.regularization as f64) as f32,
            iterations: self.iterations.unwrap_or(d.iterations),
            neighbours: self.neighbours.unwrap_or(d.neighbours),
            seed: self.seed.unwrap_or(d.seed),
            alpha: self.alpha.unwrap_or(d.alpha as f64) as f32,
            cg_steps: self.cg_steps.unwrap_or(d.cg_steps),
            ..d
        };
        p.check()?;
        if p.method == Method::Recency && self.timestamp.is_none() {
            return Err(CrmError::invalid_option("method", "\"recency\" needs a `timestamp` column"));
        }
        Ok(p)
    }
}

impl FitParams {
    pub fn check(&self) -> Result<()> {
        if !(1..=512).contains(&self.factors) {
            return Err(CrmError::invalid_option("factors", format!("must be 1..=512, got {}", self.factors)));
        }
        if !(self.regularization.is_finite() && self.regularization >= 0.0) {
            return Err(CrmError::invalid_option("regularization", "must be a finite number ≥ 0"));
        }
        if !(1..=1000).contains(&self.iterations) {
            return Err(CrmError::invalid_option("iterations", format!("must be 1..=1000, got {}", self.iterations)));
        }
        if !(1..=10_000).contains(&self.neighbours) {
            return Err(CrmError::invalid_option("neighbours", format!("must be 1..=10000, got {}", self.neighbours)));
        }
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(CrmError::invalid_option("alpha", format!("must be a finite number ≥ 0, got {}", self.alpha)));
        }
        if !(1..=100).contains(&self.cg_steps) {
            return Err(CrmError::invalid_option("cgSteps", format!("must be 1..=100, got {}", self.cg_steps)));
        }
        Ok(())
    }
}

/// Which items may be recommended.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RecommendFilter {
    /// Only these items (unknown ones are ignored).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub include: Option<Vec<String>>,
    /// Never these items.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub exclude: Option<Vec<String>>,
}

/// `recommend(user, options)`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RecommendOptions {
    /// How many items (default 10).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub k: Option<usize>,
    /// Leave out items the user already has (default true).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub exclude_seen: Option<bool>,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub filter: Option<RecommendFilter>,
}

impl RecommendOptions {
    pub fn with_k(k: usize) -> Self {
        RecommendOptions { k: Some(k), ..Default::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_js_spelling_and_rejects_unknown_keys() {
        let o: RecommenderOptions =
            crate::options::options_from_json(r#"{"user":"u","item":"i","method":"item-knn","neighbours":5,"seed":3}"#)
                .unwrap();
        let p = o.params().unwrap();
        assert_eq!((p.method, p.neighbours, p.seed, p.factors), (Method::ItemKnn, 5, 3, 64));
        let e = crate::options::options_from_json::<RecommenderOptions>(r#"{"user":"u","neighbors":5}"#).unwrap_err();
        assert_eq!(e.code(), "INVALID_OPTION");
        assert!(e.to_string().contains("neighbors"), "{e}");
        let o = RecommenderOptions { user: "u".into(), item: "i".into(), factors: Some(0), ..Default::default() };
        assert_eq!(o.params().unwrap_err().location().field.as_deref(), Some("factors"));
        let o = RecommenderOptions {
            user: "u".into(),
            item: "i".into(),
            method: Some(Method::Recency),
            ..Default::default()
        };
        assert!(o.params().is_err());
        let o: RecommenderOptions =
            crate::options::options_from_json(r#"{"user":"u","item":"i","method":"als","alpha":2.5,"cgSteps":5}"#)
                .unwrap();
        let p = o.params().unwrap();
        assert_eq!((p.alpha, p.cg_steps), (2.5, 5));
        for (json, field) in [
            (r#"{"user":"u","item":"i","alpha":-1}"#, "alpha"),
            (r#"{"user":"u","item":"i","cgSteps":0}"#, "cgSteps"),
            (r#"{"user":"u","item":"i","cgSteps":1000}"#, "cgSteps"),
        ] {
            let o: RecommenderOptions = crate::options::options_from_json(json).unwrap();
            let e = o.params().unwrap_err();
            assert_eq!((e.code(), e.location().field.as_deref()), ("INVALID_OPTION", Some(field)), "{json}");
        }
        let e = crate::options::options_from_json::<RecommenderOptions>(r#"{"user":"u","alpha":"x"}"#).unwrap_err();
        assert_eq!(e.code(), "INVALID_OPTION");
    }
}
