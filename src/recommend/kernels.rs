//! The f32 vector kernels of the ALS inner loops: dot product, axpy and a symmetric
//! matrix-vector product. Each has a portable version and, on wasm32, a simd128 version that
//! performs the very same additions in the very same order lane by lane, so a fit gives
//! identical factors natively and in the browser.

/// Σ aᵢbᵢ over eight interleaved partial sums (lane k sums the elements ≡ k mod 8), folded as
/// ((s₀+s₄)+(s₂+s₆)) + ((s₁+s₅)+(s₃+s₇)), plus the tail past the last multiple of 8 in order.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let m = n - n % 8;
    let head = dot8(&a[..m], &b[..m]);
    let mut tail = 0f32;
    for (x, y) in a[m..].iter().zip(&b[m..]) {
        tail += x * y;
    }
    head + tail
}

/// y ← y + a·x.
#[inline]
pub fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    let n = x.len().min(y.len());
    let m = n - n % 4;
    axpy4(a, &x[..m], &mut y[..m]);
    for (yk, xk) in y[m..n].iter_mut().zip(&x[m..n]) {
        *yk += a * xk;
    }
}

/// The four dot products yₖ·p, each exactly as [`dot`] computes it (in one pass over p);
/// every yₖ at least as long as p. (No `array::map` here or in [`axpy_4`]: at opt-level "s"
/// it is not inlined and each call copied the four slices through the stack.)
#[inline(always)]
pub fn dot_4(y: [&[f32]; 4], p: &[f32]) -> [f32; 4] {
    let n = p.len();
    let [y0, y1, y2, y3] = y;
    let (y0, y1, y2, y3) = (&y0[..n], &y1[..n], &y2[..n], &y3[..n]);
    let m = n - n % 8;
    let mut out = dot8_4([&y0[..m], &y1[..m], &y2[..m], &y3[..m]], &p[..m]);
    if m < n {
        for (o, r) in out.iter_mut().zip([y0, y1, y2, y3]) {
            let mut tail = 0f32;
            for (a, b) in r[m..].iter().zip(&p[m..]) {
                tail += a * b;
            }
            *o += tail;
        }
    }
    out
}

/// out ← out + s₀y₀ + s₁y₁ + s₂y₂ + s₃y₃, added in that order per element: the same as four
/// [`axpy`] calls, in one pass over `out`; every yₖ at least as long as `out`.
#[inline(always)]
pub fn axpy_4(s: [f32; 4], y: [&[f32]; 4], out: &mut [f32]) {
    let n = out.len();
    let [y0, y1, y2, y3] = y;
    let (y0, y1, y2, y3) = (&y0[..n], &y1[..n], &y2[..n], &y3[..n]);
    let m = n - n % 4;
    axpy4_4(s, [&y0[..m], &y1[..m], &y2[..m], &y3[..m]], &mut out[..m]);
    for j in m..n {
        out[j] = (((out[j] + s[0] * y0[j]) + s[1] * y1[j]) + s[2] * y2[j]) + s[3] * y3[j];
    }
}

