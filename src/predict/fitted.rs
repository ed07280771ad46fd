//! [`Fitted`]: the fitted function from encoded features to a raw score (a linear model or a
//! tree ensemble), its per-row reference explanation and its consistency check. Its own file
//! so that both the `Predictor` (model.rs) and the scoring path (explain.rs) import it
//! without importing each other.

use serde::{Deserialize, Serialize};

use super::ensemble::Ensemble;
use super::linear::Linear;
use super::matrix::Mat;
use crate::error::Result;

/// The fitted function from encoded features to a raw score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Fitted {
    Linear(Linear),
    Trees(Ensemble),
}

impl Fitted {
    pub fn score(&self, x: &Mat) -> Result<Vec<f64>> {
        match self {
            Fitted::Linear(l) => l.score(x),
            Fitted::Trees(e) => Ok(e.score(x)),
        }
    }

    /// (start, contribution per feature) of one encoded row: start + Σ = raw score.
    pub fn explain_row(&self, row: &[f64], owner: &[usize], features: usize) -> Result<(f64, Vec<f64>)> {
        let mut out = vec![0.0; features];
        match self {
            Fitted::Linear(l) => {
                let c = l.contributions(row)?;
                for (k, src) in l.scaler.sources().into_iter().enumerate() {
                    if let (Some(&f), Some(v)) = (owner.get(src), c.get(k)) {
                        out[f] += v;
                    }
                }
                Ok((l.base(), out))
            }
            Fitted::Trees(e) => {
                for (j, v) in e.contributions(row).into_iter().enumerate() {
                    if let Some(&f) = owner.get(j) {
                        out[f] += v;
                    }
                }
                Ok((e.expected(), out))
            }
        }
    }

    pub(super) fn valid(&self, width: usize) -> bool {
        let fin = |v: &[f64]| v.iter().all(|x| x.is_finite());
        match self {
            Fitted::Linear(l) => {
                let s = &l.scaler;
                s.mean.len() == width
                    && s.scale.len() == width
                    && s.indicators.iter().all(|&j| j < width)
                    && l.coef.len() == s.width()
                    && l.centre.len() == l.coef.len()
                    && fin(&s.mean)
                    && fin(&s.scale)
                    && fin(&l.coef)
                    && fin(&l.centre)
                    && l.intercept.is_finite()
            }
            Fitted::Trees(e) => {
                !e.trees.is_empty()
                    && e.base.is_finite()
                    && e.scale.is_finite()
                    && e.trees.iter().all(|t| t.valid(width))
            }
        }
    }
}
