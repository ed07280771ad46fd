//! Holdout evaluation of the BG/NBD: fit on the calibration period, predict each customer's
//! repeat purchases in the holdout period that follows, and compare with what they really
//! did — and with a naive baseline that projects each customer's own calibration rate
//! (x / T per time unit) forward. The grade says how much the model adds over that baseline,
//! in the manner of the A / B / C model grades of CRM vendors' lifetime-value tools.
//!
//! Grade rules (per-customer mean absolute error, MAE; aggregate error = (predicted − actual)
//! / actual over all customers):
//! - **A**: MAE at most 80% of the baseline's, and the aggregate within ±10%;
//! - **B**: MAE no worse than the baseline's, and the aggregate within ±25%;
//! - **C**: anything else (the model does not beat projecting each customer's past rate, or
//!   misses the total by more than 25%) — use its numbers with care.

use serde::Serialize;

/// How the model did on the holdout period, with the numbers behind the grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct HoldoutQuality {
    /// First and last day of the holdout period (`YYYY-MM-DD`).
    pub holdout_start: String,
    pub holdout_end: String,
    /// Length of the holdout period in the model's time unit.
    pub holdout_length: f64,
    /// Calibration customers compared.
    pub customers: usize,
    /// Holdout transaction rows of customers first seen in the holdout period (not
    /// predictable by a model fitted before they arrived; counted, not compared).
    pub rows_of_new_customers: usize,
    /// Repeat purchase occasions in the holdout period: actual, model, baseline.
    pub actual_purchases: f64,
    pub predicted_purchases: f64,
    pub baseline_purchases: f64,
    /// (predicted − actual) / actual for the model and the baseline.
    pub aggregate_error: f64,
    pub baseline_aggregate_error: f64,
    /// Per-customer mean absolute and root-mean-square errors.
    pub mae: f64,
    pub baseline_mae: f64,
    pub rmse: f64,
    pub baseline_rmse: f64,
    /// Pearson correlation of predicted and actual per-customer purchases.
    pub correlation: f64,
    pub baseline_correlation: f64,
    /// "A", "B" or "C" (rules in the module documentation).
    pub grade: String,
    /// The grade in one sentence, with its numbers.
    pub explanation: String,
}

/// Compares per-customer `predicted` and `baseline` holdout purchases with `actual`.
pub fn evaluate(actual: &[f64], predicted: &[f64], baseline: &[f64]) -> (Scores, Scores) {
    (Scores::of(actual, predicted), Scores::of(actual, baseline))
}

/// Error measures of one set of predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub total_actual: f64,
    pub total_predicted: f64,
    pub aggregate_error: f64,
    pub mae: f64,
    pub rmse: f64,
    pub correlation: f64,
}

impl Scores {
    fn of(actual: &[f64], predicted: &[f64]) -> Scores {
        let n = actual.len().max(1) as f64;
        let (sa, sp) = (actual.iter().sum::<f64>(), predicted.iter().sum::<f64>());
        let (ma, mp) = (sa / n, sp / n);
        let (mut abs, mut sq, mut cov, mut va, mut vp) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&a, &p) in actual.iter().zip(predicted) {
            abs += (p - a).abs();
            sq += (p - a) * (p - a);
            cov += (a - ma) * (p - mp);
            va += (a - ma) * (a - ma);
            vp += (p - mp) * (p - mp);
        }
        Scores {
            total_actual: sa,
            total_predicted: sp,
            aggregate_error: if sa > 0.0 { (sp - sa) / sa } else { f64::NAN },
            mae: abs / n,
            rmse: (sq / n).sqrt(),
            correlation: if va > 0.0 && vp > 0.0 { cov / (va * vp).sqrt() } else { f64::NAN },
        }
    }
}

/// The grade and its explanation.
pub fn grade(model: &Scores, baseline: &Scores) -> (String, String) {
    let agg = model.aggregate_error.abs();
    let ratio = if baseline.mae > 0.0 { model.mae / baseline.mae } else { f64::INFINITY };
    let grade = if ratio <= 0.8 && agg <= 0.10 {
        "A"
    } else if ratio <= 1.0 && agg <= 0.25 {
        "B"
    } else {
        "C"
    };
    let cmp = if ratio <= 1.0 {
        format!("{:.0}% lower than", (1.0 - ratio) * 100.0)
    } else {
        format!("{:.0}% higher than", (ratio - 1.0) * 100.0)
    };
    let explanation = format!(
        "Grade {grade}: per-customer error {:.3} purchases, {cmp} the naive baseline's {:.3}; \
         total holdout purchases predicted {:.0} vs {:.0} actual ({:+.1}%).",
        model.mae,
        baseline.mae,
        model.total_predicted,
        model.total_actual,
        model.aggregate_error * 100.0
    );
    (grade.to_string(), explanation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_rules() {
        let actual = [0.0, 1.0, 2.0, 5.0];
        let good = [0.1, 1.1, 1.9, 4.8];
        let base = [1.0, 0.0, 3.0, 3.0];
        let (m, b) = evaluate(&actual, &good, &base);
        assert_eq!(grade(&m, &b).0, "A");
        assert!((m.total_actual - 8.0).abs() < 1e-12 && (m.mae - 0.125).abs() < 1e-12);
        // As good as the baseline per customer but 20% too high in total: B.
        let (m, b) = evaluate(&actual, &[0.4, 1.4, 2.4, 5.4], &[0.5, 1.5, 2.5, 5.5]);
        assert_eq!(grade(&m, &b).0, "B", "{m:?}");
        // Worse than the baseline: C, and the explanation says so.
        let (m, b) = evaluate(&actual, &base, &good);
        let (g, why) = grade(&m, &b);
        assert_eq!(g, "C");
        assert!(why.contains("higher than"), "{why}");
    }
}
