//! Out-of-fold quality: ranking (ROC / PR AUC), probabilities (log loss, Brier), the
//! confusion matrix at a threshold, curves, lift / gain by decile, calibration bins; and
//! R², RMSE, MAE for regression.

use serde::{Deserialize, Serialize};

/// Rows ordered by decreasing score (ties by index: deterministic).
fn by_score_desc(s: &[f64]) -> Vec<u32> {
    crate::sort::permutation(s.len(), &|a, b| s[b].total_cmp(&s[a]).then(a.cmp(&b)))
}

/// Area under the ROC curve (ties count one half); `NaN` without both classes.
/// Walks the rows by decreasing score, one group of tied scores at a time, calling
/// `f(score, tp, fp, rows)` after each group with the positives and negatives at or above
/// that score and the rows seen so far. The one walk behind AUC, AP, the thresholds and curves.
fn tie_groups(y: &[bool], s: &[f64], mut f: impl FnMut(f64, f64, f64, usize)) {
    let order = by_score_desc(s);
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        let v = s[order[i] as usize];
        while i < order.len() && s[order[i] as usize] == v {
            if y[order[i] as usize] {
                tp += 1.0
            } else {
                fp += 1.0
            }
            i += 1;
        }
        f(v, tp, fp, i);
    }
}

pub fn auc(y: &[bool], s: &[f64]) -> f64 {
    let (pos, neg) = counts(y);
    if pos == 0.0 || neg == 0.0 {
        return f64::NAN;
    }
    // Per group of tied scores: area += neg_in_group * (pos_before + pos_in_group / 2).
    let (mut area, mut pos_seen, mut neg_seen) = (0.0, 0.0, 0.0);
    tie_groups(y, s, |_, tp, fp, _| {
        area += (fp - neg_seen) * (pos_seen + (tp - pos_seen) / 2.0);
        pos_seen = tp;
        neg_seen = fp;
    });
    area / (pos * neg)
}

fn counts(y: &[bool]) -> (f64, f64) {
    let pos = y.iter().filter(|&&b| b).count() as f64;
    (pos, y.len() as f64 - pos)
}

/// Average precision (scikit-learn's step-wise PR AUC).
pub fn average_precision(y: &[bool], s: &[f64]) -> f64 {
    let (pos, _) = counts(y);
    if pos == 0.0 {
        return f64::NAN;
    }
    let (mut ap, mut last_recall) = (0.0, 0.0);
    tie_groups(y, s, |_, tp, fp, _| {
        let recall = tp / pos;
        ap += (recall - last_recall) * tp / (tp + fp);
        last_recall = recall;
    });
    ap
}

pub fn log_loss(y: &[bool], p: &[f64]) -> f64 {
    let e = 1e-15;
    let s: f64 = y
        .iter()
        .zip(p)
        .map(|(&y, &p)| -super::exact::ln(if y { p.clamp(e, 1.0) } else { (1.0 - p).clamp(e, 1.0) }))
        .sum();
    s / y.len().max(1) as f64
}

pub fn brier(y: &[bool], p: &[f64]) -> f64 {
    let s: f64 = y.iter().zip(p).map(|(&y, &p)| (p - y as u8 as f64).powi(2)).sum();
    s / y.len().max(1) as f64
}

/// Counts at a threshold: predicted positive when `p >= threshold`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Confusion {
    pub true_positive: u64,
    pub false_positive: u64,
    pub true_negative: u64,
    pub false_negative: u64,
}

