//! Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008): minimise
//! Σ c_ui (p_ui − x_uᵀ y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) with p_ui = 1 for observed pairs (0
//! otherwise) and confidence c_ui = 1 + α·w_ui. Each half-step solves every user (item)
//! approximately with a few conjugate-gradient steps warm-started at its current vector
//! (Takács, Pilászy & Tikk 2011), so only the user's own items are touched beyond one
//! shared f × f Gram matrix.

use serde::{Deserialize, Serialize};

use super::csr::Csr;
use super::kernels::{axpy, axpy_4, dot, dot_4, sym_mat_vec};
use super::linalg::{cholesky, cholesky_solve, gram, solve_factored};
use crate::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlsParams {
    pub factors: usize,
    pub regularization: f32,
    pub iterations: usize,
    /// Confidence slope: c = 1 + alpha · w.
    pub alpha: f32,
    pub cg_steps: usize,
    pub seed: u64,
}

/// User and item factors, row-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factors {
    pub factors: usize,
    pub users: Vec<f32>,
    pub items: Vec<f32>,
}

impl Factors {
    pub fn user(&self, u: usize) -> &[f32] {
        &self.users[u * self.factors..(u + 1) * self.factors]
    }
    pub fn item(&self, i: usize) -> &[f32] {
        &self.items[i * self.factors..(i + 1) * self.factors]
    }
}

/// Fits the factors of `user_items` (users × items, weights w).
pub fn fit(user_items: &Csr, p: &AlsParams) -> Factors {
    let mut t = Trainer::new(user_items, p);
    while t.iteration() < p.iterations {
        t.step(user_items);
    }
    t.finish()
}

/// A fit in progress, one sweep (users then items) per [`Trainer::step`], so a caller can
/// report progress or stop between sweeps. `fit` is `new`, `step` × iterations, `finish`.
#[derive(Debug, Clone)]
pub struct Trainer {
    params: AlsParams,
    item_users: Csr,
    users: Vec<f32>,
    items: Vec<f32>,
    iteration: usize,
}

impl Trainer {
    pub fn new(user_items: &Csr, p: &AlsParams) -> Trainer {
        let f = p.factors;
        let mut rng = Rng::new(p.seed);
        let mut init = |n: usize| (0..n * f).map(|_| (rng.next_f64() * 0.01) as f32).collect::<Vec<f32>>();
        let users = init(user_items.rows);
        let items = init(user_items.cols);
        Trainer { params: *p, item_users: user_items.transpose(), users, items, iteration: 0 }
    }

    /// Sweeps done so far.
    pub fn iteration(&self) -> usize {
        self.iteration
    }

    /// One sweep; `user_items` must be the matrix given to [`Trainer::new`].
    pub fn step(&mut self, user_items: &Csr) {
        cg_half_step(user_items, &mut self.users, &self.items, &self.params);
        cg_half_step(&self.item_users, &mut self.items, &self.users, &self.params);
        self.iteration += 1;
    }

    pub fn finish(self) -> Factors {
        Factors { factors: self.params.factors, users: self.users, items: self.items }
    }
}

/// Updates every row x of `x` (one per row of `m`) given the fixed factors `y`: a few
/// conjugate-gradient steps on A x = b, A = YᵀY + λI + Σ (c − 1) y yᵀ and b = Σ c y over the
/// row's entries, warm-started at the current x.
fn cg_half_step(m: &Csr, x: &mut [f32], y: &[f32], p: &AlsParams) {
    let f = p.factors;
    let mut yty = gram(y, f);
    for a in 0..f {
        yty[a * f + a] += p.regularization as f64;
    }
    let yty: Vec<f32> = yty.iter().map(|&v| v as f32).collect();
    let (mut r, mut pv, mut ap) = (vec![0f32; f], vec![0f32; f], vec![0f32; f]);
    for (row, xu) in x.chunks_exact_mut(f).enumerate() {
        let (idx, w) = m.row(row);
        // r = b − A x
        sym_mat_vec(&yty, xu, -1.0, &mut r);
        sparse_update(idx, w, y, f, xu, &mut r, |wi, d| {
            let c = 1.0 + p.alpha * wi;
            c - (c - 1.0) * d
        });
        pv.copy_from_slice(&r);
        let mut rs_old = dot(&r, &r);
        if rs_old < 1e-20 {
            continue;
        }
        for _ in 0..p.cg_steps {
            sym_mat_vec(&yty, &pv, 1.0, &mut ap);
            sparse_update(idx, w, y, f, &pv, &mut ap, |wi, d| p.alpha * wi * d);
            // A (near-)singular system — one user, no regularisation — gives a zero or
            // non-finite curvature: stop at the current x rather than step to NaN (finding 08 a).
            let pap = dot(&pv, &ap);
            let a = rs_old / pap;
            if !(pap > 0.0 && a.is_finite()) {
                break;
            }
            axpy(a, &pv, xu);
            axpy(-a, &ap, &mut r);
            let rs_new = dot(&r, &r);
            if rs_new < 1e-20 {
                break;
            }
            let beta = rs_new / rs_old;
            for (pk, rk) in pv.iter_mut().zip(&r) {
                *pk = rk + beta * *pk;
            }
            rs_old = rs_new;
        }
        if xu.iter().any(|v| !v.is_finite()) {
            xu.fill(0.0);
        }
    }
}