/// out = s · A x for a symmetric row-major n × n matrix `a`: out_j = Σ_k (s·x_k)·A_kj summed over
/// k = 0, 1, … in order (so the rows of A are streamed, never reduced across lanes).
pub fn sym_mat_vec(a: &[f32], x: &[f32], s: f32, out: &mut [f32]) {
    let n = x.len();
    out.iter_mut().for_each(|o| *o = 0.0);
    let m = n - n % 4;
    mat_vec4(a, x, s, &mut out[..m]);
    for (k, &xk) in x.iter().enumerate() {
        let sx = s * xk;
        let row = &a[k * n..(k + 1) * n];
        for (o, &ak) in out[m..].iter_mut().zip(&row[m..]) {
            *o += sx * ak;
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn dot8(a: &[f32], b: &[f32]) -> f32 {
    let mut s = [0f32; 8];
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for k in 0..8 {
            s[k] += x[k] * y[k];
        }
    }
    ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
}

#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn axpy4(a: f32, x: &[f32], y: &mut [f32]) {
    for (yk, xk) in y.iter_mut().zip(x) {
        *yk += a * xk;
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn dot8_4(y: [&[f32]; 4], p: &[f32]) -> [f32; 4] {
    y.map(|r| dot8(r, p))
}

#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn axpy4_4(s: [f32; 4], y: [&[f32]; 4], out: &mut [f32]) {
    for (j, o) in out.iter_mut().enumerate() {
        for k in 0..4 {
            *o += s[k] * y[k][j];
        }
    }
}

/// The first `out.len()` (a multiple of 4) entries of s · A x.
#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn mat_vec4(a: &[f32], x: &[f32], s: f32, out: &mut [f32]) {
    let (n, m) = (x.len(), out.len());
    for (k, &xk) in x.iter().enumerate() {
        let sx = s * xk;
        for (o, &ak) in out.iter_mut().zip(&a[k * n..k * n + m]) {
            *o += sx * ak;
        }
    }
}

#[cfg(target_arch = "wasm32")]
use simd::{axpy4, axpy4_4, dot8, dot8_4, mat_vec4};

#[cfg(target_arch = "wasm32")]
mod simd {
    use core::arch::wasm32::*;

    #[inline(always)]
    fn load(c: &[f32]) -> v128 {
        let c = &c[..4];
        // SAFETY: `c` holds at least four f32 (16 bytes); wasm loads need no alignment.
        unsafe { v128_load(c.as_ptr() as *const v128) }
    }

    #[inline(always)]
    fn store(c: &mut [f32], v: v128) {
        let c = &mut c[..4];
        // SAFETY: as in `load`, for a store into 16 bytes we hold exclusively.
        unsafe { v128_store(c.as_mut_ptr() as *mut v128, v) }
    }

    #[inline(always)]
    pub(super) fn dot8(a: &[f32], b: &[f32]) -> f32 {
        let (mut lo, mut hi) = (f32x4_splat(0.0), f32x4_splat(0.0));
        for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
            lo = f32x4_add(lo, f32x4_mul(load(&x[..4]), load(&y[..4])));
            hi = f32x4_add(hi, f32x4_mul(load(&x[4..]), load(&y[4..])));
        }
        let v = f32x4_add(lo, hi); // s_k + s_{k+4}
        let w = f32x4_add(v, i32x4_shuffle::<2, 3, 0, 1>(v, v)); // (v0+v2, v1+v3, ..)
        f32x4_extract_lane::<0>(w) + f32x4_extract_lane::<1>(w)
    }

    #[inline(always)]
    pub(super) fn axpy4(a: f32, x: &[f32], y: &mut [f32]) {
        let av = f32x4_splat(a);
        for (xc, yc) in x.chunks_exact(4).zip(y.chunks_exact_mut(4)) {
            let v = f32x4_add(load(yc), f32x4_mul(av, load(xc)));
            store(yc, v);
        }
    }

    // The four-lane kernels below name each lane's accumulator (no arrays of v128 indexed in a
    // loop): at opt-level "s" LLVM does not unroll such loops, keeps the arrays on the stack
    // and the ALS fit ran 3.4x slower (bench/README.md, "opt-level s").

    /// Four `dot8`s sharing the loads of `p`.
    #[inline(always)]
    pub(super) fn dot8_4(y: [&[f32]; 4], p: &[f32]) -> [f32; 4] {
        let [y0, y1, y2, y3] = y;
        let z = f32x4_splat(0.0);
        let (mut l0, mut l1, mut l2, mut l3) = (z, z, z, z);
        let (mut h0, mut h1, mut h2, mut h3) = (z, z, z, z);
        let n = p.len() - p.len() % 8;
        let mut j = 0;
        while j < n {
            let (pl, ph) = (load(&p[j..]), load(&p[j + 4..]));
            l0 = f32x4_add(l0, f32x4_mul(load(&y0[j..]), pl));
            h0 = f32x4_add(h0, f32x4_mul(load(&y0[j + 4..]), ph));
            l1 = f32x4_add(l1, f32x4_mul(load(&y1[j..]), pl));
            h1 = f32x4_add(h1, f32x4_mul(load(&y1[j + 4..]), ph));
            l2 = f32x4_add(l2, f32x4_mul(load(&y2[j..]), pl));
            h2 = f32x4_add(h2, f32x4_mul(load(&y2[j + 4..]), ph));
            l3 = f32x4_add(l3, f32x4_mul(load(&y3[j..]), pl));
            h3 = f32x4_add(h3, f32x4_mul(load(&y3[j + 4..]), ph));
            j += 8;
        }
        [fold(l0, h0), fold(l1, h1), fold(l2, h2), fold(l3, h3)]
    }

    /// ((s₀+s₄)+(s₂+s₆)) + ((s₁+s₅)+(s₃+s₇)) of the eight lanes of `lo` and `hi`.
    #[inline(always)]
    fn fold(lo: v128, hi: v128) -> f32 {
        let v = f32x4_add(lo, hi);
        let w = f32x4_add(v, i32x4_shuffle::<2, 3, 0, 1>(v, v));
        f32x4_extract_lane::<0>(w) + f32x4_extract_lane::<1>(w)
    }

    #[inline(always)]
    pub(super) fn axpy4_4(s: [f32; 4], y: [&[f32]; 4], out: &mut [f32]) {
        let [y0, y1, y2, y3] = y;
        let (s0, s1, s2, s3) = (f32x4_splat(s[0]), f32x4_splat(s[1]), f32x4_splat(s[2]), f32x4_splat(s[3]));
        let mut j = 0;
        while j + 4 <= out.len() {
            let mut v = load(&out[j..]);
            v = f32x4_add(v, f32x4_mul(s0, load(&y0[j..])));
            v = f32x4_add(v, f32x4_mul(s1, load(&y1[j..])));
            v = f32x4_add(v, f32x4_mul(s2, load(&y2[j..])));
            v = f32x4_add(v, f32x4_mul(s3, load(&y3[j..])));
            store(&mut out[j..], v);
            j += 4;
        }
    }

    /// Columns in blocks of 16 (four vectors kept in registers across the whole k loop).
    #[inline(always)]
    pub(super) fn mat_vec4(a: &[f32], x: &[f32], s: f32, out: &mut [f32]) {
        let n = x.len();
        let m = out.len();
        let mut j = 0;
        while j + 16 <= m {
            let z = f32x4_splat(0.0);
            let (mut a0, mut a1, mut a2, mut a3) = (z, z, z, z);
            for (k, &xk) in x.iter().enumerate() {
                let sx = f32x4_splat(s * xk);
                let row = &a[k * n + j..k * n + j + 16];
                a0 = f32x4_add(a0, f32x4_mul(sx, load(&row[0..])));
                a1 = f32x4_add(a1, f32x4_mul(sx, load(&row[4..])));
                a2 = f32x4_add(a2, f32x4_mul(sx, load(&row[8..])));
                a3 = f32x4_add(a3, f32x4_mul(sx, load(&row[12..])));
            }
            store(&mut out[j..], a0);
            store(&mut out[j + 4..], a1);
            store(&mut out[j + 8..], a2);
            store(&mut out[j + 12..], a3);
            j += 16;
        }
        while j < m {
            let mut acc = f32x4_splat(0.0);
            for (k, &xk) in x.iter().enumerate() {
                acc = f32x4_add(acc, f32x4_mul(f32x4_splat(s * xk), load(&a[k * n + j..])));
            }
            store(&mut out[j..], acc);
            j += 4;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernels against plainly written sums, on lengths with and without tails.
    #[test]
    fn kernels_match_plain_sums() {
        for n in [1usize, 4, 7, 8, 13, 16, 21, 64] {
            let a: Vec<f32> = (0..n).map(|i| (i % 5) as f32 - 1.5).collect();
            let b: Vec<f32> = (0..n).map(|i| (i % 3) as f32 * 0.5).collect();
            let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert_eq!(dot(&a, &b), plain, "n = {n}"); // small integers and halves: exact
            let mut y = b.clone();
            axpy(2.0, &a, &mut y);
            assert!(y.iter().zip(a.iter().zip(&b)).all(|(v, (x, z))| *v == z + 2.0 * x));
            let ys: Vec<Vec<f32>> =
                (0..4).map(|k| (0..n).map(|i| ((i * 7 + k) % 11) as f32 * 0.125 - 0.5).collect()).collect();
            let yr = [&ys[0][..], &ys[1][..], &ys[2][..], &ys[3][..]];
            assert_eq!(dot_4(yr, &a), yr.map(|r| dot(r, &a)));
            let (mut one, mut four) = (b.clone(), b.clone());
            (0..4).for_each(|k| axpy([0.5, -1.25, 3.0, 0.1][k], yr[k], &mut one));
            axpy_4([0.5, -1.25, 3.0, 0.1], yr, &mut four);
            assert_eq!(one, four);
            let mat: Vec<f32> = (0..n * n).map(|k| ((k / n) + (k % n)) as f32 * 0.25).collect(); // symmetric
            let mut out = vec![9f32; n];
            sym_mat_vec(&mat, &a, -1.0, &mut out);
            for (j, o) in out.iter().enumerate() {
                let want: f32 = (0..n).map(|k| -a[k] * mat[k * n + j]).sum();
                assert_eq!(*o, want, "n = {n}, j = {j}");
            }
        }
    }
}
