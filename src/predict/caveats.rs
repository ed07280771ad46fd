//! Honest warnings about what the out-of-fold numbers can and cannot say: how uncertain the
//! AUC is at this sample size (Hanley & McNeil 1982), a result too good to be true (leakage
//! the single-column guard cannot see), a model indistinguishable from guessing or from the
//! average, few rows per encoded column, and candidates closer than the noise.

use super::model::{Candidate, Quality};

/// Rows per encoded column below which the model is flagged as likely to overfit.
const ROWS_PER_COLUMN: usize = 10;
/// Out-of-fold AUC (or R²) at or beyond which the result is flagged as suspiciously good.
const TOO_GOOD: f64 = 0.98;
/// 95% half-width of the AUC beyond which the uncertainty is stated.
const WIDE: f64 = 0.02;

/// Standard error of an AUC from `pos` positive and `neg` negative rows (Hanley & McNeil
/// 1982, equation 2, with their exponential approximations of Q1 and Q2).
pub fn auc_std_error(auc: f64, pos: usize, neg: usize) -> f64 {
    if pos == 0 || neg == 0 || !auc.is_finite() {
        return f64::NAN;
    }
    let (a, p, n) = (auc, pos as f64, neg as f64);
    let q1 = a / (2.0 - a);
    let q2 = 2.0 * a * a / (1.0 + a);
    let v = (a * (1.0 - a) + (p - 1.0) * (q1 - a * a) + (n - 1.0) * (q2 - a * a)) / (p * n);
    v.max(0.0).sqrt()
}

/// What the caller of `train` knows when the quality is complete.
pub struct Context<'a> {
    pub classify: bool,
    /// Rows with a target, positives among them (classification).
    pub rows: usize,
    pub positives: usize,
    /// Columns of the encoded matrix (one-hot levels, missing indicators included).
    pub encoded_columns: usize,
    pub quality: &'a Quality,
    pub candidates: &'a [Candidate],
}

/// The warnings to add to the predictor's report (empty when there is nothing to say).
pub fn caveats(c: &Context<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let q = c.quality;
    if c.rows < ROWS_PER_COLUMN * c.encoded_columns {
        out.push(format!(
            "{} rows for {} encoded columns (fewer than {ROWS_PER_COLUMN} per column): the model can fit noise; \
             the out-of-fold metrics account for it, but importance and factors are rough",
            c.rows, c.encoded_columns
        ));
    }
    let chosen = c.candidates.iter().find(|k| k.chosen).map_or(f64::NAN, |k| k.score);
    if c.classify {
        let auc = q.auc.unwrap_or(f64::NAN);
        let (pos, neg) = (c.positives, c.rows.saturating_sub(c.positives));
        let half = 1.96 * auc_std_error(auc, pos, neg);
        if half.is_finite() && half > WIDE {
            let mut s = format!(
                "with {pos} positive and {neg} other rows the out-of-fold AUC {auc:.3} is uncertain by about \
                 ±{half:.3} (95%, Hanley–McNeil)"
            );
            if auc - half <= 0.5 {
                s.push_str(": not distinguishable from guessing at this sample size");
            }
            let close = c.candidates.iter().filter(|k| !k.chosen && (chosen - k.score).abs() < half).count();
            if close > 0 {
                s.push_str(&format!(
                    "; {close} other candidate model(s) scored within that margin, so the choice is a toss-up"
                ));
            }
            out.push(s);
        }
        if auc >= TOO_GOOD {
            out.push(format!(
                "an out-of-fold AUC of {auc:.3} is rare on customer data: check that no column was recorded after \
                 the outcome (the leakage guard only catches a single column that copies the target)"
            ));
        }
    } else {
        let r2 = q.r2.unwrap_or(f64::NAN);
        if r2 >= TOO_GOOD {
            out.push(format!(
                "an out-of-fold R² of {r2:.3} is rare on customer data: check that no column was recorded after \
                 the outcome (the leakage guard only catches a single column that copies the target)"
            ));
        } else if r2 <= 0.0 {
            out.push(format!(
                "out of fold the model does no better than always predicting the average (R² {r2:.3}): do not use \
                 its values"
            ));
        }
        if c.rows < 100 {
            out.push(format!("only {} rows: R² and the error are rough estimates", c.rows));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hanley_mcneil_standard_error_matches_the_paper() {
        // Hanley & McNeil (1982), the CT example: A = 0.893 with 51 abnormal and 58 normal
        // cases has a standard error of 0.032.
        let se = auc_std_error(0.893, 51, 58);
        assert!((se - 0.0325).abs() < 0.0005, "{se}");
        // More rows, narrower; no rows of a class, no answer.
        assert!(auc_std_error(0.893, 510, 580) < se / 3.0);
        assert!(auc_std_error(0.8, 0, 10).is_nan());
    }

    fn ctx(quality: &Quality, rows: usize, positives: usize, encoded_columns: usize) -> Context<'_> {
        Context { classify: true, rows, positives, encoded_columns, quality, candidates: &[] }
    }

    #[test]
    fn caveats_say_what_the_numbers_cannot() {
        let q = |auc: f64| Quality { auc: Some(auc), ..Default::default() };
        let w = caveats(&ctx(&q(0.56), 60, 20, 3));
        assert!(w.iter().any(|s| s.contains("uncertain by about") && s.contains("guessing")), "{w:?}");
        assert!(caveats(&ctx(&q(0.84), 7000, 1800, 40)).is_empty());
        assert!(caveats(&ctx(&q(0.84), 300, 100, 40))[0].contains("300 rows for 40 encoded columns"));
        assert!(caveats(&ctx(&q(0.995), 7000, 1800, 40)).iter().any(|s| s.contains("recorded after the outcome")));
    }
}
