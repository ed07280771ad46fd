//! Linear models on standardised features: L2-regularised logistic regression, linear SVM
//! (squared hinge, as liblinear's default) and ridge regression, all fitted by one truncated
//! Newton solver (conjugate-gradient steps with Hessian-vector products, so the cost is
//! O(rows × columns) per step and no d × d matrix is formed). Missing values are imputed
//! with the training mean plus an indicator column.

use serde::{Deserialize, Serialize};

use super::design::{dot, Design};
use super::exact;
use super::matrix::{checked_cells, Mat};
use crate::error::Result;

/// Column-wise standardisation fitted on training rows: `z = (x - mean) / scale`, missing →
/// 0 (the mean) plus an indicator column for each column that had missing values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    /// Encoded columns that get a missing indicator, in design order after the values.
    pub indicators: Vec<usize>,
}

impl Scaler {
    pub fn fit(x: &Mat) -> Scaler {
        let (mut mean, mut scale, mut indicators) = (Vec::new(), Vec::new(), Vec::new());
        for j in 0..x.cols {
            let (mut n, mut s, mut ss) = (0.0, 0.0, 0.0);
            for &v in x.col(j) {
                if v.is_finite() {
                    n += 1.0;
                    s += v;
                }
            }
            let m = if n > 0.0 { s / n } else { 0.0 };
            for &v in x.col(j) {
                if v.is_finite() {
                    ss += (v - m) * (v - m);
                }
            }
            let sd = if n > 0.0 { (ss / n).sqrt() } else { 0.0 };
            if (n as usize) < x.rows {
                indicators.push(j);
            }
            mean.push(m);
            scale.push(if sd > 1e-12 { sd } else { 1.0 });
        }
        Scaler { mean, scale, indicators }
    }

    pub fn width(&self) -> usize {
        self.mean.len() + self.indicators.len()
    }

    pub fn transform(&self, x: &Mat) -> Result<Mat> {
        let p = self.width();
        checked_cells(x.rows, p, "features")?;
        let mut z = Mat::zeros(x.rows, p)?;
        for j in 0..self.mean.len().min(x.cols) {
            let (m, s) = (self.mean[j], self.scale[j]);
            let src = x.col(j).to_vec();
            for (o, v) in z.col_mut(j).iter_mut().zip(src) {
                *o = if v.is_finite() { (v - m) / s } else { 0.0 };
            }
        }
        for (k, &j) in self.indicators.iter().enumerate() {
            if j < x.cols {
                let src = x.col(j).to_vec();
                for (o, v) in z.col_mut(self.mean.len() + k).iter_mut().zip(src) {
                    *o = if v.is_finite() { 0.0 } else { 1.0 };
                }
            }
        }
        Ok(z)
    }

    /// The encoded column each design column comes from.
    pub fn sources(&self) -> Vec<usize> {
        (0..self.mean.len()).chain(self.indicators.iter().copied()).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    Logistic,
    SquaredHinge,
    Squared,
}

/// A fitted linear model in the standardised design space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Linear {
    pub scaler: Scaler,
    pub coef: Vec<f64>,
    pub intercept: f64,
    /// Training mean of each design column (the centre of the explanations).
    pub centre: Vec<f64>,
}

impl Linear {
    /// Fits `loss` with penalty `lambda / 2 · |w|²` (intercept free) on targets `y` (0/1 for
    /// the classifiers) with sample weights `w`.
    pub fn fit(x: &Mat, y: &[f64], w: &[f64], loss: Loss, lambda: f64) -> Result<Linear> {
        let scaler = Scaler::fit(x);
        let z = scaler.transform(x)?;
        let (coef, intercept) = newton(&Design::new(x, &z, &scaler.mean, &scaler.scale), y, w, loss, lambda);
        let centre = (0..z.cols).map(|j| z.col(j).iter().sum::<f64>() / z.rows.max(1) as f64).collect();
        Ok(Linear { scaler, coef, intercept, centre })
    }

