//! The squared Euclidean distance behind every segment computation (seeding, assignment,
//! silhouette, scores), in one summation order on every platform.
//!
//! The order is fixed: four running sums, `s_r` taking the elements `i ≡ r (mod 4)` of the
//! whole blocks of four, the last `len % 4` elements added to `s_0`, and the result
//! `(s_0 + s_1) + (s_2 + s_3)`. In wasm the four sums are the lanes of two `f64x2`
//! registers (simd128); natively they are four scalars. Subtraction, multiplication and
//! addition are IEEE-754 operations in both (no fused multiply-add), so the two give the same
//! bits and a seeded segmentation is identical natively and in the browser.

/// Squared Euclidean distance between `a` and `b` (over the shorter length).
#[cfg(not(target_arch = "wasm32"))]
#[inline]
pub fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (mut s0, mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0, 0.0);
    let mut ca = a.chunks_exact(4);
    let mut cb = b.chunks_exact(4);
    for (p, q) in (&mut ca).zip(&mut cb) {
        let (t0, t1, t2, t3) = (p[0] - q[0], p[1] - q[1], p[2] - q[2], p[3] - q[3]);
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
    }
    for (p, q) in ca.remainder().iter().zip(cb.remainder()) {
        let t = p - q;
        s0 += t * t;
    }
    (s0 + s1) + (s2 + s3)
}

/// Squared Euclidean distance between `a` and `b` (over the shorter length): the same sums
/// as the native version, `(s_0, s_1)` and `(s_2, s_3)` as two `f64x2` lanes.
#[cfg(target_arch = "wasm32")]
#[inline]
pub fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    use core::arch::wasm32::{f64x2_add, f64x2_extract_lane, f64x2_mul, f64x2_splat, f64x2_sub, v128, v128_load};
    let n = a.len().min(b.len());
    let blocks = n / 4;
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let (mut lo, mut hi) = (f64x2_splat(0.0), f64x2_splat(0.0));
    for c in 0..blocks {
        // SAFETY: 4c + 3 < n ≤ both lengths; v128_load allows unaligned addresses.
        let (a0, a1, b0, b1) = unsafe {
            (
                v128_load(pa.add(4 * c) as *const v128),
                v128_load(pa.add(4 * c + 2) as *const v128),
                v128_load(pb.add(4 * c) as *const v128),
                v128_load(pb.add(4 * c + 2) as *const v128),
            )
        };
        let (t0, t1) = (f64x2_sub(a0, b0), f64x2_sub(a1, b1));
        lo = f64x2_add(lo, f64x2_mul(t0, t0));
        hi = f64x2_add(hi, f64x2_mul(t1, t1));
    }
    let mut s0 = f64x2_extract_lane::<0>(lo);
    for (p, q) in a[blocks * 4..n].iter().zip(&b[blocks * 4..n]) {
        let t = p - q;
        s0 += t * t;
    }
    (s0 + f64x2_extract_lane::<1>(lo)) + (f64x2_extract_lane::<0>(hi) + f64x2_extract_lane::<1>(hi))
}

/// Calls `f(i, sq_dist(row_i, point))` for every row `i` of `rows` (row-major, `d` columns)
/// in order. In wasm, `point` is kept in registers when `d` is 4, 8, 12 or 16.
#[inline]
pub fn each_sq_dist(rows: &[f64], d: usize, point: &[f64], mut f: impl FnMut(usize, f64)) {
    #[cfg(target_arch = "wasm32")]
    {
        if point.len() == d {
            match d {
                4 => return simd::each_fixed::<2>(rows, point, f),
                8 => return simd::each_fixed::<4>(rows, point, f),
                12 => return simd::each_fixed::<6>(rows, point, f),
                16 => return simd::each_fixed::<8>(rows, point, f),
                _ => {}
            }
        }
    }
    for (i, row) in rows.chunks_exact(d.max(1)).enumerate() {
        f(i, sq_dist(row, point));
    }
}

#[cfg(target_arch = "wasm32")]
mod simd {
    use core::arch::wasm32::{f64x2_add, f64x2_extract_lane, f64x2_mul, f64x2_splat, f64x2_sub, v128, v128_load};

    /// [`super::each_sq_dist`] for `d = 2 H` with `H` even: the point's `H` lane pairs stay in
    /// registers; block `c` of four adds into the (s0, s1) and (s2, s3) pairs as in `sq_dist`.
    #[inline(always)]
    pub(super) fn each_fixed<const H: usize>(rows: &[f64], point: &[f64], mut f: impl FnMut(usize, f64)) {
        let d = 2 * H;
        let mut p = [f64x2_splat(0.0); H];
        for (h, v) in p.iter_mut().enumerate() {
            // SAFETY: point.len() == d = 2H, so 2h + 1 < d.
            *v = unsafe { v128_load(point.as_ptr().add(2 * h) as *const v128) };
        }
        for (i, row) in rows.chunks_exact(d).enumerate() {
            let r = row.as_ptr();
            let (mut lo, mut hi) = (f64x2_splat(0.0), f64x2_splat(0.0));
            let mut h = 0;
            while h < H {
                // SAFETY: row.len() == d = 2H and h + 1 < H.
                let (a0, a1) =
                    unsafe { (v128_load(r.add(2 * h) as *const v128), v128_load(r.add(2 * h + 2) as *const v128)) };
                let (t0, t1) = (f64x2_sub(a0, p[h]), f64x2_sub(a1, p[h + 1]));
                lo = f64x2_add(lo, f64x2_mul(t0, t0));
                hi = f64x2_add(hi, f64x2_mul(t1, t1));
                h += 2;
            }
            let v = (f64x2_extract_lane::<0>(lo) + f64x2_extract_lane::<1>(lo))
                + (f64x2_extract_lane::<0>(hi) + f64x2_extract_lane::<1>(hi));
            f(i, v);
        }
    }
}

/// Nearest and second-nearest of the centres (`k × d`, row-major) to `row`: (index of the
/// nearest, its squared distance, the second-smallest squared distance), and the squared
/// distance to centre `own` (`∞` when `own ≥ k`). Ties go to the lower index.
#[inline]
pub fn nearest_two(row: &[f64], centers: &[f64], d: usize, own: usize) -> (u32, f64, f64, f64) {
    let (mut b, mut d1, mut d2, mut mine) = (0u32, f64::INFINITY, f64::INFINITY, f64::INFINITY);
    each_sq_dist(centers, d, row, |j, v| {
        if j == own {
            mine = v;
        }
        if v < d1 {
            d2 = d1;
            d1 = v;
            b = j as u32;
        } else if v < d2 {
            d2 = v;
        }
    });
    (b, d1, d2, mine)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_order_of_the_sums() {
        // Lengths 0..=11 cover every remainder; compare with the order written out by hand.
        let a: Vec<f64> = (0..11).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
        let b: Vec<f64> = (0..11).map(|i| (i as f64 * 1.91).cos()).collect();
        for n in 0..=11 {
            let mut s = [0.0f64; 4];
            for i in 0..n / 4 * 4 {
                s[i % 4] += (a[i] - b[i]) * (a[i] - b[i]);
            }
            for i in n / 4 * 4..n {
                s[0] += (a[i] - b[i]) * (a[i] - b[i]);
            }
            let want = (s[0] + s[1]) + (s[2] + s[3]);
            assert_eq!(sq_dist(&a[..n], &b[..n]).to_bits(), want.to_bits(), "n = {n}");
        }
    }
}
