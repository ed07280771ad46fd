//! Offline evaluation: hold out part of each user's history, refit on the rest, and measure
//! how well the held-out items are recovered in the top k — against the popularity baseline
//! on the same split, so a grade says whether the model is worth having.
//!
//! Metrics per user (R = held-out items, L = the k recommendations, training items excluded),
//! averaged over users with at least one held-out item:
//! precision@k = |L∩R|/k; recall@k = |L∩R|/|R|; AP@k = Σ_{i: Lᵢ∈R} precision@i / min(|R|, k);
//! NDCG@k = Σ_{i: Lᵢ∈R} 1/log₂(i+1) ÷ Σ_{i ≤ min(|R|,k)} 1/log₂(i+1) (ranks from 1).
//! Coverage = distinct items recommended / items in the catalogue.

use serde::{Deserialize, Serialize};

use super::interactions::Interactions;
use super::model::Recommender;
use super::options::{FitParams, Method};
use crate::error::{CrmError, Result};
use crate::rng::Rng;
use crate::task::{Ctl, Work};

/// How the held-out part is chosen (only users with ≥ 2 items are split).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    /// Each user's latest item (by timestamp; ties and missing times: the later row).
    #[default]
    LeaveLastOut,
    /// A seeded random 20% of each user's items (at least one, never all).
    Random,
}

/// `evaluate(options)`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct EvaluateOptions {
    /// List length (default 10).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub k: Option<usize>,
    /// Default `"leave-last-out"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub split: Option<Split>,
    /// Seed of the random split (default 0).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub seed: Option<u64>,
}

/// Mean metrics over the evaluated users.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    pub precision: f64,
    pub recall: f64,
    pub map: f64,
    pub ndcg: f64,
    pub coverage: f64,
}

/// The model against popularity, by paired per-user NDCG differences.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Grade {
    /// `"better"` / `"worse"` when the mean NDCG difference is more than two standard errors
    /// from 0, else `"no clear difference"`.
    pub verdict: String,
    /// Model NDCG ÷ baseline NDCG (null when the baseline scores 0).
    pub ndcg_lift: Option<f64>,
    pub ndcg_difference: f64,
    pub standard_error: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub method: Method,
    pub k: usize,
    pub split: Split,
    /// Users with a held-out item.
    pub users: usize,
    /// Held-out (user, item) pairs.
    pub held_out: usize,
    pub model: Metrics,
    /// Popularity on the same split.
    pub baseline: Metrics,
    pub grade: Grade,
}

/// `true` for the entries of `data.matrix` that are held out.
pub fn split(data: &Interactions, how: Split, seed: u64) -> Vec<bool> {
    let m = &data.matrix;
    let mut held = vec![false; m.nnz()];
    let mut rng = Rng::new(seed);
    for u in 0..m.rows {
        let (a, b) = (m.indptr[u] as usize, m.indptr[u + 1] as usize);
        if b - a < 2 {
            continue;
        }
        match how {
            Split::LeaveLastOut => {
                let key = |e: usize| {
                    let t = data.time[e];
                    (if t.is_nan() { f64::NEG_INFINITY } else { t }, data.row[e])
                };
                let last = (a..b)
                    .max_by(|&x, &y| key(x).partial_cmp(&key(y)).unwrap_or(std::cmp::Ordering::Equal))
                    .expect("b - a ≥ 2");
                held[last] = true;
            }
            Split::Random => {
                let n = b - a;
                let take = ((n as f64 * 0.2).round() as usize).clamp(1, n - 1);
                let mut idx: Vec<usize> = (a..b).collect();
                for t in 0..take {
                    let r = t + rng.below_scaled(n - t);
                    idx.swap(t, r);
                    held[idx[t]] = true;
                }
            }
        }
    }
    held
}

/// Per-user metric values.
struct PerUser {
    metrics: Vec<[f64; 4]>,
    recommended: Vec<bool>,
}

/// Boxed: awaited twice (model and baseline), one copy of the scoring code.
fn score_users<'a>(
    model: &'a Recommender,
    test: &'a Interactions,
    k: usize,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, PerUser> {
    Box::pin(score_users_inner(model, test, k, ctl))
}

async fn score_users_inner(model: &Recommender, test: &Interactions, k: usize, ctl: &mut Ctl<'_>) -> Result<PerUser> {
    let n = model.items().len();
    let mut recommended = vec![false; n];
    let mut metrics = Vec::new();
    let train = &model.data.matrix;
    let disc = |i: usize| 1.0 / ((i + 2) as f64).log2();
    for u in 0..test.matrix.rows {
        if u % 64 == 0 {
            ctl.tick("score", u as u64, test.matrix.rows as u64).await?;
        }
        let (rel, _) = test.matrix.row(u);
        if rel.is_empty() {
            continue;
        }
        let (items, weights) = train.row(u);
        let mut allowed = vec![true; n];
        items.iter().for_each(|&i| allowed[i as usize] = false);
        let sparse = matches!(model.model, super::model::Model::ItemKnn { .. });
        let scores = model.scores(items, weights, Some(u));
        let top = model.top_items(&scores, &allowed, k, sparse);
        let (mut hits, mut ap, mut dcg) = (0usize, 0.0, 0.0);
        for (rank, &(j, _)) in top.iter().enumerate() {
            recommended[j as usize] = true;
            if rel.binary_search(&j).is_ok() {
                hits += 1;
                ap += hits as f64 / (rank + 1) as f64;
                dcg += disc(rank);
            }
        }
        let ideal: f64 = (0..rel.len().min(k)).map(disc).sum();
        metrics.push([
            hits as f64 / k as f64,
            hits as f64 / rel.len() as f64,
            ap / rel.len().min(k) as f64,
            dcg / ideal,
        ]);
    }
    Ok(PerUser { metrics, recommended })
}

