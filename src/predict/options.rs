//! `Predictor.train` options: the JS option names, checked into what training needs.

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, Result};

/// What to predict: a class (binary) or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Task {
    Classification,
    Regression,
}

/// The model family; `auto` tries the candidates that fit the task and keeps the best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    #[default]
    Auto,
    Logistic,
    Gbdt,
    RandomForest,
    DecisionTree,
    Svm,
    Linear,
}

impl ModelKind {
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Auto => "auto",
            ModelKind::Logistic => "logistic",
            ModelKind::Gbdt => "gbdt",
            ModelKind::RandomForest => "random-forest",
            ModelKind::DecisionTree => "decision-tree",
            ModelKind::Svm => "svm",
            ModelKind::Linear => "linear",
        }
    }
}

/// `'auto'` or a list of column names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Features {
    Named(String),
    List(Vec<String>),
}

impl Default for Features {
    fn default() -> Self {
        Features::Named("auto".into())
    }
}

/// The positive class as written in the data (text, number or boolean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Positive {
    Text(String),
    Number(f64),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Validation {
    #[serde(default = "five")]
    pub folds: usize,
    #[serde(default)]
    pub seed: u64,
}

fn five() -> usize {
    5
}

impl Default for Validation {
    fn default() -> Self {
        Validation { folds: 5, seed: 0 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ClassWeight {
    /// Each class weighs the same in total (rare positives count more).
    Balanced,
    #[default]
    None,
}

/// How the decision threshold is chosen from the out-of-fold scores.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "camelCase", deny_unknown_fields)]
pub enum ThresholdRule {
    /// The threshold with the highest F1.
    #[default]
    MaxF1,
    /// Flag the top `fraction` of customers by score (a contact budget, e.g. 0.1).
    Top { fraction: f64 },
    /// A fixed probability.
    Fixed { value: f64 },
    /// The least total cost out of fold: `falsePositive` per customer flagged who would not
    /// have churned (a wasted contact or discount), `falseNegative` per churner missed.
    #[serde(rename_all = "camelCase")]
    Cost { false_positive: f64, false_negative: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrainOptions {
    pub target: String,
    #[serde(default)]
    pub positive: Option<Positive>,
    #[serde(default)]
    pub task: Option<Task>,
    #[serde(default)]
    pub features: Features,
    #[serde(default)]
    pub model: ModelKind,
    #[serde(default)]
    pub validation: Validation,
    #[serde(default)]
    pub class_weight: ClassWeight,
    #[serde(default)]
    pub threshold: ThresholdRule,
}

/// Most folds allowed (each fold fits every candidate once).
pub const MAX_FOLDS: usize = 20;

impl TrainOptions {
    /// Options for `target` with every default.
    pub fn new(target: impl Into<String>) -> Self {
        TrainOptions {
            target: target.into(),
            positive: None,
            task: None,
            features: Features::default(),
            model: ModelKind::Auto,
            validation: Validation::default(),
            class_weight: ClassWeight::None,
            threshold: ThresholdRule::MaxF1,
        }
    }

    /// Options from JSON text (unknown keys and misspelt values are `INVALID_OPTION`).
    pub fn from_json(text: &str) -> Result<Self> {
        let o: TrainOptions = crate::options::options_from_json(text)?;
        o.check()?;
        Ok(o)
    }

    /// Range checks that serde cannot express.
    pub fn check(&self) -> Result<()> {
        if let Features::Named(s) = &self.features {
            if s != "auto" {
                return Err(CrmError::invalid_option(
                    "features",
                    format!("expected 'auto' or a list of columns, got {s:?}"),
                ));
            }
        }
        let f = self.validation.folds;
        if !(2..=MAX_FOLDS).contains(&f) {
            return Err(CrmError::invalid_option("validation", format!("folds must be 2 to {MAX_FOLDS}, got {f}")));
        }
        match self.threshold {
            ThresholdRule::Top { fraction } if !(fraction > 0.0 && fraction < 1.0) => {
                Err(CrmError::invalid_option("threshold", format!("fraction must be in (0, 1), got {fraction}")))
            }
            ThresholdRule::Fixed { value } if !(value > 0.0 && value < 1.0) => {
                Err(CrmError::invalid_option("threshold", format!("value must be in (0, 1), got {value}")))
            }
            ThresholdRule::Cost { false_positive: a, false_negative: b }
                if !(a.is_finite() && b.is_finite() && a >= 0.0 && b >= 0.0 && a + b > 0.0) =>
            {
                Err(CrmError::invalid_option(
                    "threshold",
                    format!("falsePositive and falseNegative must be finite, >= 0 and not both 0, got {a} and {b}"),
                ))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_and_reject_misspellings() {
        let o = TrainOptions::from_json(
            r#"{"target":"Churn","positive":"Yes","model":"random-forest","validation":{"folds":3,"seed":7},
                "classWeight":"balanced","threshold":{"rule":"top","fraction":0.1},"features":["a","b"]}"#,
        )
        .unwrap();
        assert_eq!(o.model, ModelKind::RandomForest);
        assert_eq!(o.validation, Validation { folds: 3, seed: 7 });
        assert_eq!(o.threshold, ThresholdRule::Top { fraction: 0.1 });
        let o = TrainOptions::from_json(
            r#"{"target":"Churn","threshold":{"rule":"cost","falsePositive":1,"falseNegative":5}}"#,
        )
        .unwrap();
        assert_eq!(o.threshold, ThresholdRule::Cost { false_positive: 1.0, false_negative: 5.0 });
        for bad in [
            r#"{"rule":"cost","falsePositive":1}"#,
            r#"{"rule":"cost","falsePositive":-1,"falseNegative":5}"#,
            r#"{"rule":"cost","falsePositive":0,"falseNegative":0}"#,
            r#"{"rule":"cost","false_positive":1,"falseNegative":5}"#,
        ] {
            let e = TrainOptions::from_json(&format!(r#"{{"target":"Churn","threshold":{bad}}}"#)).unwrap_err();
            assert_eq!(e.code(), "INVALID_OPTION", "{bad}");
        }
        let e = TrainOptions::from_json(r#"{"target":"Churn","model":"forest"}"#).unwrap_err();
        assert_eq!((e.code(), e.location().field.as_deref()), ("INVALID_OPTION", Some("model")));
        assert!(e.to_string().contains("random-forest"), "{e}");
        let e = TrainOptions::from_json(r#"{"target":"Churn","folds":3}"#).unwrap_err();
        assert_eq!(e.location().field.as_deref(), Some("folds"));
        let e = TrainOptions::from_json(r#"{"target":"Churn","features":"all"}"#).unwrap_err();
        assert_eq!(e.location().field.as_deref(), Some("features"));
        let e = TrainOptions::from_json(r#"{"target":"y","validation":{"folds":1}}"#).unwrap_err();
        assert_eq!(e.location().field.as_deref(), Some("validation"));
    }
}
