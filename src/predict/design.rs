//! The standardised design matrix of the linear models as the solver touches it: dense
//! columns as they are, and each run of one-hot levels ([`exclusive_runs`]) as one code per
//! row. A standardised level column is `(x − m) / s` with `x` ∈ {0, 1}, so its products need
//! no pass of their own: `Z·v` adds `v / s` of the row's level and subtracts the constant
//! `Σ m·v / s`; `Zᵀ·u` of a level is `(Σ u over its rows − m · Σ u) / s`. With 8 categories of
//! 5–19 levels that is 20 passes over the rows where the dense product makes 120.

use super::matrix::{exclusive_runs, Mat};

pub struct Design<'a> {
    z: &'a Mat,
    /// Design columns read from `z`.
    dense: Vec<usize>,
    /// `(first, width, codes)`: design columns `first..first + width` as one code per row.
    runs: Vec<(usize, usize, Vec<u8>)>,
    mean: &'a [f64],
    scale: &'a [f64],
}

impl<'a> Design<'a> {
    /// `z` standardised from `x` with `mean` / `scale` (the first `mean.len()` columns of `z`
    /// are `x`'s columns; any after them are dense).
    pub fn new(x: &Mat, z: &'a Mat, mean: &'a [f64], scale: &'a [f64]) -> Design<'a> {
        let runs = exclusive_runs(x, mean.len().min(z.cols));
        let mut bundled = vec![false; z.cols];
        for (first, width, _) in &runs {
            for b in bundled.iter_mut().skip(*first).take(*width) {
                *b = true;
            }
        }
        let dense = (0..z.cols).filter(|&j| !bundled[j]).collect();
        Design { z, dense, runs, mean, scale }
    }

    pub fn rows(&self) -> usize {
        self.z.rows
    }

    pub fn cols(&self) -> usize {
        self.z.cols
    }

    /// `Z·v + b` (`v` of length [`Design::cols`]).
    pub fn mul(&self, v: &[f64], b: f64) -> Vec<f64> {
        let mut shift = b;
        let mut lut = Vec::new();
        let mut f = vec![0.0; self.z.rows];
        for (first, width, codes) in &self.runs {
            lut.clear();
            let (vs, ms, ss) = (&v[*first..first + width], &self.mean[*first..], &self.scale[*first..]);
            for ((&vj, &m), &s) in vs.iter().zip(ms).zip(ss) {
                lut.push(vj / s);
                shift -= m * vj / s;
            }
            lut.push(0.0);
            for (fi, &c) in f.iter_mut().zip(codes) {
                *fi += lut[c as usize];
            }
        }
        for fi in f.iter_mut() {
            *fi += shift;
        }
        for &j in &self.dense {
            let c = v[j];
            if c != 0.0 {
                for (fi, &x) in f.iter_mut().zip(self.z.col(j)) {
                    *fi += c * x;
                }
            }
        }
        f
    }

    /// `Zᵀ·u`.
    pub fn tmul(&self, u: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.z.cols];
        let total: f64 = u.iter().sum();
        let mut sums = Vec::new();
        for (first, width, codes) in &self.runs {
            sums.clear();
            sums.resize(width + 1, 0.0);
            for (&c, &ui) in codes.iter().zip(u) {
                sums[c as usize] += ui;
            }
            for (k, j) in (*first..first + width).enumerate() {
                out[j] = (sums[k] - self.mean[j] * total) / self.scale[j];
            }
        }
        for &j in &self.dense {
            out[j] = dot(self.z.col(j), u);
        }
        out
    }

    /// `Σᵢ zᵢⱼ² hᵢ` per column (the diagonal of `Zᵀ diag(h) Z`).
    pub fn sq_weighted(&self, h: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.z.cols];
        let total: f64 = h.iter().sum();
        let mut sums = Vec::new();
        for (first, width, codes) in &self.runs {
            sums.clear();
            sums.resize(width + 1, 0.0);
            for (&c, &hi) in codes.iter().zip(h) {
                sums[c as usize] += hi;
            }
            for (k, j) in (*first..first + width).enumerate() {
                let (m, s) = (self.mean[j], self.scale[j]);
                out[j] = ((1.0 - m) * (1.0 - m) * sums[k] + m * m * (total - sums[k])) / (s * s);
            }
        }
        for &j in &self.dense {
            out[j] = self.z.col(j).iter().zip(h).map(|(x, hi)| x * x * hi).sum::<f64>();
        }
        out
    }
}

/// Four-way unrolled dot product.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            s[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predict::linear::Scaler;

    #[test]
    fn products_equal_the_dense_ones() {
        // A numeric column with a missing value, a 3-level one-hot run (some rows in none).
        let n = 9;
        let num = [0.5, -1.0, 2.0, f64::NAN, 0.0, 3.0, 1.0, -2.0, 0.25];
        let lvl = [0, 1, 2, 3, 0, 1, 3, 2, 0];
        let mut data = num.to_vec();
        for k in 0..3 {
            data.extend(lvl.iter().map(|&l| (l == k) as u8 as f64));
        }
        let x = Mat { rows: n, cols: 4, data };
        let sc = Scaler::fit(&x);
        let z = sc.transform(&x).unwrap();
        let d = Design::new(&x, &z, &sc.mean, &sc.scale);
        assert_eq!(d.runs.len(), 1);
        assert_eq!(d.dense, vec![0, 4]);
        let v = [0.3, -1.2, 0.7, 2.0, -0.4];
        let u: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
        let f = d.mul(&v, 0.1);
        let t = d.tmul(&u);
        let q = d.sq_weighted(&u);
        for (i, fi) in f.iter().enumerate() {
            let want: f64 = 0.1 + (0..z.cols).map(|j| z.get(i, j) * v[j]).sum::<f64>();
            assert!((fi - want).abs() < 1e-12, "{i}: {fi} vs {want}");
        }
        for j in 0..z.cols {
            let want: f64 = (0..n).map(|i| z.get(i, j) * u[i]).sum();
            assert!((t[j] - want).abs() < 1e-12, "{j}: {} vs {want}", t[j]);
            let want: f64 = (0..n).map(|i| z.get(i, j) * z.get(i, j) * u[i]).sum();
            assert!((q[j] - want).abs() < 1e-12, "{j}: {} vs {want}", q[j]);
        }
    }
}
