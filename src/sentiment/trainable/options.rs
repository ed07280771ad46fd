//! Options of `SentimentModel.train`.

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, Result};
use crate::sentiment::options::Language;

/// The classifier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// Multinomial naive Bayes over feature presence, add-`alpha` smoothing.
    #[default]
    NaiveBayes,
    /// Multinomial logistic regression (softmax), L2-penalised, trained by seeded SGD.
    Logistic,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TrainOptions {
    /// `"auto"` (default: Chinese character features where a text has Han characters), `"en"`, `"zh"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub language: Option<Language>,
    /// `"naive-bayes"` (default) or `"logistic"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub model: Option<ModelKind>,
    /// Naive Bayes smoothing (default 1).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub alpha: Option<f64>,
    /// Logistic: L2 penalty per example (default 1e-4).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub l2: Option<f64>,
    /// Logistic: passes over the data (default 30).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub epochs: Option<u32>,
    /// Logistic: seed of the example order (default 42).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub seed: Option<u64>,
    /// Features seen in fewer training texts are dropped (default 1: keep all).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub min_count: Option<u32>,
}

/// Checked options with defaults filled in.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub language: Language,
    pub model: ModelKind,
    pub alpha: f64,
    pub l2: f64,
    pub epochs: u32,
    pub seed: u64,
    pub min_count: u32,
}

impl TrainOptions {
    pub fn check(&self) -> Result<Params> {
        let alpha = self.alpha.unwrap_or(1.0);
        if !(alpha.is_finite() && alpha > 0.0) {
            return Err(CrmError::invalid_option("alpha", format!("must be a positive number, got {alpha}")));
        }
        let l2 = self.l2.unwrap_or(1e-4);
        if !(l2.is_finite() && l2 >= 0.0) {
            return Err(CrmError::invalid_option("l2", format!("must be ≥ 0, got {l2}")));
        }
        let epochs = self.epochs.unwrap_or(30);
        if !(1..=1000).contains(&epochs) {
            return Err(CrmError::invalid_option("epochs", format!("must be 1..=1000, got {epochs}")));
        }
        Ok(Params {
            language: self.language.unwrap_or_default(),
            model: self.model.unwrap_or_default(),
            alpha,
            l2,
            epochs,
            seed: self.seed.unwrap_or(42),
            min_count: self.min_count.unwrap_or(1).max(1),
        })
    }
}
