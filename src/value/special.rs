//! Special functions the customer-value models need: ln Γ, digamma ψ, and the Gauss
//! hypergeometric function ₂F₁ for |z| < 1.
//!
//! - [`ln_gamma`]: Lanczos approximation (g = 7, 9 coefficients, as tabulated by Godfrey and
//!   reproduced in Press et al., *Numerical Recipes*, and on Wikipedia), with the reflection
//!   formula below ½; about 15 significant digits.
//! - [`digamma`]: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic
//!   series ln x − 1/(2x) − Σ B₂ₖ / (2k x²ᵏ) (Abramowitz & Stegun 6.3.18); reflection below 0.
//! - [`hyp2f1`]: the defining power series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ (Abramowitz & Stegun
//!   15.1.1), or the same series after Euler's transformation
//!   ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z) (A&S 15.3.3) when that one has
//!   the smaller parameters. The series is summed until a bound on the remaining tail is below
//!   machine precision, and gives up with an error after a fixed number of terms.

use crate::error::{CrmError, Result};

const LANCZOS_G: f64 = 7.0;
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// ln |Γ(x)|. `+∞` at the poles (0, −1, −2, ...), NaN for NaN.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x < 0.5 {
        if x == x.floor() {
            return f64::INFINITY;
        }
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let s = (std::f64::consts::PI * x).sin().abs();
        return std::f64::consts::PI.ln() - s.ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = LANCZOS[0];
    for (i, c) in LANCZOS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + LANCZOS_G + 0.5;
    LN_SQRT_2PI + (x + 0.5) * t.ln() - t + sum.ln()
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The digamma function ψ(x) = d/dx ln Γ(x). NaN at the poles (0, −1, −2, ...).
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x == f64::NEG_INFINITY {
        return f64::NAN;
    }
    if x <= 0.0 {
        if x == x.floor() {
            return f64::NAN;
        }
        // Reflection: ψ(1 − x) − ψ(x) = π cot(πx).
        let pi = std::f64::consts::PI;
        return digamma(1.0 - x) - pi / (pi * x).tan();
    }
    let mut x = x;
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    // B2/2, B4/4, B6/6, B8/8, B10/10, B12/12 of the asymptotic series.
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * (691.0 / 32_760.0))))));
    acc + x.ln() - 0.5 / x - series
}

/// Terms the ₂F₁ series may use before [`hyp2f1`] reports that it did not converge.
pub const HYP2F1_MAX_TERMS: usize = 200_000;

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real |z| < 1.
///
/// Errors: non-finite arguments or |z| ≥ 1 (`INVALID_OPTION`); `c` a pole (0, −1, ...)
/// not cancelled by a terminating numerator; a series that does not reach machine precision
/// within [`HYP2F1_MAX_TERMS`] terms (z very close to 1) or overflows (`INVALID_STATE`, with
/// the arguments and the partial sum in the message).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<f64> {
    hyp2f1_with_limit(a, b, c, z, HYP2F1_MAX_TERMS)
}

/// [`hyp2f1`] with an explicit limit on the number of series terms.
pub fn hyp2f1_with_limit(a: f64, b: f64, c: f64, z: f64, max_terms: usize) -> Result<f64> {
    for (name, v) in [("a", a), ("b", b), ("c", c), ("z", z)] {
        if !v.is_finite() {
            return Err(CrmError::invalid_option(name, format!("hyp2f1 needs finite arguments, got {name} = {v}")));
        }
    }
    if z.abs() >= 1.0 {
        return Err(CrmError::invalid_option("z", format!("hyp2f1 series needs |z| < 1, got z = {z}")));
    }
    if is_non_positive_integer(c) && !(terminates_before(a, c) || terminates_before(b, c)) {
        return Err(CrmError::invalid_option("c", format!("hyp2f1 is undefined for c = {c} (a pole)")));
    }
    // Euler's transformation keeps the value and swaps the numerator parameters; prefer the
    // form whose terms start smaller, and try the other one if the first fails.
    let direct = (a * b).abs();
    let euler = ((c - a) * (c - b)).abs();
    let euler_first = euler < direct && z >= 0.0;
    let first = if euler_first { series_euler(a, b, c, z, max_terms) } else { series(a, b, c, z, max_terms) };
    match first {
        Ok(v) => Ok(v),
        Err(e) => {
            let second = if euler_first {
                series(a, b, c, z, max_terms)
            } else if z >= 0.0 {
                series_euler(a, b, c, z, max_terms)
            } else {
                return Err(e);
            };
            second.map_err(|_| e)
        }
    }
}

fn is_non_positive_integer(v: f64) -> bool {
    v <= 0.0 && v == v.floor()
}

/// The numerator parameter `p` is a non-positive integer that ends the series before the
/// denominator parameter `c` reaches zero.
fn terminates_before(p: f64, c: f64) -> bool {
    is_non_positive_integer(p) && p > c
}

fn series_euler(a: f64, b: f64, c: f64, z: f64, max_terms: usize) -> Result<f64> {
    let s = series(c - a, c - b, c, z, max_terms)?;
    let v = (1.0 - z).powf(c - a - b) * s;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CrmError::state(format!("hyp2f1({a}, {b}; {c}; {z}) overflows after Euler's transformation")))
    }
}

/// Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, stopped once |term| · q/(1 − q) ≤ ε |sum|, where q bounds the
/// ratio of all later terms (the current ratio or |z|, whichever is larger, once below 1).
pub fn series(a: f64, b: f64, c: f64, z: f64, max_terms: usize) -> Result<f64> {
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    for n in 0..max_terms {
        let nf = n as f64;
        let ratio = (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0)) * z;
        term *= ratio;
        if term == 0.0 {
            return Ok(sum);
        }
        sum += term;
        if !sum.is_finite() {
            return Err(CrmError::state(format!("hyp2f1({a}, {b}; {c}; {z}) series overflows after {} terms", n + 1)));
        }
        let next = (a + nf + 1.0) * (b + nf + 1.0) / ((c + nf + 1.0) * (nf + 2.0)) * z;
        let q = next.abs().max(z.abs());
        // Ratios tend to |z| monotonically once n exceeds the parameters, so q is a bound then.
        if q < 1.0 && nf + 1.0 > a.abs().max(b.abs()).max(c.abs()) && term.abs() * q / (1.0 - q) <= 1e-17 * sum.abs() {
            return Ok(sum);
        }
    }
    Err(CrmError::state(format!(
        "hyp2f1({a}, {b}; {c}; {z}) series did not converge in {max_terms} terms (partial sum {sum}); \
         z is too close to 1 for the series"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) {
        let err = (got - want).abs() / want.abs().max(1e-300);
        assert!(err <= rel, "got {got}, want {want}, relative error {err:e}");
    }

    #[test]
    fn ln_gamma_known_values() {
        close(ln_gamma(0.5), 0.572_364_942_924_700_1, 1e-14); // ln √π
        assert!(ln_gamma(1.0).abs() < 1e-15);
        assert!(ln_gamma(2.0).abs() < 1e-15);
        close(ln_gamma(10.0), 362_880f64.ln(), 1e-14);
        close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-14);
        close(ln_gamma(1e-3), 6.907_178_885_383_854, 1e-13);
        close(ln_gamma(-0.5), 1.265_512_123_484_645_4, 1e-14); // ln 2√π
        close(ln_gamma(0.242_6), 1.319_785_475_090_792_2, 1e-14); // scipy.special.gammaln
        assert_eq!(ln_gamma(0.0), f64::INFINITY);
        assert_eq!(ln_gamma(-3.0), f64::INFINITY);
        assert!(ln_gamma(f64::NAN).is_nan());
        // Γ(n + 1) = n! for a range of n.
        let mut fact = 1.0_f64;
        for n in 1..60 {
            fact *= n as f64;
            close(ln_gamma(n as f64 + 1.0), fact.ln(), 2e-14);
        }
    }

    #[test]
    fn digamma_known_values_and_recurrence() {
        let euler_gamma = 0.577_215_664_901_532_9;
        close(digamma(1.0), -euler_gamma, 1e-14);
        close(digamma(0.5), -euler_gamma - 2.0 * 2f64.ln(), 1e-14);
        close(digamma(10.0), 2.251_752_589_066_721, 1e-14);
        close(digamma(-0.5), 0.036_489_973_978_576_52, 1e-12);
        for &x in &[0.01, 0.3, 1.7, 5.5, 42.0] {
            close(digamma(x + 1.0), digamma(x) + 1.0 / x, 1e-13);
            // The derivative of ln Γ, numerically.
            let h = 1e-5 * x;
            close(digamma(x), (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h), 1e-7);
        }
        assert!(digamma(0.0).is_nan());
    }

    #[test]
    fn hyp2f1_closed_forms() {
        for &z in &[-0.9_f64, -0.3, 0.0, 0.2, 0.5, 0.9, 0.99] {
            // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z
            let want = if z == 0.0 { 1.0 } else { -(1.0 - z).ln() / z };
            close(hyp2f1(1.0, 1.0, 2.0, z).unwrap(), want, 1e-13);
            // ₂F₁(a, b; b; z) = (1 − z)^(−a)
            close(hyp2f1(0.7, 2.5, 2.5, z).unwrap(), (1.0 - z).powf(-0.7), 1e-13);
        }
        // ₂F₁(½, ½; 3/2; z²) = arcsin(z)/z
        for &s in &[0.1_f64, 0.5, 0.9] {
            close(hyp2f1(0.5, 0.5, 1.5, s * s).unwrap(), s.asin() / s, 1e-13);
        }
        // A terminating series is a polynomial: 1 − 2bz/c + b(b+1)z²/(c(c+1)).
        let (b, c, z) = (1.3, 2.2, 0.4);
        close(hyp2f1(-2.0, b, c, z).unwrap(), 1.0 - 2.0 * b * z / c + b * (b + 1.0) * z * z / (c * (c + 1.0)), 1e-14);
        // scipy.special.hyp2f1(0.25, 2.7, 3.3, 0.8)
        close(hyp2f1(0.25, 2.7, 3.3, 0.8).unwrap(), 1.336_324_591_002_712_6, 1e-13);
    }

    #[test]
    fn hyp2f1_errors_instead_of_looping() {
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, f64::NAN).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(hyp2f1(1.0, 1.0, -2.0, 0.5).unwrap_err().code(), "INVALID_OPTION");
        let e = hyp2f1_with_limit(0.5, 0.5, 1.5, 0.999_999, 1_000).unwrap_err();
        assert_eq!(e.code(), "INVALID_STATE");
        assert!(e.to_string().contains("did not converge"), "{e}");
    }
}
