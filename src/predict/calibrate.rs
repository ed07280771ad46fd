//! Probability calibration of a score: Platt scaling (a logistic curve in the score) or
//! isotonic regression (pool-adjacent-violators), kept only when it lowers the Brier score
//! out of fold.

use serde::{Deserialize, Serialize};

use super::linear::sigmoid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "camelCase", deny_unknown_fields)]
pub enum Calibration {
    /// The score is already a probability (`sigmoid` of log-odds, or a forest's mean).
    None,
    /// `p = 1 / (1 + exp(-(a · score + b)))`.
    Platt { a: f64, b: f64 },
    /// Step function: `p = values[k]` for the last `scores[k] <= score` (linear between).
    Isotonic { scores: Vec<f64>, values: Vec<f64> },
}

impl Calibration {
    /// Probability of a raw score; `log_odds` says whether the uncalibrated score is log-odds.
    pub fn apply(&self, s: f64, log_odds: bool) -> f64 {
        match self {
            Calibration::None => {
                if log_odds {
                    sigmoid(s)
                } else {
                    s.clamp(0.0, 1.0)
                }
            }
            Calibration::Platt { a, b } => sigmoid(a * s + b),
            Calibration::Isotonic { scores, values } => {
                let k = scores.partition_point(|&x| x <= s);
                if k == 0 {
                    values.first().copied().unwrap_or(0.5)
                } else if k >= scores.len() {
                    values.last().copied().unwrap_or(0.5)
                } else {
                    let (x0, x1, y0, y1) = (scores[k - 1], scores[k], values[k - 1], values[k]);
                    if x1 > x0 {
                        y0 + (y1 - y0) * (s - x0) / (x1 - x0)
                    } else {
                        y0
                    }
                }
            }
        }
    }

    pub fn valid(&self) -> bool {
        match self {
            Calibration::None => true,
            Calibration::Platt { a, b } => a.is_finite() && b.is_finite(),
            Calibration::Isotonic { scores, values } => {
                scores.len() == values.len()
                    && !scores.is_empty()
                    && scores.windows(2).all(|w| w[0] <= w[1])
                    && values.iter().all(|v| (0.0..=1.0).contains(v))
            }
        }
    }
}

/// Platt scaling by Newton's method on (a, b) with Platt's smoothed targets.
pub fn platt(s: &[f64], y: &[bool]) -> Calibration {
    let pos = y.iter().filter(|&&b| b).count() as f64;
    let neg = y.len() as f64 - pos;
    let (tp, tn) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
    let t: Vec<f64> = y.iter().map(|&b| if b { tp } else { tn }).collect();
    let (mut a, mut b) = (1.0, 0.0);
    for _ in 0..100 {
        let (mut g1, mut g2, mut h11, mut h12, mut h22) = (0.0, 0.0, 1e-12, 0.0, 1e-12);
        for (&si, &ti) in s.iter().zip(&t) {
            let p = sigmoid(a * si + b);
            let d = p - ti;
            let w = (p * (1.0 - p)).max(1e-12);
            g1 += d * si;
            g2 += d;
            h11 += w * si * si;
            h12 += w * si;
            h22 += w;
        }
        let det = h11 * h22 - h12 * h12;
        if det.abs() < 1e-300 {
            break;
        }
        let da = (h22 * g1 - h12 * g2) / det;
        let db = (h11 * g2 - h12 * g1) / det;
        a -= da;
        b -= db;
        if da.abs() + db.abs() < 1e-10 {
            break;
        }
    }
    if a.is_finite() && b.is_finite() {
        Calibration::Platt { a, b }
    } else {
        Calibration::None
    }
}

/// Isotonic regression of y on s (increasing), as knots at block means.
pub fn isotonic(s: &[f64], y: &[bool]) -> Calibration {
    let mut order: Vec<(f64, u32)> = s.iter().enumerate().map(|(i, &v)| (v, i as u32)).collect();
    crate::sort::f64_keyed(&mut order);
    // Blocks: (sum y, count, sum s).
    let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
    for &(v, i) in &order {
        blocks.push((y[i as usize] as u8 as f64, 1.0, v));
        while blocks.len() > 1 {
            let k = blocks.len();
            let (a, b) = (blocks[k - 2], blocks[k - 1]);
            if a.0 / a.1 >= b.0 / b.1 {
                blocks[k - 2] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
                blocks.pop();
            } else {
                break;
            }
        }
    }
    let scores = blocks.iter().map(|b| b.2 / b.1).collect();
    let values = blocks.iter().map(|b| b.0 / b.1).collect();
    Calibration::Isotonic { scores, values }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_is_monotone_and_platt_recovers_a_slope() {
        let s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
        let y = [false, true, false, true, true, true];
        let c = isotonic(&s, &y);
        let p: Vec<f64> = s.iter().map(|&v| c.apply(v, false)).collect();
        assert!(p.windows(2).all(|w| w[0] <= w[1]), "{p:?}");
        assert_eq!(p[0], 0.0);
        assert_eq!(p[5], 1.0);
        assert!(c.valid());
        // Scores 0..1 with P(y) = sigmoid(4 s − 2): Platt finds a ≈ 4, b ≈ −2.
        let mut rng = crate::rng::Rng::new(5);
        let s: Vec<f64> = (0..20000).map(|_| rng.next_f64()).collect();
        let y: Vec<bool> = s.iter().map(|&v| rng.next_f64() < sigmoid(4.0 * v - 2.0)).collect();
        let Calibration::Platt { a, b } = platt(&s, &y) else { panic!() };
        assert!((a - 4.0).abs() < 0.3 && (b + 2.0).abs() < 0.2, "{a} {b}");
    }
}