impl Confusion {
    pub fn at(y: &[bool], p: &[f64], threshold: f64) -> Confusion {
        let mut c = Confusion { true_positive: 0, false_positive: 0, true_negative: 0, false_negative: 0 };
        for (&y, &p) in y.iter().zip(p) {
            match (p >= threshold, y) {
                (true, true) => c.true_positive += 1,
                (true, false) => c.false_positive += 1,
                (false, false) => c.true_negative += 1,
                (false, true) => c.false_negative += 1,
            }
        }
        c
    }
    pub fn accuracy(&self) -> f64 {
        let n = self.true_positive + self.false_positive + self.true_negative + self.false_negative;
        ratio(self.true_positive + self.true_negative, n)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.true_positive, 2 * self.true_positive + self.false_positive + self.false_negative)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The threshold (one of the scores) with the highest F1.
pub fn max_f1_threshold(y: &[bool], p: &[f64]) -> f64 {
    let (pos, _) = counts(y);
    let (mut best, mut best_t) = (-1.0, 0.5);
    tie_groups(y, p, |v, tp, fp, _| {
        let f1 = 2.0 * tp / (tp + fp + pos);
        if f1 > best {
            best = f1;
            best_t = v;
        }
    });
    best_t
}

/// The threshold (one of the scores) with the least total cost `fp_cost · FP + fn_cost · FN`
/// (rows scoring at or above it are flagged; at least the top score is). Ties go to the
/// higher threshold: the same cost with fewer contacts.
pub fn min_cost_threshold(y: &[bool], p: &[f64], fp_cost: f64, fn_cost: f64) -> f64 {
    let (pos, _) = counts(y);
    let (mut best, mut best_t) = (f64::INFINITY, 0.5);
    tie_groups(y, p, |v, tp, fp, _| {
        let cost = fp_cost * fp + fn_cost * (pos - tp);
        if cost < best {
            best = cost;
            best_t = v;
        }
    });
    best_t
}

/// The score above which the top `fraction` of rows lie.
pub fn top_fraction_threshold(p: &[f64], fraction: f64) -> f64 {
    let order = by_score_desc(p);
    let k = ((p.len() as f64 * fraction).ceil() as usize).clamp(1, p.len().max(1));
    order.get(k - 1).map_or(0.5, |&i| p[i as usize])
}

/// A curve as parallel arrays, at most 101 points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Curve {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub threshold: Vec<f64>,
}

/// ROC (x = false positive rate, y = true positive rate) and PR (x = recall, y = precision).
pub fn curves(y: &[bool], p: &[f64]) -> (Curve, Curve) {
    let (pos, neg) = counts(y);
    // The first point flags nobody: its threshold is above every score.
    let top = p.iter().copied().max_by(f64::total_cmp).map_or(1.0, |t| t).max(1.0) + 1.0;
    let mut roc = Curve { x: vec![0.0], y: vec![0.0], threshold: vec![top] };
    let mut pr = Curve { x: vec![], y: vec![], threshold: vec![] };
    let step = (p.len() / 100).max(1);
    let mut next = step;
    tie_groups(y, p, |v, tp, fp, i| {
        if i >= next || i == p.len() {
            next = i + step;
            roc.x.push(if neg > 0.0 { fp / neg } else { 0.0 });
            roc.y.push(if pos > 0.0 { tp / pos } else { 0.0 });
            roc.threshold.push(v);
            pr.x.push(if pos > 0.0 { tp / pos } else { 0.0 });
            pr.y.push(tp / (tp + fp));
            pr.threshold.push(v);
        }
    });
    (roc, pr)
}

/// One tenth of the rows by decreasing score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decile {
    pub decile: u32,
    pub rows: u64,
    /// Positives (or mean value for regression) in this decile.
    pub positive_rate: f64,
    /// Rate in the decile / overall rate.
    pub lift: f64,
    /// Share of all positives found in the top deciles up to this one.
    pub cumulative_gain: f64,
}

pub fn deciles(y: &[f64], score: &[f64]) -> Vec<Decile> {
    let order = by_score_desc(score);
    let n = order.len();
    let total: f64 = y.iter().sum();
    let overall = total / n.max(1) as f64;
    let mut out = Vec::new();
    let mut cum = 0.0;
    for d in 0..10 {
        let (a, b) = (n * d / 10, n * (d + 1) / 10);
        if a == b {
            continue;
        }
        let s: f64 = order[a..b].iter().map(|&i| y[i as usize]).sum();
        cum += s;
        let rate = s / (b - a) as f64;
        out.push(Decile {
            decile: d as u32 + 1,
            rows: (b - a) as u64,
            positive_rate: rate,
            lift: if overall != 0.0 { rate / overall } else { 0.0 },
            cumulative_gain: if total != 0.0 { cum / total } else { 0.0 },
        });
    }
    out
}

/// Predicted against observed in ten equal-width probability bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalibrationBin {
    pub low: f64,
    pub high: f64,
    pub rows: u64,
    pub mean_predicted: f64,
    pub observed_rate: f64,
}

