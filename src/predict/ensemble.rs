//! Tree ensembles on [`super::tree`]: gradient boosting (log loss or squared error,
//! shrinkage 0.1, 31 leaves, as scikit-learn's HistGradientBoosting defaults), random
//! forests (bootstrap rows, √d features per split, leaves of ≥ 10 rows, ≤ 12 levels), and a single
//! decision tree (≤ 6 levels, leaves of ≥ 20 rows). The output is `base + scale · Σ trees`:
//! log-odds or a value for boosting, a probability or a mean for forests and trees.

use serde::{Deserialize, Serialize};

use super::linear::sigmoid;
use super::matrix::Mat;
use super::tree::{grow, Binned, Tree, TreeParams};
use crate::error::Result;
use crate::rng::Rng;
use crate::task::Ctl;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Ensemble {
    pub trees: Vec<Tree>,
    pub base: f64,
    pub scale: f64,
}

impl Ensemble {
    pub fn score(&self, x: &Mat) -> Vec<f64> {
        let mut row = vec![0.0; x.cols];
        (0..x.rows)
            .map(|i| {
                for (j, r) in row.iter_mut().enumerate() {
                    *r = x.get(i, j);
                }
                self.score_row(&row)
            })
            .collect()
    }
    pub fn score_row(&self, row: &[f64]) -> f64 {
        self.base + self.scale * self.trees.iter().map(|t| t.predict_row(row)).sum::<f64>()
    }
    /// Each tree's output per row (`[tree][row]`, unscaled).
    pub fn per_tree(&self, x: &Mat) -> Vec<Vec<f64>> {
        let mut out = vec![Vec::with_capacity(x.rows); self.trees.len()];
        let mut row = vec![0.0; x.cols];
        for i in 0..x.rows {
            for (j, r) in row.iter_mut().enumerate() {
                *r = x.get(i, j);
            }
            for (o, t) in out.iter_mut().zip(&self.trees) {
                o.push(t.predict_row(&row));
            }
        }
        out
    }

    /// Scores of `x` given the per-tree outputs of the same rows before the columns `cols`
    /// changed: only the trees that split on one of `cols` are evaluated again.
    pub fn rescore(&self, x: &Mat, before: &[Vec<f64>], total: &[f64], cols: &[usize]) -> Vec<f64> {
        let touched: Vec<usize> = (0..self.trees.len())
            .filter(|&t| self.trees[t].nodes.iter().any(|n| !n.is_leaf() && cols.contains(&(n.feature as usize))))
            .collect();
        let mut row = vec![0.0; x.cols];
        (0..x.rows)
            .map(|i| {
                for (j, r) in row.iter_mut().enumerate() {
                    *r = x.get(i, j);
                }
                let mut s = total[i];
                for &t in &touched {
                    s += self.trees[t].predict_row(&row) - before[t][i];
                }
                self.base + self.scale * s
            })
            .collect()
    }

    /// Output when nothing is known about the row (the start of the explanations).
    pub fn expected(&self) -> f64 {
        self.base + self.scale * self.trees.iter().map(super::shap::expected).sum::<f64>()
    }
    /// Per-encoded-column contributions of one row (exact TreeSHAP, summed over trees).
    pub fn contributions(&self, row: &[f64]) -> Vec<f64> {
        let mut phi = vec![0.0; row.len()];
        for t in &self.trees {
            super::shap::add(t, row, &mut phi, self.scale);
        }
        phi
    }
}

/// Boosting rounds.
pub const ROUNDS: usize = 100;

/// Gradient boosting; `logistic` for 0/1 targets, else squared error.
pub async fn boost(x: &Mat, y: &[f64], w: &[f64], logistic: bool, seed: u64, ctl: &mut Ctl<'_>) -> Result<Ensemble> {
    let b = Binned::new(x)?;
    let n = x.rows;
    let wsum: f64 = w.iter().sum::<f64>().max(1e-300);
    let mean = (0..n).map(|i| w[i] * y[i]).sum::<f64>() / wsum;
    let base = if logistic {
        super::exact::ln(mean.clamp(1e-6, 1.0 - 1e-6) / (1.0 - mean.clamp(1e-6, 1.0 - 1e-6)))
    } else {
        mean
    };
    let mut f = vec![base; n];
    let (mut g, mut h) = (vec![0.0; n], vec![0.0; n]);
    let ones = vec![1.0; n];
    let p = TreeParams { max_leaves: 31, max_depth: 12, min_leaf: 20.0, lambda: 0.0, features_per_split: usize::MAX };
    let mut rng = Rng::new(seed);
    let mut trees = Vec::with_capacity(ROUNDS);
    let mut leaf_of = vec![0u32; n];
    for round in 0..ROUNDS {
        for i in 0..n {
            if logistic {
                let q = sigmoid(f[i]);
                g[i] = w[i] * (q - y[i]);
                h[i] = w[i] * (q * (1.0 - q)).max(1e-12);
            } else {
                g[i] = w[i] * (f[i] - y[i]);
                h[i] = w[i];
            }
        }
        let t = grow(&b, &g, &h, &ones, (0..n as u32).collect(), &p, 0.1, &mut rng, &mut leaf_of);
        if t.nodes.len() == 1 {
            break;
        }
        for (fi, &l) in f.iter_mut().zip(&leaf_of) {
            *fi += t.nodes[l as usize].value;
        }
        trees.push(t);
        ctl.tick("boost", round as u64 + 1, ROUNDS as u64).await?;
    }
    Ok(Ensemble { trees, base, scale: 1.0 })
}

/// Trees in a forest.
pub const FOREST_TREES: usize = 100;

/// A random forest (`trees` > 1, bootstrap, √d features per split) or one decision tree.
pub async fn forest(x: &Mat, y: &[f64], w: &[f64], trees: usize, seed: u64, ctl: &mut Ctl<'_>) -> Result<Ensemble> {
    let b = Binned::new(x)?;
    let n = x.rows;
    let single = trees == 1;
    let p = if single {
        TreeParams { max_leaves: 64, max_depth: 6, min_leaf: 20.0, lambda: 0.0, features_per_split: usize::MAX }
    } else {
        let k = ((x.cols as f64).sqrt().ceil() as usize).max(1);
        TreeParams { max_leaves: n, max_depth: 12, min_leaf: 10.0, lambda: 0.0, features_per_split: k }
    };
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(trees);
    let (mut g, mut h, mut c) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for t in 0..trees {
        for v in c.iter_mut() {
            *v = if single { 1.0 } else { 0.0 };
        }
        if !single {
            for _ in 0..n {
                c[rng.below(n)] += 1.0;
            }
        }
        for i in 0..n {
            h[i] = c[i] * w[i];
            g[i] = -y[i] * h[i];
        }
        let rows: Vec<u32> = (0..n as u32).filter(|&i| c[i as usize] > 0.0).collect();
        let mut tr = rng.fork();
        out.push(grow(&b, &g, &h, &c, rows, &p, 1.0, &mut tr, &mut []));
        ctl.tick("forest", t as u64 + 1, trees as u64).await?;
    }
    Ok(Ensemble { trees: out, base: 0.0, scale: 1.0 / trees as f64 })
}
