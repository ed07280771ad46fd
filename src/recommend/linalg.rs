//! The little dense linear algebra ALS needs beyond the [`kernels`](super::kernels): the Gram
//! matrix YᵀY and a Cholesky solve of a small symmetric positive definite system.

/// YᵀY of the row-major `n × f` matrix `y`, as f64 (row-major f × f).
pub fn gram(y: &[f32], f: usize) -> Vec<f64> {
    let mut g = vec![0f64; f * f];
    for row in y.chunks_exact(f) {
        // Row slices, not g[a * f + b]: one bounds check per row (opt-level "s" keeps them all).
        for (a, &ra) in row.iter().enumerate() {
            let ra = ra as f64;
            for (gb, &rb) in g[a * f + a..a * f + f].iter_mut().zip(&row[a..]) {
                *gb += ra * rb as f64;
            }
        }
    }
    for a in 0..f {
        for b in 0..a {
            g[a * f + b] = g[b * f + a];
        }
    }
    g
}

/// Solves `A x = b` for symmetric positive definite `A` (row-major n × n) in place of `b`;
/// `false` if `A` is not positive definite.
pub fn cholesky_solve(a: &[f64], b: &mut [f64]) -> bool {
    cholesky(a, b.len()).map(|l| solve_factored(&l, b)).is_some()
}

/// The lower Cholesky factor `L` (`A = L Lᵀ`) of a symmetric positive definite `n × n` `A`,
/// or `None` if `A` is not positive definite: factor once, then [`solve_factored`] for each
/// right-hand side.
pub fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0f64; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves `L Lᵀ x = b` in place of `b`, `L` from [`cholesky`].
pub fn solve_factored(l: &[f64], b: &mut [f64]) {
    let n = b.len();
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= l[k * n + i] * b[k];
        }
        b[i] = s / l[i * n + i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::kernels::dot;

    #[test]
    fn gram_and_solve() {
        let y = [1.0f32, 2.0, 3.0, 4.0, 0.5, -1.0];
        let g = gram(&y, 2);
        assert_eq!(g, vec![1.0 + 9.0 + 0.25, 2.0 + 12.0 - 0.5, 2.0 + 12.0 - 0.5, 4.0 + 16.0 + 1.0]);
        let mut b = vec![1.0, 2.0];
        assert!(cholesky_solve(&g, &mut b));
        let r0 = g[0] * b[0] + g[1] * b[1];
        let r1 = g[2] * b[0] + g[3] * b[1];
        assert!((r0 - 1.0).abs() < 1e-12 && (r1 - 2.0).abs() < 1e-12);
        assert!(!cholesky_solve(&[0.0, 0.0, 0.0, 0.0], &mut [1.0, 1.0]));
        assert_eq!(dot(&[1.0, 2.0], &[3.0, 4.0]), 11.0);
        let a: Vec<f32> = (0..21).map(|i| i as f32).collect();
        assert_eq!(dot(&a, &a), (0..21).map(|i| (i * i) as f32).sum::<f32>());
    }
}