    /// The linear score (log-odds, decision value or prediction) of each row.
    pub fn score(&self, x: &Mat) -> Result<Vec<f64>> {
        let z = self.scaler.transform(x)?;
        let mut f = vec![self.intercept; z.rows];
        for (j, &c) in self.coef.iter().enumerate() {
            if c != 0.0 && j < z.cols {
                for (fi, &v) in f.iter_mut().zip(z.col(j)) {
                    *fi += c * v;
                }
            }
        }
        Ok(f)
    }

    /// Per-design-column contributions of one raw row: `coef · (z − centre)`; with
    /// [`Linear::base`] they add up to the score exactly (up to rounding).
    pub fn contributions(&self, row: &[f64]) -> Result<Vec<f64>> {
        let x = Mat { rows: 1, cols: row.len(), data: row.to_vec() };
        let z = self.scaler.transform(&x)?;
        Ok((0..z.cols).map(|j| self.coef[j] * (z.data[j] - self.centre[j])).collect())
    }

    pub fn base(&self) -> f64 {
        self.intercept + self.coef.iter().zip(&self.centre).map(|(c, m)| c * m).sum::<f64>()
    }
}

/// Per-row loss value, first derivative and (generalised) second derivative at score `f`.
fn row_loss(loss: Loss, y: f64, f: f64) -> (f64, f64, f64) {
    match loss {
        Loss::Logistic => {
            let p = sigmoid(f);
            let l = if y > 0.5 { softplus(-f) } else { softplus(f) };
            (l, p - y, (p * (1.0 - p)).max(1e-12))
        }
        Loss::SquaredHinge => {
            let s = if y > 0.5 { 1.0 } else { -1.0 };
            let m = 1.0 - s * f;
            if m > 0.0 {
                (m * m, -2.0 * s * m, 2.0)
            } else {
                (0.0, 0.0, 0.0)
            }
        }
        Loss::Squared => (0.5 * (f - y).powi(2), f - y, 1.0),
    }
}

/// The logistic function (with [`exact`] functions: the same bits natively and in wasm).
pub fn sigmoid(f: f64) -> f64 {
    if f >= 0.0 {
        1.0 / (1.0 + exact::exp(-f))
    } else {
        let e = exact::exp(f);
        e / (1.0 + e)
    }
}

fn softplus(f: f64) -> f64 {
    if f > 0.0 {
        f + exact::ln_1p(exact::exp(-f))
    } else {
        exact::ln_1p(exact::exp(f))
    }
}

fn objective(z: &Design, y: &[f64], w: &[f64], loss: Loss, lambda: f64, coef: &[f64], b: f64) -> f64 {
    let f = z.mul(coef, b);
    let data: f64 = (0..z.rows()).map(|i| w[i] * row_loss(loss, y[i], f[i]).0).sum();
    data + 0.5 * lambda * coef.iter().map(|c| c * c).sum::<f64>()
}