pub fn calibration_bins(y: &[bool], p: &[f64]) -> Vec<CalibrationBin> {
    let mut acc = [(0u64, 0.0f64, 0.0f64); 10];
    for (&y, &p) in y.iter().zip(p) {
        let b = ((p * 10.0) as usize).min(9);
        acc[b].0 += 1;
        acc[b].1 += p;
        acc[b].2 += y as u8 as f64;
    }
    acc.iter()
        .enumerate()
        .filter(|(_, a)| a.0 > 0)
        .map(|(b, a)| CalibrationBin {
            low: b as f64 / 10.0,
            high: (b + 1) as f64 / 10.0,
            rows: a.0,
            mean_predicted: a.1 / a.0 as f64,
            observed_rate: a.2 / a.0 as f64,
        })
        .collect()
}

/// (R², RMSE, MAE).
pub fn regression(y: &[f64], f: &[f64]) -> (f64, f64, f64) {
    let n = y.len().max(1) as f64;
    let mean = y.iter().sum::<f64>() / n;
    let (mut ss, mut st, mut ae) = (0.0, 0.0, 0.0);
    for (&y, &f) in y.iter().zip(f) {
        ss += (y - f).powi(2);
        st += (y - mean).powi(2);
        ae += (y - f).abs();
    }
    (if st > 0.0 { 1.0 - ss / st } else { 0.0 }, (ss / n).sqrt(), ae / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_cost_threshold_is_the_cheapest_score() {
        // Brute force over every score as the threshold, on seeded data with ties.
        let mut rng = crate::rng::Rng::new(3);
        for (fp_cost, fn_cost) in [(1.0, 1.0), (1.0, 5.0), (4.0, 1.0), (0.0, 1.0)] {
            let p: Vec<f64> = (0..300).map(|_| (rng.next_f64() * 50.0).floor() / 50.0).collect();
            let y: Vec<bool> = p.iter().map(|&v| rng.next_f64() < v).collect();
            let cost = |t: f64| {
                let c = Confusion::at(&y, &p, t);
                fp_cost * c.false_positive as f64 + fn_cost * c.false_negative as f64
            };
            let t = min_cost_threshold(&y, &p, fp_cost, fn_cost);
            let best = p.iter().map(|&v| cost(v)).fold(f64::INFINITY, f64::min);
            assert_eq!(cost(t), best, "costs {fp_cost}/{fn_cost}");
            // Among equally cheap thresholds, the highest (fewest contacts).
            assert!(p.iter().all(|&v| cost(v) > best || v <= t), "costs {fp_cost}/{fn_cost}");
        }
    }

    #[test]
    fn auc_counts_pairs_and_ties() {
        let y = [true, false, true, false, true];
        let s = [0.9, 0.8, 0.7, 0.7, 0.1];
        // Pairs (pos, neg): (0.9>0.8) (0.9>0.7) (0.7=0.7 → ½) (0.7<0.8 → 0) (0.1 < both → 0) → 2.5 / 6.
        assert!((auc(&y, &s) - 2.5 / 6.0).abs() < 1e-12);
        let brute = {
            let mut a = 0.0;
            for i in 0..5 {
                for j in 0..5 {
                    if y[i] && !y[j] {
                        a += if s[i] > s[j] {
                            1.0
                        } else if s[i] == s[j] {
                            0.5
                        } else {
                            0.0
                        };
                    }
                }
            }
            a / 6.0
        };
        assert_eq!(auc(&y, &s), brute);
        // Average precision: ranks 1 (pos), 2 (neg), {3,4} tied (1 pos 1 neg), 5 (pos).
        let ap = average_precision(&y, &s);
        assert!((ap - (1.0 / 3.0 * 1.0 + 1.0 / 3.0 * 0.5 + 1.0 / 3.0 * 0.6)).abs() < 1e-12, "{ap}");
        let c = Confusion::at(&y, &s, 0.7);
        assert_eq!((c.true_positive, c.false_positive, c.false_negative, c.true_negative), (2, 2, 1, 0));
        assert_eq!(max_f1_threshold(&y, &s), 0.1);
    }
}