/// out ← out + Σᵢ g(wᵢ, yᵢ·v) yᵢ over the row's entries (items `idx`, weights `w`) in order,
/// four at a time (the batch kernels add exactly as one at a time would).
#[inline(always)]
fn sparse_update(idx: &[u32], w: &[f32], y: &[f32], f: usize, v: &[f32], out: &mut [f32], g: impl Fn(f32, f32) -> f32) {
    let row = |i: u32| &y[i as usize * f..(i as usize + 1) * f];
    let (ic, wc) = (idx.chunks_exact(4), w.chunks_exact(4));
    let (ir, wr) = (ic.remainder(), wc.remainder());
    for (i4, w4) in ic.zip(wc) {
        let ys = [row(i4[0]), row(i4[1]), row(i4[2]), row(i4[3])];
        let d = dot_4(ys, v);
        axpy_4([g(w4[0], d[0]), g(w4[1], d[1]), g(w4[2], d[2]), g(w4[3], d[3])], ys, out);
    }
    for (&i, &wi) in ir.iter().zip(wr) {
        let yi = row(i);
        axpy(g(wi, dot(yi, v)), yi, out);
    }
}

/// The system of a user with history `(items, weights)` given the item factors: the matrix
/// A = YᵀY + λI + Σ (c − 1) y yᵀ (f64, row-major); `yty` is YᵀY.
pub fn user_system(yty: &[f64], factors: &Factors, items: &[u32], weights: &[f32], p: &AlsParams) -> Vec<f64> {
    let f = factors.factors;
    let mut a = yty.to_vec();
    for k in 0..f {
        a[k * f + k] += p.regularization as f64;
    }
    for (&i, &w) in items.iter().zip(weights) {
        let yi = factors.item(i as usize);
        let c1 = (p.alpha * w) as f64;
        for r in 0..f {
            let s = c1 * yi[r] as f64;
            for c in 0..f {
                a[r * f + c] += s * yi[c] as f64;
            }
        }
    }
    a
}

/// The exact least-squares user vector for a history not seen in training (fold-in).
pub fn fold_in(yty: &[f64], factors: &Factors, items: &[u32], weights: &[f32], p: &AlsParams) -> Option<Vec<f32>> {
    let f = factors.factors;
    let a = user_system(yty, factors, items, weights, p);
    let mut b = vec![0f64; f];
    for (&i, &w) in items.iter().zip(weights) {
        let c = 1.0 + (p.alpha * w) as f64;
        for (bk, &yk) in b.iter_mut().zip(factors.item(i as usize)) {
            *bk += c * yk as f64;
        }
    }
    cholesky_solve(&a, &mut b).then(|| b.iter().map(|&v| v as f32).collect())
}

/// Why item `j` scores high for this history: with x = A⁻¹ Σ c_i y_i, the score yⱼᵀx splits
/// exactly into Σ_i c_i · (yⱼᵀ A⁻¹ y_i); the largest positive parts, best first. `factor` is
/// the Cholesky factor of the history's A ([`user_factor`]), shared by every item explained.
pub fn explain(
    factor: &[f64],
    factors: &Factors,
    items: &[u32],
    weights: &[f32],
    j: u32,
    p: &AlsParams,
    max: usize,
) -> Vec<(u32, f32)> {
    let mut z: Vec<f64> = factors.item(j as usize).iter().map(|&v| v as f64).collect();
    solve_factored(factor, &mut z);
    let mut parts: Vec<(u32, f32)> = items
        .iter()
        .zip(weights)
        .map(|(&i, &w)| {
            let c = 1.0 + (p.alpha * w) as f64;
            let s: f64 = factors.item(i as usize).iter().zip(&z).map(|(&y, &zk)| y as f64 * zk).sum();
            (i, (c * s) as f32)
        })
        .filter(|p| p.1 > 0.0)
        .collect();
    super::topk::top_k(&mut parts, max);
    parts
}

/// The Cholesky factor of a history's A = YᵀY + Σ (c_i − 1) y_i y_iᵀ + λI, for [`explain`];
/// `None` if A is not positive definite (nothing is explained then).
pub fn user_factor(yty: &[f64], factors: &Factors, items: &[u32], weights: &[f32], p: &AlsParams) -> Option<Vec<f64>> {
    cholesky(&user_system(yty, factors, items, weights, p), factors.factors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> AlsParams {
        AlsParams { factors: 4, regularization: 0.1, iterations: 30, alpha: 10.0, cg_steps: 3, seed: 3 }
    }

    /// Two disjoint blocks of users and items: a user's unseen items of its own block must
    /// outscore the other block's.
    #[test]
    fn learns_block_structure_and_is_deterministic() {
        let mut t = Vec::new();
        for u in 0..10u32 {
            let block = u % 2;
            for i in 0..6u32 {
                if (u + i) % 3 != 0 {
                    t.push((u, block * 6 + i, 1.0));
                }
            }
        }
        let m = Csr::from_triples(10, 12, t);
        let fa = fit(&m, &params());
        assert_eq!(fa, fit(&m, &params()));
        for u in 0..10usize {
            let own = (u % 2) * 6;
            let other = 6 - own;
            let best_other = (0..6).map(|i| dot(fa.user(u), fa.item(other + i))).fold(f32::MIN, f32::max);
            for i in 0..6 {
                if m.get(u, (own + i) as u32).is_some() {
                    assert!(dot(fa.user(u), fa.item(own + i)) > best_other);
                }
            }
        }
        // Fold-in of user 0's history lands close to user 0's trained vector, and the
        // explanation adds up to the fold-in score.
        let yty = gram(&fa.items, 4);
        let (idx, w) = m.row(0);
        let x = fold_in(&yty, &fa, idx, w, &params()).unwrap();
        let j = 3u32; // not in user 0's history ((0 + 3) % 3 == 0)
        let score = dot(&x, fa.item(j as usize));
        let factor = user_factor(&yty, &fa, idx, w, &params()).unwrap();
        let parts = explain(&factor, &fa, idx, w, j, &params(), 100);
        let total: f32 = parts.iter().map(|p| p.1).sum();
        assert!(total >= score - 1e-4, "{total} vs {score}");
    }
}
