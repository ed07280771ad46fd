//! `Predictor.train`: target and features, stratified k-fold cross-validation of each
//! candidate model, the choice, calibration, threshold, quality report, permutation
//! importance, and the final fit on every row.

use super::calibrate::{isotonic, platt, Calibration};
use super::caveats::{caveats, Context};
use super::ensemble::{boost, forest, FOREST_TREES};
use super::features::{choose, encode, owners, LeftOut};
use super::grade::grade;
use super::linear::{Linear, Loss};
use super::matrix::Mat;
use super::metrics::{self as m, Confusion};
use super::model::{
    Baseline, Candidate, FeatureReport, Fitted, Importance, Output, Predictor, Quality, FORMAT, VERSION,
};
use super::options::{ClassWeight, Features, ModelKind, Task, ThresholdRule, TrainOptions};
use super::target::{self, Target};
use crate::error::{CrmError, Result};
use crate::rng::Rng;
use crate::table::Dataset;
use crate::task::Ctl;

/// Fewest rows with a target.
pub const MIN_ROWS: usize = 20;
/// Univariate AUC (or |correlation|) at or beyond which a feature counts as a copy of the target.
pub const LEAK_LEVEL: f64 = 0.99;
/// Regularisation λ of the linear models (scikit-learn's C = 1).
const LAMBDA: f64 = 1.0;
/// Rows per fold used for permutation importance, and repeats.
const IMPORTANCE_ROWS: usize = 1000;
const IMPORTANCE_REPEATS: usize = 3;

/// Stratified folds: each class shuffled and dealt round-robin. Returns the fold of each row.
pub fn stratified_folds(y: &[f64], k: usize, classify: bool, seed: u64) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    let mut fold = vec![0; y.len()];
    let groups: Vec<Vec<usize>> = if classify {
        vec![(0..y.len()).filter(|&i| y[i] > 0.5).collect(), (0..y.len()).filter(|&i| y[i] <= 0.5).collect()]
    } else {
        vec![(0..y.len()).collect()]
    };
    let mut offset = 0;
    for mut g in groups {
        for i in (1..g.len()).rev() {
            let j = rng.below(i + 1);
            g.swap(i, j);
        }
        for (p, &i) in g.iter().enumerate() {
            fold[i] = (p + offset) % k;
        }
        offset += g.len();
    }
    fold
}

async fn fit(
    kind: ModelKind,
    x: &Mat,
    y: &[f64],
    w: &[f64],
    task: Task,
    seed: u64,
    ctl: &mut Ctl<'_>,
) -> Result<Fitted> {
    let classify = task == Task::Classification;
    Ok(match kind {
        ModelKind::Logistic => Fitted::Linear(Linear::fit(x, y, w, Loss::Logistic, LAMBDA)?),
        ModelKind::Svm => Fitted::Linear(Linear::fit(x, y, w, Loss::SquaredHinge, LAMBDA)?),
        ModelKind::Linear => Fitted::Linear(Linear::fit(x, y, w, Loss::Squared, LAMBDA)?),
        ModelKind::Gbdt => Fitted::Trees(boost(x, y, w, classify, seed, ctl).await?),
        ModelKind::RandomForest => Fitted::Trees(forest(x, y, w, FOREST_TREES, seed, ctl).await?),
        ModelKind::DecisionTree | ModelKind::Auto => Fitted::Trees(forest(x, y, w, 1, seed, ctl).await?),
    })
}

fn output_of(kind: ModelKind, task: Task) -> Output {
    match (task, kind) {
        (Task::Regression, _) => Output::Value,
        (_, ModelKind::Svm) => Output::Margin,
        (_, ModelKind::RandomForest | ModelKind::DecisionTree) => Output::Probability,
        _ => Output::LogOdds,
    }
}

