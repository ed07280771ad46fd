//! The trained [`Predictor`]: its report (quality, candidates, importance, features,
//! warnings), scoring with per-row explanations, and its versioned JSON form.

use serde::{Deserialize, Serialize};

use super::calibrate::Calibration;
use super::features::{check_columns, encode_counted, owners, Feature, LeftOut, Tally};
pub use super::fitted::Fitted;
use super::matrix::Mat;
use super::metrics::{CalibrationBin, Confusion, Curve, Decile};
use super::options::{ModelKind, Task};
use crate::error::{CrmError, Result};
use crate::table::{Column, ColumnData, Dataset, Role, Validity};
use crate::task::Ctl;

pub const FORMAT: &str = "crmlens.predictor";
pub const VERSION: u32 = 1;

/// What the explanations add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Output {
    /// Log-odds of the (uncalibrated) model: logistic regression, boosting.
    LogOdds,
    /// A linear SVM's decision value.
    Margin,
    /// A probability: forests and trees.
    Probability,
    /// The predicted number (regression).
    Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Baseline {
    /// Share of positives (classification) or mean (regression).
    pub rate: f64,
    /// Accuracy of always predicting the majority class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub majority_accuracy: Option<f64>,
    /// Brier score / log loss of always predicting the rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brier: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_loss: Option<f64>,
    /// RMSE of always predicting the mean (regression).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmse: Option<f64>,
}

/// Out-of-fold quality of the chosen model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Quality {
    pub rows: u64,
    pub folds: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auc: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_auc: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub f1: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_loss: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brier: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confusion: Option<Confusion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// How the threshold was chosen, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roc_curve: Option<Curve>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_curve: Option<Curve>,
    /// Lift and cumulative gain by decile of the score.
    pub lift: Vec<Decile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calibration: Vec<CalibrationBin>,
    /// `none`, `platt` or `isotonic`, and the out-of-fold Brier score before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r2: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmse: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mae: Option<f64>,
    pub baseline: Baseline,
    /// `A`, `B` or `C`.
    pub grade: String,
    pub explanation: String,
}

/// One model tried with `model: 'auto'` (or the one asked for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Candidate {
    pub model: ModelKind,
    /// Out-of-fold AUC (classification) or R² (regression) of the raw scores.
    pub score: f64,
    pub metric: String,
    /// Training time of all folds, in milliseconds (0 without a clock).
    pub fit_ms: f64,
    pub chosen: bool,
    pub note: String,
}

/// Permutation importance of one feature: the drop in out-of-fold AUC (or R²) when its
/// values are shuffled, mean and standard deviation over repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Importance {
    pub feature: String,
    pub mean: f64,
    pub std: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeatureReport {
    pub used: Vec<Feature>,
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Predictor {
    pub format: String,
    pub version: u32,
    pub task: Task,
    pub target: String,
    pub model: ModelKind,
    /// The positive class as text, and the other class when the target had exactly two.
    #[serde(default)]
    pub positive: Option<String>,
    #[serde(default)]
    pub negative: Option<String>,
    pub output: Output,
    pub features: FeatureReport,
    pub fitted: Fitted,
    pub calibration: Calibration,
    /// Probability at or above which `label` is the positive class.
    pub threshold: f64,
    pub quality: Quality,
    pub candidates: Vec<Candidate>,
    pub importance: Vec<Importance>,
    pub warnings: Vec<String>,
}

/// `predict` options (`p.predict(table, { explain: 3 })`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PredictOptions {
    /// Top factors per row (0 = none, at most [`MAX_EXPLAIN`]).
    #[serde(default)]
    pub explain: usize,
}

impl PredictOptions {
    pub fn from_json(text: &str) -> Result<Self> {
        crate::options::options_from_json(text)
    }
}

/// Most factors per row in `predict`.
pub const MAX_EXPLAIN: usize = 20;

impl Predictor {
    /// Raw scores of every row of `ds`, and the warnings of its encoding: values of a
    /// category that are none of the model's levels, numeric cells read as missing (counted
    /// per feature). A feature column `ds` lacks is an `UNKNOWN_COLUMN` error naming them all.
    fn raw(&self, ds: &Dataset) -> Result<(Mat, Vec<f64>, Vec<String>)> {
        check_columns(ds, &self.features.used)?;
        let mut tallies = Vec::new();
        let x = encode_counted(ds, &self.features.used, None, &mut tallies)?;
        let s = self.fitted.score(&x)?;
        Ok((x, s, Tally::warnings(&tallies)))
    }

    /// Probability of the positive class (classification) or the value (regression) per row.
    pub fn scores(&self, ds: &Dataset) -> Result<Vec<f64>> {
        Ok(self.scores_checked(ds)?.0)
    }