fn mean(per: &PerUser) -> Metrics {
    let n = per.metrics.len().max(1) as f64;
    let col = |c: usize| per.metrics.iter().map(|m| m[c]).sum::<f64>() / n;
    Metrics {
        precision: col(0),
        recall: col(1),
        map: col(2),
        ndcg: col(3),
        coverage: per.recommended.iter().filter(|&&r| r).count() as f64 / per.recommended.len().max(1) as f64,
    }
}

/// Fits `params` on the training part of `data` and scores the held-out part, with the
/// popularity baseline on the same split.
pub fn evaluate_split(data: &Interactions, params: &FitParams, k: usize, how: Split, seed: u64) -> Result<Evaluation> {
    crate::task::run(evaluate_split_async(data, params, k, how, seed, &mut Ctl::none()))
}

/// [`evaluate_split`] as long work: progress `fit` (the model's steps), then `score` (users).
pub fn evaluate_split_async<'a>(
    data: &'a Interactions,
    params: &'a FitParams,
    k: usize,
    how: Split,
    seed: u64,
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, Evaluation> {
    // Boxed: the sync and async callers share one copy of the state machine in wasm.
    Box::pin(evaluate_split_async_inner(data, params, k, how, seed, ctl))
}

async fn evaluate_split_async_inner(
    data: &Interactions,
    params: &FitParams,
    k: usize,
    how: Split,
    seed: u64,
    ctl: &mut Ctl<'_>,
) -> Result<Evaluation> {
    if k == 0 {
        return Err(CrmError::invalid_option("k", "must be ≥ 1"));
    }
    let held = split(data, how, seed);
    let held_out = held.iter().filter(|&&h| h).count();
    if held_out == 0 {
        return Err(CrmError::invalid_option(
            "split",
            "no user has two or more items, so nothing can be held out for evaluation",
        ));
    }
    let train = data.subset(|e| !held[e]);
    let test = data.subset(|e| held[e]);
    let model = Recommender::fit_async(train.clone(), params, ctl).await?;
    let base = Recommender::fit(train, &FitParams { method: Method::Popularity, ..*params })?;
    let pm = score_users(&model, &test, k, ctl).await?;
    let pb = score_users(&base, &test, k, ctl).await?;
    let diffs: Vec<f64> = pm.metrics.iter().zip(&pb.metrics).map(|(a, b)| a[3] - b[3]).collect();
    let n = diffs.len() as f64;
    let d = diffs.iter().sum::<f64>() / n;
    let var = if n > 1.0 { diffs.iter().map(|x| (x - d) * (x - d)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    let se = (var / n).sqrt();
    let (mm, bm) = (mean(&pm), mean(&pb));
    let verdict = if d - 2.0 * se > 0.0 {
        "better"
    } else if d + 2.0 * se < 0.0 {
        "worse"
    } else {
        "no clear difference"
    };
    Ok(Evaluation {
        method: model.method,
        k,
        split: how,
        users: pm.metrics.len(),
        held_out,
        model: mm,
        baseline: bm,
        grade: Grade {
            verdict: verdict.to_string(),
            ndcg_lift: (bm.ndcg > 0.0).then(|| mm.ndcg / bm.ndcg),
            ndcg_difference: d,
            standard_error: se,
        },
    })
}

impl Recommender {
    /// `evaluate`: refits this recommender's method and parameters on a split of its own
    /// training data.
    pub fn evaluate(&self, opts: &EvaluateOptions) -> Result<Evaluation> {
        crate::task::run(self.evaluate_async(opts, &mut Ctl::none()))
    }

    /// [`Recommender::evaluate`] as long work (see [`evaluate_split_async`]).
    pub async fn evaluate_async(&self, opts: &EvaluateOptions, ctl: &mut Ctl<'_>) -> Result<Evaluation> {
        let params = FitParams { method: self.method, ..self.params };
        evaluate_split_async(
            &self.data,
            &params,
            opts.k.unwrap_or(10),
            opts.split.unwrap_or_default(),
            opts.seed.unwrap_or(0),
            ctl,
        )
        .await
    }
}

/// `auto`: item-kNN, ALS and popularity on a leave-last-out split; the best NDCG@10 wins
/// (popularity when no split is possible).
pub fn choose(data: &Interactions, params: &FitParams) -> Result<super::model::AutoChoice> {
    let mut candidates = Vec::new();
    for m in [Method::ItemKnn, Method::Als] {
        match evaluate_split(data, &FitParams { method: m, ..*params }, 10, Split::LeaveLastOut, params.seed) {
            Ok(e) => {
                if candidates.is_empty() {
                    candidates.push((Method::Popularity, e.baseline.ndcg));
                }
                candidates.push((m, e.model.ndcg));
            }
            Err(_) => break,
        }
    }
    let chosen = candidates
        .iter()
        .fold(None::<(Method, f64)>, |best, &(m, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((m, s)),
        })
        .map_or(Method::Popularity, |b| b.0);
    Ok(super::model::AutoChoice { chosen, candidates })
}