/// Truncated Newton: parameters are (coef, intercept) = θ of length p + 1.
fn newton(z: &Design, y: &[f64], w: &[f64], loss: Loss, lambda: f64) -> (Vec<f64>, f64) {
    let p = z.cols();
    let mut coef = vec![0.0; p];
    let mut b = 0.0;
    let wsum: f64 = w.iter().sum::<f64>().max(1e-300);
    if loss == Loss::Squared {
        b = (0..z.rows()).map(|i| w[i] * y[i]).sum::<f64>() / wsum;
    }
    let mut obj = objective(z, y, w, loss, lambda, &coef, b);
    for _ in 0..50 {
        let f = z.mul(&coef, b);
        let (mut g, mut h) = (vec![0.0; z.rows()], vec![0.0; z.rows()]);
        for i in 0..z.rows() {
            let (_, d1, d2) = row_loss(loss, y[i], f[i]);
            g[i] = w[i] * d1;
            h[i] = w[i] * d2;
        }
        // Gradient.
        let mut grad: Vec<f64> = z.tmul(&g).iter().zip(&coef).map(|(gj, c)| gj + lambda * c).collect();
        grad.push(g.iter().sum());
        let gnorm = grad.iter().map(|v| v * v).sum::<f64>().sqrt();
        if gnorm < 1e-6 * wsum.max(1.0) {
            break;
        }
        // Solve H s = -grad by conjugate gradients, H v = Zᵀ diag(h) Z v + λ v (intercept free).
        let hv = |v: &[f64]| -> Vec<f64> {
            let mut zv = z.mul(&v[..p], v[p]);
            for (a, &hi) in zv.iter_mut().zip(&h) {
                *a *= hi;
            }
            let mut out: Vec<f64> = z.tmul(&zv).iter().zip(v).map(|(a, vj)| a + lambda * vj).collect();
            out.push(zv.iter().sum::<f64>() + 1e-10 * v[p]);
            out
        };
        // Jacobi preconditioner: the diagonal of H.
        let mut diag: Vec<f64> = z.sq_weighted(&h).iter().map(|d| d + lambda).collect();
        diag.push(h.iter().sum::<f64>() + 1e-10);
        let inv: Vec<f64> = diag.iter().map(|&d| if d > 0.0 { 1.0 / d } else { 1.0 }).collect();
        let mut s = vec![0.0; p + 1];
        let mut r: Vec<f64> = grad.iter().map(|v| -v).collect();
        let mut zr: Vec<f64> = r.iter().zip(&inv).map(|(a, b)| a * b).collect();
        let mut d = zr.clone();
        let mut rz = dot(&r, &zr);
        let tol = (0.1f64).min(gnorm.sqrt()) * gnorm;
        for _ in 0..(2 * (p + 1)).min(200) {
            if dot(&r, &r).sqrt() <= tol {
                break;
            }
            let hd = hv(&d);
            let dhd = dot(&d, &hd);
            if dhd <= 0.0 {
                break;
            }
            let a = rz / dhd;
            for k in 0..=p {
                s[k] += a * d[k];
                r[k] -= a * hd[k];
            }
            for k in 0..=p {
                zr[k] = r[k] * inv[k];
            }
            let rz2 = dot(&r, &zr);
            let beta = rz2 / rz;
            rz = rz2;
            for k in 0..=p {
                d[k] = zr[k] + beta * d[k];
            }
        }
        // Backtracking line search (Armijo).
        let slope = dot(&grad, &s);
        let mut step = 1.0;
        let mut improved = false;
        for _ in 0..30 {
            let c2: Vec<f64> = (0..p).map(|j| coef[j] + step * s[j]).collect();
            let b2 = b + step * s[p];
            let o2 = objective(z, y, w, loss, lambda, &c2, b2);
            if o2 <= obj + 1e-4 * step * slope {
                improved = obj - o2 > 1e-12 * obj.abs().max(1.0);
                coef = c2;
                b = b2;
                obj = o2;
                break;
            }
            step *= 0.5;
        }
        if !improved {
            break;
        }
    }
    (coef, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ridge_matches_the_normal_equations_and_logistic_separates() {
        // y = 2 + 3 x0 − x1 exactly; tiny λ recovers it.
        let x0 = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 1.5, 2.5];
        let x1 = [1.0, 0.0, 3.0, 1.0, 2.0, 0.5, f64::NAN, 4.0];
        let mut data = x0.to_vec();
        data.extend(x1);
        let x = Mat { rows: 8, cols: 2, data };
        let y: Vec<f64> = (0..8).map(|i| 2.0 + 3.0 * x0[i] - if x1[i].is_nan() { 7.0 } else { x1[i] }).collect();
        let m = Linear::fit(&x, &y, &[1.0; 8], Loss::Squared, 1e-9).unwrap();
        let f = m.score(&x).unwrap();
        for (i, (fi, yi)) in f.iter().zip(&y).enumerate() {
            assert!((fi - yi).abs() < 1e-5, "{i}: {fi} vs {yi}");
        }
        // Contributions add up to the score.
        for (i, fi) in f.iter().enumerate() {
            let c = m.contributions(&x.row(i)).unwrap();
            assert!((m.base() + c.iter().sum::<f64>() - fi).abs() < 1e-9);
        }
        let yb: Vec<f64> = x0.iter().map(|&v| (v > 2.2) as u8 as f64).collect();
        let l = Linear::fit(&x, &yb, &[1.0; 8], Loss::Logistic, 1.0).unwrap();
        let s = l.score(&x).unwrap();
        assert!((0..8).all(|i| (s[i] > 0.0) == (yb[i] > 0.5)), "{s:?}");
    }
}