    /// [`Predictor::scores`] and the scoring warnings (see [`Predictor::predict`]).
    pub fn scores_checked(&self, ds: &Dataset) -> Result<(Vec<f64>, Vec<String>)> {
        let (_, s, w) = self.raw(ds)?;
        Ok((self.finish_scores(s), w))
    }

    fn finish_scores(&self, s: Vec<f64>) -> Vec<f64> {
        match self.task {
            Task::Regression => s,
            Task::Classification => {
                let log_odds = self.output != Output::Probability;
                s.into_iter().map(|v| self.calibration.apply(v, log_odds)).collect()
            }
        }
    }

    /// Scores `ds`: the id columns of `ds`, then `probability` and `label` (classification)
    /// or `value` (regression), then for `explain` > 0 the top factors of each row by size:
    /// `factor1` (feature), `factor1Value` (its value as text), `factor1Contribution` (on
    /// the scale of [`Predictor::output`]; with `baseValue` they add up to the model output).
    /// What scoring read differently from training (values of a category that are none of
    /// the model's levels, numeric cells read as missing), counted per feature, is in the
    /// `warnings` of the `probability` (or `value`) column.
    pub fn predict(&self, ds: &Dataset, explain: usize) -> Result<Dataset> {
        crate::task::run(self.predict_async(ds, explain, &mut Ctl::none()))
    }

    /// [`Predictor::predict`] with progress (phase `explain`, rows done of all) and abort.
    pub async fn predict_async(&self, ds: &Dataset, explain: usize, ctl: &mut Ctl<'_>) -> Result<Dataset> {
        if explain > MAX_EXPLAIN {
            return Err(CrmError::invalid_option("explain", format!("at most {MAX_EXPLAIN} factors per row")));
        }
        let (x, raw, warnings) = self.raw(ds)?;
        let n = ds.num_rows();
        // Identifier columns come along, so scored rows can be told apart.
        let is_id = |c: &Column| {
            c.role == Some(Role::Id)
                || self.features.left_out.iter().any(|l| l.name == c.name && l.reason.contains("identifier"))
        };
        let mut cols: Vec<Column> =
            ds.columns().iter().filter(|c| is_id(c) && c.name != self.target).cloned().collect();
        let scores = self.finish_scores(raw.clone());
        let score_at = cols.len();
        match self.task {
            Task::Regression => cols.push(float_col("value", scores)),
            Task::Classification => {
                let pos = self.positive.clone().unwrap_or_else(|| "true".into());
                let neg = self.negative.clone().unwrap_or_else(|| format!("not {pos}"));
                let codes = scores.iter().map(|&p| (p < self.threshold) as u32).collect();
                cols.push(float_col("probability", scores));
                cols.push(Column::new(
                    "label",
                    ColumnData::Category { codes, dict: vec![pos, neg] },
                    Validity::all_valid(n),
                ));
            }
        }
        if let Some(c) = cols.get_mut(score_at) {
            c.warnings = warnings;
        }
        let k = explain.min(self.features.used.len());
        if k > 0 {
            let owner = owners(&self.features.used);
            cols.extend(
                super::explain::factor_columns(&self.fitted, &self.features.used, &owner, ds, &x, k, ctl).await?,
            );
        }
        Dataset::new(cols)
    }

    /// The model as JSON text (`toJSON`): everything needed to score, no training rows.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| CrmError::state(format!("serialising the model failed: {e}")))
    }

    /// A model from [`Predictor::to_json`] text, checked before use.
    pub fn from_json(text: &str) -> Result<Predictor> {
        let bad = |m: String| CrmError::invalid_option("model", m);
        let p: Predictor = serde_json::from_str(text).map_err(|e| bad(format!("not a crmlens predictor: {e}")))?;
        if p.format != FORMAT {
            return Err(bad(format!("unknown format {:?}", p.format)));
        }
        if p.version != VERSION {
            return Err(bad(format!("predictor version {} is not supported (this build reads {VERSION})", p.version)));
        }
        let width: usize = p.features.used.iter().map(Feature::width).sum();
        if p.features.used.is_empty()
            || width > super::features::MAX_ENCODED
            || !p.fitted.valid(width)
            || !p.calibration.valid()
            || !p.threshold.is_finite()
        {
            return Err(bad("the predictor is inconsistent (edited or damaged)".into()));
        }
        Ok(p)
    }
}

fn float_col(name: &str, v: Vec<f64>) -> Column {
    let n = v.len();
    Column::new(name, ColumnData::Float64(v), Validity::all_valid(n))
}
