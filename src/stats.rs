//! Small numeric kernels shared by every capability: one definition each.
//!
//! - [`dot`]: f64 dot product with four running sums (two `f64x2` lanes in wasm simd128;
//!   the same additions in the same order on both targets, so results are identical).
//! - [`quantile_sorted`]: numpy's default (linear) quantile of sorted values.
//!
//! (The recommenders' f32 kernels stay in `recommend::kernels`: they are ALS's inner loop.)

/// numpy-style linear-interpolated quantile (`numpy.quantile`'s default method) of
/// `sorted` (ascending, not empty) at `p` in [0, 1].
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let r = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (r.floor() as usize, r.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (r - lo as f64)
}

/// Dot product with four running sums (two `f64x2` lanes each in wasm simd128).
#[cfg(not(target_arch = "wasm32"))]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let (mut ca, mut cb) = (a.chunks_exact(4), b.chunks_exact(4));
    for (x, y) in (&mut ca).zip(&mut cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    tail + (acc[0] + acc[1]) + (acc[2] + acc[3])
}

#[cfg(target_arch = "wasm32")]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    use core::arch::wasm32::*;
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (mut s0, mut s1) = (f64x2_splat(0.0), f64x2_splat(0.0));
    let (mut ca, mut cb) = (a.chunks_exact(4), b.chunks_exact(4));
    for (x, y) in (&mut ca).zip(&mut cb) {
        // Lanes (0, 1) and (2, 3): the same grouping as the four sums of the native version.
        let (x0, x1) = (f64x2(x[0], x[1]), f64x2(x[2], x[3]));
        let (y0, y1) = (f64x2(y[0], y[1]), f64x2(y[2], y[3]));
        s0 = f64x2_add(s0, f64x2_mul(x0, y0));
        s1 = f64x2_add(s1, f64x2_mul(x1, y1));
    }
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    let (a0, a1) = (f64x2_extract_lane::<0>(s0), f64x2_extract_lane::<1>(s0));
    let (a2, a3) = (f64x2_extract_lane::<0>(s1), f64x2_extract_lane::<1>(s1));
    tail + (a0 + a1) + (a2 + a3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_and_quantile() {
        let a: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(dot(&a, &a), 285.0);
        assert_eq!(dot(&a[..3], &a), 14.0);
        assert_eq!(quantile_sorted(&a, 0.5), 5.0);
        assert_eq!(quantile_sorted(&a, 0.25), 3.0);
        assert_eq!(quantile_sorted(&[1.0, 2.0], 0.5), 1.5);
        assert_eq!(quantile_sorted(&[7.0], 0.9), 7.0);
    }
}
