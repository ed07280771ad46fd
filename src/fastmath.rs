//! `exp` and `ln` for the likelihood loops of the value models (hundreds of thousands of calls
//! per fit). WebAssembly has no instruction for either, so `f64::exp` / `f64::ln` run
//! compiler-builtins' port of FreeBSD's libm there, with a division per call; these use
//! 128-entry tables built once and a short polynomial instead (the textbook table-driven
//! scheme, as in Tang 1989 for `exp`). Accuracy: within 2 ulp of the standard functions
//! (`tests` below checks that over the whole range the models use); the rare arguments
//! outside the table's range go to the standard functions.

use std::f64::consts::LOG2_E;
use std::sync::OnceLock;

const N: usize = 128;
/// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^21 (fdlibm's constants).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// One interval of the mantissa for `ln`: `m · inv_c` is close to 1, `ln_c` = −ln `inv_c`
/// (plus ln 2 for the upper half of the mantissa range, folded into `e`).
#[derive(Debug, Clone, Copy, Default)]
struct LnEntry {
    inv_c: f64,
    ln_c: f64,
    e: f64,
}

/// The tables behind [`Fast::exp`] and [`Fast::ln`]; get them with [`fast`].
#[derive(Debug)]
pub struct Fast {
    /// 2^(j/128).
    exp2: [f64; N],
    ln: [LnEntry; N],
}

/// The tables, built on first use (a few hundred standard-library calls).
pub fn fast() -> &'static Fast {
    static TABLES: OnceLock<Fast> = OnceLock::new();
    TABLES.get_or_init(Fast::build)
}

impl Fast {
    fn build() -> Fast {
        let mut exp2 = [0.0; N];
        for (j, v) in exp2.iter_mut().enumerate() {
            *v = (j as f64 / N as f64).exp2();
        }
        let mut ln = [LnEntry::default(); N];
        for (i, t) in ln.iter_mut().enumerate() {
            // Mantissa m in [1 + i/128, 1 + (i+1)/128). The lower half maps to c near m; the
            // upper half to c near m/2 (so the result is ln(m/2) + (e + 1) ln 2 and values
            // just below a power of two lose nothing to cancellation). The intervals next
            // to 1 use c = 1 exactly, so ln x keeps its relative accuracy for x near 1.
            let mid = 1.0 + (i as f64 + 0.5) / N as f64;
            let (c, e) = match i {
                0 => (1.0, 0.0),
                _ if i == N - 1 => (2.0, 1.0),
                _ if i >= N / 2 => (mid, 1.0),
                _ => (mid, 0.0),
            };
            // 1/c rounded to 32 significant bits: m_hi · inv_c is then exact (see `ln`).
            let inv_c = f64::from_bits((1.0 / c).to_bits() & !((1u64 << 21) - 1));
            // −ln(inv_c · 2^e): small, so its rounding error is small too (0 for c = 1, 2).
            let ln_c = -(inv_c * if e == 0.0 { 1.0 } else { 2.0 }).ln();
            *t = LnEntry { inv_c, ln_c, e };
        }
        Fast { exp2, ln }
    }

