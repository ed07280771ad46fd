//! Count, mean and central moments up to the fourth, min, max, zeros and negatives, updated
//! one value at a time (Welford / Pébay) and merged exactly in closed form (Chan et al. 1979,
//! Pébay 2008, "Formulas for robust, one-pass parallel computation of covariances and
//! arbitrary-order statistical moments").

/// Mergeable moments of a stream of finite numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub(crate) m2: f64,
    pub(crate) m3: f64,
    pub(crate) m4: f64,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub zeros: u64,
    pub negatives: u64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            m3: 0.0,
            m4: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: 0.0,
            zeros: 0,
            negatives: 0,
        }
    }
}

impl Moments {
    #[inline]
    pub fn push(&mut self, x: f64) {
        let n1 = self.n as f64;
        self.n += 1;
        let n = self.n as f64;
        let delta = x - self.mean;
        let dn = delta / n;
        let dn2 = dn * dn;
        let term1 = delta * dn * n1;
        self.mean += dn;
        self.m4 += term1 * dn2 * (n * n - 3.0 * n + 3.0) + 6.0 * dn2 * self.m2 - 4.0 * dn * self.m3;
        self.m3 += term1 * dn * (n - 2.0) - 3.0 * dn * self.m2;
        self.m2 += term1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        self.sum += x;
        self.zeros += (x == 0.0) as u64;
        self.negatives += (x < 0.0) as u64;
    }

    /// The moments of a block of finite values, by two passes over it (the mean, then the
    /// central sums), to be [`merge`](Self::merge)d into a running state: cheaper than one
    /// [`push`](Self::push) per value and at least as accurate.
    pub fn of_slice(x: &[f64]) -> Moments {
        if x.is_empty() {
            return Moments::default();
        }
        let n = x.len() as f64;
        let (mut sum, mut min, mut max, mut zeros, mut negatives) = (0.0, f64::INFINITY, f64::NEG_INFINITY, 0, 0);
        for &v in x {
            sum += v;
            // The values are finite: plain comparisons (no NaN-aware `fmin` call in wasm).
            if v < min {
                min = v;
            }
            if v > max {
                max = v;
            }
            zeros += (v == 0.0) as u64;
            negatives += (v < 0.0) as u64;
        }
        let mean = sum / n;
        let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
        for &v in x {
            let d = v - mean;
            let d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        Moments { n: x.len() as u64, mean, m2, m3, m4, min, max, sum, zeros, negatives }
    }

    /// `w` copies of `x` at once.
    pub fn push_weighted(&mut self, x: f64, w: u64) {
        if w <= 1 {
            if w == 1 {
                self.push(x);
            }
            return;
        }
        let block = Moments {
            n: w,
            mean: x,
            min: x,
            max: x,
            sum: x * w as f64,
            zeros: if x == 0.0 { w } else { 0 },
            negatives: if x < 0.0 { w } else { 0 },
            ..Default::default()
        };
        self.merge(&block);
    }

    /// Combines with the moments of another part of the stream.
    pub fn merge(&mut self, b: &Moments) {
        if b.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = b.clone();
            return;
        }
        let (na, nb) = (self.n as f64, b.n as f64);
        let n = na + nb;
        let d = b.mean - self.mean;
        let (d2, d3, d4) = (d * d, d * d * d, d * d * d * d);
        let (a2, a3) = (self.m2, self.m3);
        self.m4 += b.m4
            + d4 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
            + 6.0 * d2 * (na * na * b.m2 + nb * nb * a2) / (n * n)
            + 4.0 * d * (na * b.m3 - nb * a3) / n;
        self.m3 += b.m3 + d3 * na * nb * (na - nb) / (n * n) + 3.0 * d * (na * b.m2 - nb * a2) / n;
        self.m2 += b.m2 + d2 * na * nb / n;
        self.mean += d * nb / n;
        self.n += b.n;
        self.min = self.min.min(b.min);
        self.max = self.max.max(b.max);
        self.sum += b.sum;
        self.zeros += b.zeros;
        self.negatives += b.negatives;
    }

    /// Sample variance (n − 1 in the denominator, as pandas).
    pub fn variance(&self) -> Option<f64> {
        (self.n >= 2).then(|| self.m2 / (self.n as f64 - 1.0))
    }
    pub fn std(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }
    /// Adjusted Fisher–Pearson skewness G1 (pandas `skew`).
    pub fn skewness(&self) -> Option<f64> {
        let n = self.n as f64;
        if self.n < 3 || self.m2 <= 0.0 {
            return None;
        }
        let g1 = (self.m3 / n) / (self.m2 / n).powf(1.5);
        Some(g1 * (n * (n - 1.0)).sqrt() / (n - 2.0))
    }
    /// Bias-corrected excess kurtosis G2 (pandas `kurt`).
    pub fn kurtosis(&self) -> Option<f64> {
        let n = self.n as f64;
        if self.n < 4 || self.m2 <= 0.0 {
            return None;
        }
        let g2 = n * self.m4 / (self.m2 * self.m2) - 3.0;
        Some(((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn direct(x: &[f64]) -> (f64, f64, f64, f64) {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let m = |k: i32| x.iter().map(|v| (v - mean).powi(k)).sum::<f64>();
        let (m2, m3, m4) = (m(2), m(3), m(4));
        let g1 = (m3 / n) / (m2 / n).powf(1.5) * (n * (n - 1.0)).sqrt() / (n - 2.0);
        let g2 = ((n + 1.0) * (n * m4 / (m2 * m2) - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
        (mean, (m2 / (n - 1.0)).sqrt(), g1, g2)
    }

    #[test]
    fn streaming_and_merged_agree_with_two_pass() {
        let x: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1013) as f64 * 0.37 - 50.0 + (i % 7) as f64).collect();
        let (mean, std, skew, kurt) = direct(&x);
        let mut whole = Moments::default();
        x.iter().for_each(|&v| whole.push(v));
        let mut merged = Moments::default();
        for part in x.chunks(137) {
            let mut m = Moments::default();
            part.iter().for_each(|&v| m.push(v));
            merged.merge(&m);
        }
        for m in [&whole, &merged] {
            assert!((m.mean - mean).abs() < 1e-9);
            assert!((m.std().unwrap() - std).abs() < 1e-9);
            assert!((m.skewness().unwrap() - skew).abs() < 1e-9);
            assert!((m.kurtosis().unwrap() - kurt).abs() < 1e-9);
        }
        let mut blocks = Moments::default();
        x.chunks(300).for_each(|c| blocks.merge(&Moments::of_slice(c)));
        assert!((blocks.mean - mean).abs() < 1e-9 && (blocks.std().unwrap() - std).abs() < 1e-9);
        assert!((blocks.skewness().unwrap() - skew).abs() < 1e-9);
        assert!((blocks.kurtosis().unwrap() - kurt).abs() < 1e-9);
        assert_eq!(
            (blocks.min, blocks.max, blocks.zeros, blocks.negatives),
            (whole.min, whole.max, 0, whole.negatives)
        );
        assert_eq!(merged.n, 1000);
        assert_eq!(merged.min, whole.min);
        assert_eq!(merged.negatives, whole.negatives);
        let mut w = Moments::default();
        w.push_weighted(3.0, 4);
        w.push(5.0);
        let mut s = Moments::default();
        [3.0, 3.0, 3.0, 3.0, 5.0].iter().for_each(|&v| s.push(v));
        assert!((w.variance().unwrap() - s.variance().unwrap()).abs() < 1e-12);
    }
}
