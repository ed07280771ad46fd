//! Classification quality: accuracy, per-class and macro precision / recall / F1, and the
//! confusion matrix.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ClassMetrics {
    pub label: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// True texts of this class.
    pub support: u32,
}

/// `confusion[i][j]` = texts of true class `labels[i]` predicted as `labels[j]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
// In the .d.ts this is `SentimentEvaluation`: the recommender's is `Evaluation`, and two
// interfaces of one name would merge into one with the fields of both.
#[cfg_attr(feature = "ts", tsify(rename = "SentimentEvaluation"))]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub n: u32,
    pub accuracy: f64,
    /// Macro averages over the classes.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub per_class: Vec<ClassMetrics>,
    pub labels: Vec<String>,
    pub confusion_matrix: Vec<Vec<u32>>,
}

/// Metrics of predicted against true class indices (both < `labels.len()`).
pub fn evaluate(labels: &[String], truth: &[usize], pred: &[usize]) -> Evaluation {
    let k = labels.len();
    let mut m = vec![vec![0u32; k]; k];
    for (&t, &p) in truth.iter().zip(pred) {
        m[t][p] += 1;
    }
    let n = truth.len();
    let correct: u32 = (0..k).map(|i| m[i][i]).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let per_class: Vec<ClassMetrics> = (0..k)
        .map(|c| {
            let tp = m[c][c] as f64;
            let predicted: f64 = (0..k).map(|i| m[i][c] as f64).sum();
            let actual: f64 = m[c].iter().map(|&x| x as f64).sum();
            let (p, r) = (ratio(tp, predicted), ratio(tp, actual));
            ClassMetrics {
                label: labels[c].clone(),
                precision: p,
                recall: r,
                f1: ratio(2.0 * p * r, p + r),
                support: actual as u32,
            }
        })
        .collect();
    let mean = |f: fn(&ClassMetrics) -> f64| if k > 0 { per_class.iter().map(f).sum::<f64>() / k as f64 } else { 0.0 };
    Evaluation {
        n: n as u32,
        accuracy: ratio(correct as f64, n as f64),
        precision: mean(|c| c.precision),
        recall: mean(|c| c.recall),
        f1: mean(|c| c.f1),
        per_class,
        labels: labels.to_vec(),
        confusion_matrix: m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_counts() {
        let labels = vec!["neg".to_string(), "pos".to_string()];
        let e = evaluate(&labels, &[1, 1, 1, 0, 0], &[1, 1, 0, 0, 1]);
        assert_eq!(e.confusion_matrix, vec![vec![1, 1], vec![1, 2]]);
        assert!((e.accuracy - 0.6).abs() < 1e-12);
        assert!((e.per_class[1].precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((e.per_class[1].recall - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(e.per_class[0].support, 2);
    }
}