    /// e^x.
    #[inline(never)]
    pub fn exp(&self, x: f64) -> f64 {
        if x.is_nan() || x.abs() > 700.0 {
            return x.exp(); // NaN, ±∞, and near overflow / underflow
        }
        let k = (x * (N as f64 * LOG2_E)).round_ties_even();
        // x = k ln2/128 + r, |r| ≤ ln2/256 (Cody–Waite: both products exact enough).
        let r = (x - k * (LN2_HI / N as f64)) - k * (LN2_LO / N as f64);
        let ki = k as i64;
        let t = self.exp2[(ki & (N as i64 - 1)) as usize] * f64::from_bits(((ki >> 7) + 1023) as u64 * (1 << 52));
        // e^r − 1 to degree 5: the next term is below 6e-19.
        let p = r + r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0))));
        t + t * p
    }

    /// ln x.
    #[inline(never)]
    pub fn ln(&self, x: f64) -> f64 {
        let bits = x.to_bits();
        // Positive normal finite numbers only; the rest (0, subnormal, negative, ∞, NaN) go
        // to the standard function.
        if !(0x0010_0000_0000_0000..0x7ff0_0000_0000_0000).contains(&bits) {
            return x.ln();
        }
        let e = ((bits >> 52) as i64 - 1023) as f64;
        let t = self.ln[((bits >> 45) & (N as u64 - 1)) as usize];
        let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
        // z = m · inv_c − 1 without rounding trouble: m's top 21 bits times the 32-bit inv_c
        // is exact, and so is subtracting 1 from it; the low bits add a tiny rounded term.
        let m_hi = f64::from_bits(m.to_bits() & !((1u64 << 32) - 1));
        let z = (m_hi * t.inv_c - 1.0) + (m - m_hi) * t.inv_c;
        // ln(1 + z) to degree 8 (|z| ≤ 1/128; the next term is below 2e-18 · |z|).
        let z2 = z * z;
        let p =
            z - z2 * (0.5 - z * (1.0 / 3.0 - z * (0.25 - z * (0.2 - z * (1.0 / 6.0 - z * (1.0 / 7.0 - z * 0.125))))));
        let ee = e + t.e;
        (ee * LN2_HI + t.ln_c) + (ee * LN2_LO + p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::LN_2;

    fn ulps(a: f64, b: f64) -> f64 {
        if a == b {
            return 0.0;
        }
        let u = f64::from_bits(b.abs().to_bits() + 1) - b.abs();
        (a - b).abs() / u
    }

    /// xorshift: deterministic arguments.
    fn args(n: usize, lo: f64, hi: f64) -> impl Iterator<Item = f64> {
        let mut s = 0x2545_f491_4f6c_dd1d_u64;
        (0..n).map(move |_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            lo + (hi - lo) * ((s >> 11) as f64 / (1u64 << 53) as f64)
        })
    }

    #[test]
    fn exp_is_within_two_ulp() {
        let f = fast();
        let mut worst = 0.0_f64;
        for x in args(400_000, -700.0, 700.0).chain(args(400_000, -1.0, 1.0)).chain(args(100_000, -1e-6, 1e-6)) {
            worst = worst.max(ulps(f.exp(x), x.exp()));
        }
        for x in [0.0, -0.0, 1.0, -1.0, LN_2, 700.0, -700.0, 1e-300] {
            worst = worst.max(ulps(f.exp(x), x.exp()));
        }
        assert!(worst <= 2.0, "worst {worst} ulp");
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 710.0, -745.0, -1000.0] {
            let (a, b) = (f.exp(x), x.exp());
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{x}: {a} vs {b}");
        }
    }

    #[test]
    fn ln_is_within_two_ulp() {
        let f = fast();
        let mut worst = 0.0_f64;
        let near_one = args(200_000, 1.0 - 1.0 / 64.0, 1.0 + 1.0 / 64.0);
        let wide = args(200_000, -700.0, 700.0).map(f64::exp);
        for x in args(400_000, 1e-3, 1e3).chain(near_one).chain(wide).chain(args(50_000, 1.0, 1.0 + 1e-9)) {
            worst = worst.max(ulps(f.ln(x), x.ln()));
        }
        for x in [1.0, 2.0, 0.5, 1.0 - f64::EPSILON / 2.0, 1.0 + f64::EPSILON, f64::MAX, f64::MIN_POSITIVE] {
            worst = worst.max(ulps(f.ln(x), x.ln()));
        }
        assert!(worst <= 2.0, "worst {worst} ulp");
        for x in [0.0, -0.0, -1.0, 1e-310, f64::INFINITY, f64::NAN] {
            let (a, b) = (f.ln(x), x.ln());
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{x}: {a} vs {b}");
        }
    }
}
