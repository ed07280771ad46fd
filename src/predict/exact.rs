//! `exp`, `ln` and `ln_1p` that give the same bits natively and in wasm. The standard
//! functions do not: natively they are the platform's libm (glibc), in wasm compiler-builtins'
//! port of FreeBSD's, and the two differ in the last bit for some arguments — enough to move a
//! logistic fit's log loss in the tenth digit and to flip a tie between two tree splits, which
//! breaks "native = wasm" (issue 17, item 6). These use only +, −, ×, ÷ and bit operations,
//! which IEEE 754 fixes exactly (Rust never fuses them), after fdlibm's algorithms (Sun, 1993):
//! within 1 ulp of the true value.

const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const INV_LN2: f64 = std::f64::consts::LOG2_E;

/// 2^k for k in -1022..=1023.
fn pow2(k: i32) -> f64 {
    f64::from_bits(((0x3ff + k) as u64) << 52)
}

/// e^x.
pub fn exp(x: f64) -> f64 {
    const P1: f64 = 1.666_666_666_666_660_2e-1;
    const P2: f64 = -2.777_777_777_701_559_3e-3;
    const P3: f64 = 6.613_756_321_437_934e-5;
    const P4: f64 = -1.653_390_220_546_525_2e-6;
    const P5: f64 = 4.138_136_797_057_238_5e-8;
    if x.is_nan() {
        return x;
    }
    if x > 709.782_712_893_384 {
        return f64::INFINITY;
    }
    if x < -745.133_219_101_941_1 {
        return 0.0;
    }
    let ax = x.abs();
    if ax < 3.725_290_298_461_914e-9 {
        // |x| < 2^-28: 1 + x is e^x to the last bit.
        return 1.0 + x;
    }
    // x = k ln2 + r, |r| ≤ ln2 / 2, r = hi − lo.
    let (k, hi, lo) = if ax > 0.5 * LN2_HI {
        let k = (INV_LN2 * x + if x < 0.0 { -0.5 } else { 0.5 }) as i32;
        let kf = k as f64;
        (k, x - kf * LN2_HI, kf * LN2_LO)
    } else {
        (0, x, 0.0)
    };
    let r = hi - lo;
    let t = r * r;
    let c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    if k == 0 {
        return 1.0 - ((r * c) / (c - 2.0) - r);
    }
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    if k >= -1021 {
        if k == 1024 {
            y * 2.0 * pow2(1023)
        } else {
            y * pow2(k)
        }
    } else {
        y * pow2(k + 1000) * pow2(-1000)
    }
}

/// The natural logarithm.
pub fn ln(x: f64) -> f64 {
    const LG1: f64 = 6.666_666_666_666_735e-1;
    const LG2: f64 = 3.999_999_999_940_942e-1;
    const LG3: f64 = 2.857_142_874_366_239e-1;
    const LG4: f64 = 2.222_219_843_214_978_4e-1;
    const LG5: f64 = 1.818_357_216_161_805e-1;
    const LG6: f64 = 1.531_383_769_920_937_3e-1;
    const LG7: f64 = 1.479_819_860_511_658_6e-1;
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let mut k: i32 = 0;
    let mut x = x;
    if x < f64::MIN_POSITIVE {
        // Subnormal: scale up by 2^54.
        k -= 54;
        x *= 18_014_398_509_481_984.0;
    }
    let bits = x.to_bits();
    let mut hx = (bits >> 32) as u32;
    k += ((hx >> 20) as i32) - 1023;
    hx &= 0x000f_ffff;
    // Normalise the mantissa m into [sqrt(2)/2, sqrt(2)).
    let i = (hx.wrapping_add(0x95f64)) & 0x0010_0000;
    let m = f64::from_bits((u64::from(hx | (i ^ 0x3ff0_0000)) << 32) | (bits & 0xffff_ffff));
    k += (i >> 20) as i32;
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
    let dk = k as f64;
    dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
}

/// ln(1 + u), accurate for small u (Goldberg's correction of the rounded 1 + u).
pub fn ln_1p(u: f64) -> f64 {
    let w = 1.0 + u;
    if w == 1.0 {
        u
    } else {
        ln(w) * (u / (w - 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            0
        } else {
            (a.to_bits() as i64).abs_diff(b.to_bits() as i64)
        }
    }

    #[test]
    fn within_two_ulp_of_the_standard_functions() {
        let mut x = -740.0f64;
        let mut worst = (0, 0);
        while x < 709.0 {
            worst.0 = worst.0.max(ulps(exp(x), x.exp()));
            x += 0.0137;
        }
        let mut x = 1e-300f64;
        while x < 1e300 {
            worst.1 = worst.1.max(ulps(ln(x), x.ln()));
            x *= 1.0371;
        }
        for &x in &[0.5, 0.999_999, 1.000_001, 1.5, 2.0, 0.7072, 1.4143] {
            worst.1 = worst.1.max(ulps(ln(x), x.ln()));
        }
        assert!(worst.0 <= 2 && worst.1 <= 2, "{worst:?}");
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan() && exp(f64::NAN).is_nan());
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
        assert!(ulps(ln(5e-324), 5e-324f64.ln()) <= 2);
        for &u in &[1e-20, 1e-10, 1e-5, 0.1, 0.5, 1.0] {
            assert!(ulps(ln_1p(u), u.ln_1p()) <= 4, "{u}");
        }
    }
}