fn candidates(opts: &TrainOptions, task: Task) -> Result<Vec<ModelKind>> {
    use ModelKind::*;
    Ok(match (opts.model, task) {
        (Auto, Task::Classification) => vec![Logistic, Gbdt, RandomForest],
        (Auto, Task::Regression) => vec![Linear, Gbdt, RandomForest],
        (Logistic | Svm, Task::Regression) => {
            return Err(CrmError::invalid_option(
                "model",
                format!(
                    "'{}' classifies; use 'linear', 'gbdt', 'random-forest' or 'decision-tree' for a number",
                    opts.model.name()
                ),
            ))
        }
        (Linear, Task::Classification) => {
            return Err(CrmError::invalid_option("model", "'linear' predicts a number; use 'logistic' to classify"))
        }
        (k, _) => vec![k],
    })
}

/// A clock for the timings: the host's when there is one.
fn now(ctl: &Ctl<'_>) -> f64 {
    ctl.now_ms()
}

/// Trains a predictor on `ds` (see the module docs of [`super`]).
pub async fn train(ds: &Dataset, opts: &TrainOptions, ctl: &mut Ctl<'_>) -> Result<Predictor> {
    opts.check()?;
    let mut warnings = Vec::new();
    let t = target::read(ds, opts, &mut warnings)?;
    let Target { task, rows, y, .. } = &t;
    let (task, n) = (*task, rows.len());
    let classify = task == Task::Classification;
    let folds = opts.validation.folds;
    if n < MIN_ROWS.max(2 * folds) {
        return Err(CrmError::empty(format!(
            "{n} rows have a target; at least {} are needed to train and validate a model",
            MIN_ROWS.max(2 * folds)
        )));
    }
    if classify {
        let pos = y.iter().filter(|&&v| v > 0.5).count();
        let minority = pos.min(n - pos);
        if minority < folds {
            return Err(CrmError::empty(format!(
                "only {minority} rows of the rarer class; {folds}-fold validation needs at least {folds}"
            )));
        }
        if (minority as f64) < 0.02 * n as f64 {
            warnings.push(format!(
                "the rarer class is {:.1}% of rows: expect unstable metrics",
                100.0 * minority as f64 / n as f64
            ));
        }
    }

    // Features.
    let (cols, forced): (Vec<_>, bool) = match &opts.features {
        Features::List(names) => {
            let mut v = Vec::new();
            for nm in names {
                if *nm == opts.target {
                    return Err(CrmError::invalid_option("features", "the target cannot be a feature"));
                }
                v.push(ds.column(nm)?);
            }
            (v, true)
        }
        Features::Named(_) => (ds.columns().iter().filter(|c| c.name != opts.target).collect(), false),
    };
    let (mut used, mut left_out) = choose(&cols, rows, forced, &mut warnings)?;
    // Leakage guard: a feature that alone nearly reproduces the target.
    let x0 = encode(ds, &used, Some(rows))?;
    let own = owners(&used);
    let mut leak = vec![false; used.len()];
    for j in 0..x0.cols {
        let (yy, xx): (Vec<f64>, Vec<f64>) =
            x0.col(j).iter().zip(y).filter(|(v, _)| v.is_finite()).map(|(v, t)| (*t, *v)).unzip();
        if yy.len() < n / 2 {
            continue;
        }
        let s = if classify {
            let yb: Vec<bool> = yy.iter().map(|&v| v > 0.5).collect();
            let a = m::auc(&yb, &xx);
            if a.is_nan() {
                0.5
            } else {
                a.max(1.0 - a)
            }
        } else {
            correlation(&xx, &yy).abs()
        };
        if s >= LEAK_LEVEL {
            leak[own[j]] = true;
        }
    }
    if leak.iter().any(|&l| l) {
        let mut keep = Vec::new();
        for (f, l) in used.into_iter().zip(&leak) {
            if *l {
                if forced {
                    return Err(CrmError::invalid_option(
                        "features",
                        format!("`{}` is a near copy of the target (leakage)", f.name),
                    ));
                }
                warnings.push(format!(
                    "`{}` nearly reproduces the target on its own and was left out (leakage guard)",
                    f.name
                ));
                left_out.push(LeftOut { name: f.name.clone(), reason: "a near copy of the target (leakage)".into() });
            } else {
                keep.push(f);
            }
        }
        used = keep;
    }
    if used.is_empty() {
        let why: Vec<String> = left_out.iter().map(|l| format!("{}: {}", l.name, l.reason)).collect();
        return Err(CrmError::empty(format!("no usable feature ({})", why.join("; "))));
    }
    let x = encode(ds, &used, Some(rows))?;
    let own = owners(&used);

    // Weights.
    let w: Vec<f64> = match (classify, opts.class_weight) {
        (true, ClassWeight::Balanced) => {
            let pos = y.iter().filter(|&&v| v > 0.5).count() as f64;
            let (wp, wn) = (n as f64 / (2.0 * pos), n as f64 / (2.0 * (n as f64 - pos)));
            y.iter().map(|&v| if v > 0.5 { wp } else { wn }).collect()
        }
        _ => vec![1.0; n],
    };

    // Cross-validation of every candidate.
    let fold = stratified_folds(y, folds, classify, opts.validation.seed);
    let split: Vec<(Vec<usize>, Vec<usize>)> = (0..folds)
        .map(|k| ((0..n).filter(|&i| fold[i] != k).collect(), (0..n).filter(|&i| fold[i] == k).collect()))
        .collect();
    let kinds = candidates(opts, task)?;
    let yb: Vec<bool> = y.iter().map(|&v| v > 0.5).collect();
    let total = (kinds.len() * folds) as u64;
    let mut results: Vec<(ModelKind, Vec<f64>, Vec<Fitted>, f64)> = Vec::new();
    for (ci, &kind) in kinds.iter().enumerate() {
        let start = now(ctl);
        let mut oof = vec![0.0; n];
        let mut models = Vec::with_capacity(folds);
        for (k, (tr, te)) in split.iter().enumerate() {
            ctl.phase("cv", (ci * folds + k) as u64, total).await?;
            let xt = x.take(tr);
            let yt: Vec<f64> = tr.iter().map(|&i| y[i]).collect();
            let wt: Vec<f64> = tr.iter().map(|&i| w[i]).collect();
            let seed = opts.validation.seed ^ (k as u64 + 1).wrapping_mul(0x9E37_79B9);
            let model = fit(kind, &xt, &yt, &wt, task, seed, ctl).await?;
            let s = model.score(&x.take(te))?;
            for (&i, v) in te.iter().zip(s) {
                oof[i] = v;
            }
            models.push(model);
        }
        results.push((kind, oof, models, now(ctl) - start));
    }
    let metric = |s: &[f64]| if classify { m::auc(&yb, s) } else { m::regression(y, s).0 };
    let scored: Vec<f64> = results.iter().map(|r| metric(&r.1)).collect();
    let best = (0..results.len()).max_by(|&a, &b| scored[a].total_cmp(&scored[b]).then(b.cmp(&a))).unwrap_or(0);
    // The explainable linear model wins when within 0.005 of the best.
    let linear = results.iter().position(|r| matches!(r.0, ModelKind::Logistic | ModelKind::Linear));
    let chosen = match linear {
        Some(l) if l != best && scored[best] - scored[l] <= 0.005 => l,
        _ => best,
    };
    let metric_name = if classify { "auc" } else { "r2" };
    let candidates: Vec<Candidate> = results
        .iter()
        .enumerate()
        .map(|(i, r)| Candidate {
            model: r.0,
            score: scored[i],
            metric: metric_name.into(),
            fit_ms: r.3,
            chosen: i == chosen,
            note: if results.len() == 1 {
                "the model asked for".into()
            } else if i == chosen && i == best {
                format!("highest out-of-fold {metric_name}")
            } else if i == chosen {
                format!("within 0.005 {metric_name} of the best ({:.3}) and explainable", scored[best])
            } else {
                format!("{:.3} below the chosen model", scored[chosen] - scored[i])
            },
        })
        .collect();
    let (kind, oof, fold_models, _) = results.swap_remove(chosen);
    let output = output_of(kind, task);

    // Calibration (classification): chosen out of fold by Brier score.
    let mut quality = Quality { rows: n as u64, folds: folds as u32, ..Default::default() };
    let (calibration, probs) = if classify {
        let log_odds = output != Output::Probability;
        let raw: Vec<f64> = oof.iter().map(|&s| Calibration::None.apply(s, log_odds)).collect();
        let cross = |f: fn(&[f64], &[bool]) -> Calibration| -> Vec<f64> {
            let mut p = vec![0.0; n];
            for (tr, te) in &split {
                let c =
                    f(&tr.iter().map(|&i| oof[i]).collect::<Vec<_>>(), &tr.iter().map(|&i| yb[i]).collect::<Vec<_>>());
                for &i in te {
                    p[i] = c.apply(oof[i], log_odds);
                }
            }
            p
        };
        let (pp, pi) = (cross(platt), cross(isotonic));
        let (bn, bp, bi) = (m::brier(&yb, &raw), m::brier(&yb, &pp), m::brier(&yb, &pi));
        let margin = output == Output::Margin;
        let (name, cal, probs) = if !margin && bn <= bp.min(bi) + 1e-4 {
            ("none", Calibration::None, raw)
        } else if bp <= bi {
            ("platt", platt(&oof, &yb), pp)
        } else {
            ("isotonic", isotonic(&oof, &yb), pi)
        };
        quality.calibration_method =
            Some(if margin { name.to_string() } else { format!("{name} (out-of-fold Brier {bn:.4} uncalibrated)") });
        (cal, probs)
    } else {
        (Calibration::None, oof.clone())
    };

    // Threshold and metrics.
    let mut threshold = 0.5;
    if classify {
        let (t, rule) = match opts.threshold {
            ThresholdRule::MaxF1 => (m::max_f1_threshold(&yb, &probs), "the highest F1 out of fold".to_string()),
            ThresholdRule::Top { fraction } => (
                m::top_fraction_threshold(&probs, fraction),
                format!("flags the top {:.0}% of customers by score", fraction * 100.0),
            ),
            ThresholdRule::Fixed { value } => (value, format!("fixed at {value}")),
            ThresholdRule::Cost { false_positive: a, false_negative: b } => (
                m::min_cost_threshold(&yb, &probs, a, b),
                format!("the least cost out of fold, a false alarm costing {a} and a missed positive {b}"),
            ),
        };
        threshold = t;
        let c = Confusion::at(&yb, &probs, t);
        let rate = y.iter().sum::<f64>() / n as f64;
        let (roc, pr) = m::curves(&yb, &probs);
        quality.auc = Some(m::auc(&yb, &probs));
        quality.pr_auc = Some(m::average_precision(&yb, &probs));
        quality.accuracy = Some(c.accuracy());
        quality.precision = Some(c.precision());
        quality.recall = Some(c.recall());
        quality.f1 = Some(c.f1());
        quality.log_loss = Some(m::log_loss(&yb, &probs));
        quality.brier = Some(m::brier(&yb, &probs));
        quality.confusion = Some(c);
        quality.threshold = Some(t);
        quality.threshold_rule = Some(rule);
        quality.roc_curve = Some(roc);
        quality.pr_curve = Some(pr);
        quality.calibration = m::calibration_bins(&yb, &probs);
        quality.baseline = Baseline {
            rate,
            majority_accuracy: Some(rate.max(1.0 - rate)),
            brier: Some(rate * (1.0 - rate)),
            log_loss: Some(m::log_loss(&yb, &vec![rate; n])),
            rmse: None,
        };
    } else {
        let (r2, rmse, mae) = m::regression(y, &probs);
        let mean = y.iter().sum::<f64>() / n as f64;
        quality.r2 = Some(r2);
        quality.rmse = Some(rmse);
        quality.mae = Some(mae);
        quality.baseline =
            Baseline { rate: mean, rmse: Some(m::regression(y, &vec![mean; n]).1), ..Default::default() };
    }
    quality.lift = m::deciles(y, &probs);
    let (g, text) = grade(&quality, classify, &t);
    quality.grade = g.into();
    quality.explanation = text;

    // Permutation importance on held-out rows of each fold model.
    let mut imp = vec![vec![0.0; IMPORTANCE_REPEATS]; used.len()];
    let mut rng = Rng::new(opts.validation.seed ^ 0x1_0000);
    for (k, ((_, te), model)) in split.iter().zip(&fold_models).enumerate() {
        ctl.phase("importance", k as u64, folds as u64).await?;
        let te: Vec<usize> = if te.len() > IMPORTANCE_ROWS {
            rng.sample_indices(te.len(), IMPORTANCE_ROWS).into_iter().map(|i| te[i]).collect()
        } else {
            te.clone()
        };
        let xt = x.take(&te);
        let yt: Vec<f64> = te.iter().map(|&i| y[i]).collect();
        let ytb: Vec<bool> = yt.iter().map(|&v| v > 0.5).collect();
        let score = |s: &[f64]| if classify { m::auc(&ytb, s) } else { m::regression(&yt, s).0 };
        let before = match model {
            Fitted::Trees(e) => e.per_tree(&xt),
            Fitted::Linear(_) => Vec::new(),
        };
        let totals: Vec<f64> = (0..xt.rows).map(|i| before.iter().map(|t| t[i]).sum()).collect();
        let base = score(&model.score(&xt)?);
        let mut xp = xt.clone();
        for (f, slot) in imp.iter_mut().enumerate() {
            let cols: Vec<usize> = (0..x.cols).filter(|&j| own[j] == f).collect();
            for r in slot.iter_mut() {
                let mut perm: Vec<usize> = (0..te.len()).collect();
                for i in (1..perm.len()).rev() {
                    perm.swap(i, rng.below(i + 1));
                }
                for &j in &cols {
                    let src = xt.col(j);
                    let dst = xp.col_mut(j);
                    for (i, &p) in perm.iter().enumerate() {
                        dst[i] = src[p];
                    }
                }
                let s = match model {
                    Fitted::Trees(e) => e.rescore(&xp, &before, &totals, &cols),
                    Fitted::Linear(_) => model.score(&xp)?,
                };
                *r += (base - score(&s)) / folds as f64;
            }
            for &j in &cols {
                xp.col_mut(j).copy_from_slice(xt.col(j));
            }
            ctl.tick("importance", k as u64, folds as u64).await?;
        }
    }
    let mut importance: Vec<Importance> = used
        .iter()
        .zip(&imp)
        .map(|(f, r)| {
            let mean = r.iter().sum::<f64>() / r.len() as f64;
            let var = r.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (r.len() as f64 - 1.0).max(1.0);
            Importance { feature: f.name.clone(), mean, std: var.sqrt() }
        })
        .collect();
    crate::sort::by(&mut importance, &|a, b| b.mean.total_cmp(&a.mean));

    warnings.extend(caveats(&Context {
        classify,
        rows: n,
        positives: yb.iter().filter(|&&b| b).count(),
        encoded_columns: x.cols,
        quality: &quality,
        candidates: &candidates,
    }));

    // Final model on every row.
    ctl.phase("final", 0, 1).await?;
    let fitted = fit(kind, &x, y, &w, task, opts.validation.seed, ctl).await?;
    Ok(Predictor {
        format: FORMAT.into(),
        version: VERSION,
        task,
        target: opts.target.clone(),
        model: kind,
        positive: t.positive.clone(),
        negative: t.negative.clone(),
        output,
        features: FeatureReport { used, left_out },
        fitted,
        calibration,
        threshold,
        quality,
        candidates,
        importance,
        warnings,
    })
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().max(1) as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut s, mut sa, mut sb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        s += (x - ma) * (y - mb);
        sa += (x - ma).powi(2);
        sb += (y - mb).powi(2);
    }
    if sa > 0.0 && sb > 0.0 {
        s / (sa * sb).sqrt()
    } else {
        0.0
    }
}
