//! The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma
//! Model of Monetary Value", brucehardie.com/notes/025; after Colombo & Jiang 1999), and
//! customer lifetime value combining it with the BG/NBD.
//!
//! A customer's transaction values are Gamma(p, ν); across customers ν ~ Gamma(q, γ)
//! (`lifetimes` calls γ `v`). The mean z̄ of x transactions then has the density (note eq. 3)
//!
//! f(z̄ | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) z̄^(px−1) / (γ + x z̄)^(px+q)
//!
//! and E[Z | z̄, x] = p (γ + x z̄) / (px + q − 1) (note eq. 5), a weighted average of the
//! population mean pγ/(q−1) and z̄. The model is fitted on repeat customers (x > 0).
//!
//! CLV follows `lifetimes`' `customer_lifetime_value`: for months i = 1..n, the BG/NBD's
//! expected purchases in month i times the expected spend, discounted by (1 + d)^i, with a
//! month of 30 days or 4.345 weeks.

use serde::Serialize;

use crate::error::{CrmError, Result};

use super::bgnbd::BgNbd;
use super::bgnbd::{SCREEN_ABOVE, SCREEN_SAMPLE};
use super::optimize::{minimize_screened, Settings};
use super::special::{digamma, ln_gamma};
use super::summary::TimeUnit;

/// Gamma-Gamma parameters: shape `p` of a customer's spend, and ν ~ Gamma(shape `q`,
/// rate `v`) (γ in Fader & Hardie).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// L2 penalty λ (p² + q² + v²) added to the mean negative log-likelihood (`lifetimes`).
    pub penalizer: f64,
    pub max_iter: usize,
    /// An extra starting point, tried first.
    pub initial: Option<GammaGamma>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { penalizer: 0.0, max_iter: 500, initial: None }
    }
}

/// A fitted spend model and how the fit went (parameters are the best point found even when
/// `converged` is false).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct GammaGammaFit {
    #[serde(flatten)]
    pub params: GammaGamma,
    /// Σ ln f over the customers used (without the penalty).
    pub log_likelihood: f64,
    pub converged: bool,
    pub iterations: usize,
    pub evaluations: usize,
    pub gradient_norm: f64,
    pub diagnostic: String,
    /// Customers the fit used (x > 0 and spend > 0).
    pub customers: usize,
    /// Left out: no repeat purchase (x = 0), so no repeat spend to model.
    pub skipped_no_repeat: usize,
    /// Left out: x > 0 but mean spend ≤ 0 (outside the model's support).
    pub skipped_non_positive_spend: usize,
}

impl GammaGamma {
    /// Checked parameters: all finite and positive.
    pub fn new(p: f64, q: f64, v: f64) -> Result<Self> {
        for (name, val) in [("p", p), ("q", q), ("v", v)] {
            if !(val.is_finite() && val > 0.0) {
                return Err(CrmError::invalid_option(name, format!("must be finite and > 0, got {val}")));
            }
        }
        Ok(GammaGamma { p, q, v })
    }

    /// Σ ln f(z̄ | x) over the customers with x > 0 and z̄ > 0 (the others are not modelled).
    pub fn log_likelihood(&self, frequency: &[f64], monetary: &[f64]) -> Result<f64> {
        GammaGamma::new(self.p, self.q, self.v)?;
        let (x, m, _, _) = repeat_customers(frequency, monetary)?;
        Ok(ll_and_grad(self, &Spend::new(&x, &m, 1), None))
    }

    /// E[Z | z̄, x]: the expected spend per transaction of a customer with x repeat purchases
    /// of mean z̄ (the population mean pv/(q−1) when x = 0). Needs q > 1.
    pub fn conditional_expected_average_spend(&self, x: f64, mean_spend: f64) -> Result<f64> {
        GammaGamma::new(self.p, self.q, self.v)?;
        if self.q <= 1.0 {
            return Err(CrmError::invalid_option(
                "q",
                format!("the mean spend is infinite for q <= 1 (q = {})", self.q),
            ));
        }
        if !(x.is_finite() && x >= 0.0 && mean_spend.is_finite()) {
            return Err(CrmError::invalid_option(
                "frequency",
                format!("needs finite x >= 0 and spend, got {x}, {mean_spend}"),
            ));
        }
        let m = if x > 0.0 { mean_spend } else { 0.0 };
        Ok(self.p * (self.v + x * m) / (self.p * x + self.q - 1.0))
    }
}

/// The customers the model describes: (x, z̄) with x > 0 and z̄ > 0, and the counts left out.
fn repeat_customers(frequency: &[f64], monetary: &[f64]) -> Result<(Vec<f64>, Vec<f64>, usize, usize)> {
    if frequency.len() != monetary.len() {
        return Err(CrmError::invalid_option(
            "monetary",
            format!("frequency and monetary differ in length ({}, {})", frequency.len(), monetary.len()),
        ));
    }
    let (mut x, mut m, mut no_repeat, mut non_positive) = (Vec::new(), Vec::new(), 0, 0);
    for (i, (&f, &z)) in frequency.iter().zip(monetary).enumerate() {
        if !(f.is_finite() && f >= 0.0 && z.is_finite()) {
            return Err(CrmError::invalid_option(
                "monetary",
                format!("customer {i}: frequency must be finite and >= 0 and spend finite, got {f}, {z}"),
            ));
        }
        if f == 0.0 {
            no_repeat += 1;
        } else if z <= 0.0 {
            non_positive += 1;
        } else {
            x.push(f);
            m.push(z);
        }
    }
    if x.is_empty() {
        return Err(CrmError::empty("no repeat customers with positive spend"));
    }
    Ok((x, m, no_repeat, non_positive))
}

/// Repeat customers (x, z̄) with ln z̄ and ln x computed once (they do not depend on the
/// parameters); `every` > 1 keeps a systematic sample.
struct Spend {
    x: Vec<f64>,
    m: Vec<f64>,
    /// ln z̄ and ln x.
    lm: Vec<f64>,
    lx: Vec<f64>,
    max_x: f64,
    /// The distinct x values (ascending) when the per-x terms are tabulated: all x whole and
    /// the largest below a quarter of the customers; else empty.
    whole_xs: Vec<usize>,
}

impl Spend {
    fn new(x: &[f64], m: &[f64], every: usize) -> Spend {
        let idx: Vec<usize> = (0..x.len()).step_by(every.max(1)).collect();
        let max_x = idx.iter().fold(0.0_f64, |acc, &i| acc.max(x[i]));
        // Tabulated only when whole and few compared with the customers (see `ll_and_grad`).
        let tabulate = max_x < idx.len() as f64 / 4.0 && idx.iter().all(|&i| x[i] == x[i].floor() && x[i] >= 0.0);
        let whole_xs = if tabulate {
            let mut seen = vec![false; max_x as usize + 1];
            idx.iter().for_each(|&i| seen[x[i] as usize] = true);
            (0..seen.len()).filter(|&v| seen[v]).collect()
        } else {
            Vec::new()
        };
        Spend {
            x: idx.iter().map(|&i| x[i]).collect(),
            m: idx.iter().map(|&i| m[i]).collect(),
            lm: idx.iter().map(|&i| m[i].ln()).collect(),
            lx: idx.iter().map(|&i| x[i].ln()).collect(),
            max_x,
            whole_xs,
        }
    }
}

/// Σ ln f and, if asked, its gradient with respect to (p, q, v). The Γ and ψ terms depend on
/// x only and are tabulated per whole x when that is cheaper.
fn ll_and_grad(g: &GammaGamma, data: &Spend, grad: Option<&mut [f64; 3]>) -> f64 {
    let GammaGamma { p, q, v } = *g;
    let (lgq, dq, lv) = (ln_gamma(q), digamma(q), v.ln());
    // Per x: ln Γ(px+q) − ln Γ(px), ψ(px+q), ψ(px).
    let terms = |x: f64| {
        let px = p * x;
        (ln_gamma(px + q) - ln_gamma(px), digamma(px + q), digamma(px))
    };
    // Only the x values that occur are computed (the rest of the table is never read).
    let table: Vec<(f64, f64, f64)> = if !data.whole_xs.is_empty() {
        let mut t = vec![(0.0, 0.0, 0.0); data.max_x as usize + 1];
        for &x in &data.whole_xs {
            t[x] = terms(x as f64);
        }
        t
    } else {
        Vec::new()
    };
    let (mut ll, mut d) = (0.0, [0.0; 3]);
    let fm = crate::fastmath::fast();
    for i in 0..data.x.len() {
        let (x, m, lm, lx) = (data.x[i], data.m[i], data.lm[i], data.lx[i]);
        let (lg, dpq, dp) = table.get(x as usize).copied().unwrap_or_else(|| terms(x));
        let px = p * x;
        let lxmv = fm.ln(x * m + v);
        ll += lg - lgq + q * lv + (px - 1.0) * lm + px * lx - (px + q) * lxmv;
        if grad.is_some() {
            d[0] += x * (dpq - dp + lm + lx - lxmv);
            d[1] += dpq - dq + lv - lxmv;
            d[2] += q / v - (px + q) / (x * m + v);
        }
    }
    if let Some(out) = grad {
        *out = d;
    }
    ll
}

/// The fit's objective: mean negative log-likelihood plus the L2 penalty, over log-parameters.
fn objective(data: &Spend, lambda: f64) -> impl FnMut(&[f64], &mut [f64]) -> f64 + '_ {
    let n = data.x.len() as f64;
    move |th: &[f64], g: &mut [f64]| -> f64 {
        let gg = GammaGamma { p: th[0].exp(), q: th[1].exp(), v: th[2].exp() };
        let mut d = [0.0; 3];
        let ll = ll_and_grad(&gg, data, Some(&mut d));
        let p = [gg.p, gg.q, gg.v];
        for k in 0..3 {
            g[k] = -d[k] * p[k] / n + 2.0 * lambda * p[k] * p[k];
        }
        -ll / n + lambda * p.iter().map(|v| v * v).sum::<f64>()
    }
}

/// Maximum-likelihood Gamma-Gamma parameters from each customer's repeat frequency and mean
/// repeat spend (customers with x = 0 or spend ≤ 0 are counted and left out).
pub fn fit(frequency: &[f64], monetary: &[f64], opts: &FitOptions) -> Result<GammaGammaFit> {
    let (x, m, no_repeat, non_positive) = repeat_customers(frequency, monetary)?;
    if !(opts.penalizer.is_finite() && opts.penalizer >= 0.0) {
        return Err(CrmError::invalid_option("penalizer", format!("must be finite and >= 0, got {}", opts.penalizer)));
    }
    let n = x.len() as f64;
    let lambda = opts.penalizer;
    let data = Spend::new(&x, &m, 1);
    let sample = (x.len() > SCREEN_ABOVE).then(|| Spend::new(&x, &m, x.len() / SCREEN_SAMPLE));
    // Starting points: v from the mean spend, E[Z] = p v / (q − 1).
    let mean = m.iter().sum::<f64>() / n;
    let mut starts: Vec<Vec<f64>> = Vec::new();
    if let Some(g) = opts.initial {
        let g = GammaGamma::new(g.p, g.q, g.v)?;
        starts.push(vec![g.p.ln(), g.q.ln(), g.v.ln()]);
    }
    for (p, q) in [(1.0_f64, 2.0_f64), (5.0, 3.0), (0.5, 1.5)] {
        starts.push(vec![p.ln(), q.ln(), (mean * (q - 1.0) / p).ln()]);
    }
    // p and q (not the spend scale v) run off when customers' mean spends do not differ.
    let settings = Settings { max_iter: opts.max_iter, bounded: 0b011, ..Settings::default() };
    let o =
        minimize_screened(objective(&data, lambda), sample.as_ref().map(|s| objective(s, lambda)), &starts, settings);
    let th = if o.x.len() == 3 { o.x.clone() } else { starts[0].clone() };
    let params = GammaGamma { p: th[0].exp(), q: th[1].exp(), v: th[2].exp() };
    Ok(GammaGammaFit {
        params,
        log_likelihood: ll_and_grad(&params, &data, None),
        converged: o.converged,
        iterations: o.iterations,
        evaluations: o.evaluations,
        gradient_norm: o.grad_norm,
        diagnostic: o.message,
        customers: x.len(),
        skipped_no_repeat: no_repeat,
        skipped_non_positive_spend: non_positive,
    })
}

/// Horizon and discounting of [`customer_lifetime_value`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClvOptions {
    /// Months ahead (`lifetimes`' `time`, default 12).
    pub months: u32,
    /// Discount rate per month (default 0.01).
    pub monthly_discount_rate: f64,
    /// Model time units per month: 30 for days, 4.345 for weeks ([`TimeUnit::per_month`]).
    pub periods_per_month: f64,
}

impl ClvOptions {
    pub fn new(months: u32, monthly_discount_rate: f64, unit: TimeUnit) -> Self {
        ClvOptions { months, monthly_discount_rate, periods_per_month: unit.per_month() }
    }
}

/// Discounted value of a customer's next `months`: Σᵢ E[Z | z̄, x] · (E[Y(i·m)] − E[Y((i−1)·m)])
/// / (1 + d)^i with m = periods per month, as `lifetimes`' `customer_lifetime_value`.
pub fn customer_lifetime_value(
    bg: &BgNbd,
    gg: &GammaGamma,
    (x, t_x, t): (f64, f64, f64),
    mean_spend: f64,
    opts: &ClvOptions,
) -> Result<f64> {
    let (d, per) = (opts.monthly_discount_rate, opts.periods_per_month);
    if !(d.is_finite() && d > -1.0) {
        return Err(CrmError::invalid_option("monthlyDiscountRate", format!("must be finite and > -1, got {d}")));
    }
    if !(per.is_finite() && per > 0.0) {
        return Err(CrmError::invalid_option("periodsPerMonth", format!("must be finite and > 0, got {per}")));
    }
    let spend = gg.conditional_expected_average_spend(x, mean_spend)?;
    let (mut clv, mut before) = (0.0, bg.conditional_expected_purchases(0.0, x, t_x, t)?);
    for i in 1..=opts.months {
        let now = bg.conditional_expected_purchases(i as f64 * per, x, t_x, t)?;
        clv += spend * (now - before) / (1.0 + d).powi(i as i32);
        before = now;
    }
    Ok(clv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let (x, m) = ([1.0, 2.0, 5.0, 3.0], [12.5, 40.0, 22.0, 7.3]);
        let g0 = GammaGamma { p: 5.0, q: 3.5, v: 14.0 };
        let mut g = [0.0; 3];
        ll_and_grad(&g0, &Spend::new(&x, &m, 1), Some(&mut g));
        let p = [g0.p, g0.q, g0.v];
        for k in 0..3 {
            let h = 1e-6 * p[k];
            let (mut lo, mut hi) = (p, p);
            lo[k] -= h;
            hi[k] += h;
            let at = |a: [f64; 3]| ll_and_grad(&GammaGamma { p: a[0], q: a[1], v: a[2] }, &Spend::new(&x, &m, 1), None);
            let num = (at(hi) - at(lo)) / (2.0 * h);
            assert!((g[k] - num).abs() <= 1e-6 * num.abs().max(1.0), "param {k}: {} vs {num}", g[k]);
        }
    }

    #[test]
    fn tabulated_terms_give_the_same_likelihood() {
        // 200 customers with x in {1, 4, 9, 30} (whole, few distinct: the table is used) vs
        // one customer at a time (never tabulated).
        let x: Vec<f64> = (0..200).map(|i| [1.0, 4.0, 9.0, 30.0][i % 4]).collect();
        let m: Vec<f64> = (0..200).map(|i| 5.0 + (i * 37 % 101) as f64 * 0.7).collect();
        let g0 = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
        let data = Spend::new(&x, &m, 1);
        assert_eq!(data.whole_xs, [1, 4, 9, 30]);
        let (mut g_all, mut g_one, mut g_sum) = ([0.0; 3], [0.0; 3], [0.0; 3]);
        let all = ll_and_grad(&g0, &data, Some(&mut g_all));
        let mut one = 0.0;
        for i in 0..x.len() {
            one += ll_and_grad(&g0, &Spend::new(&x[i..=i], &m[i..=i], 1), Some(&mut g_one));
            (0..3).for_each(|k| g_sum[k] += g_one[k]);
        }
        assert!((all - one).abs() < 1e-10 * one.abs(), "{all} vs {one}");
        (0..3).for_each(|k| assert!((g_all[k] - g_sum[k]).abs() < 1e-10 * (1.0 + g_sum[k].abs())));
    }

    #[test]
    fn expected_spend_shrinks_toward_population_mean() {
        let g = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
        let pop = g.conditional_expected_average_spend(0.0, 0.0).unwrap();
        assert!((pop - 6.25 * 15.44 / 2.74).abs() < 1e-12);
        let one = g.conditional_expected_average_spend(1.0, 100.0).unwrap();
        let many = g.conditional_expected_average_spend(20.0, 100.0).unwrap();
        assert!(pop < one && one < many && many < 100.0);
        assert!(GammaGamma { q: 0.9, ..g }.conditional_expected_average_spend(1.0, 5.0).is_err());
    }

    #[test]
    fn bad_input_is_an_error() {
        let o = FitOptions::default();
        assert_eq!(fit(&[0.0, 0.0], &[0.0, 0.0], &o).unwrap_err().code(), "EMPTY_INPUT");
        assert_eq!(fit(&[1.0], &[f64::NAN], &o).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(fit(&[1.0, 2.0], &[3.0], &o).unwrap_err().code(), "INVALID_OPTION");
        let bg = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let gg = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
        let bad = ClvOptions { monthly_discount_rate: f64::NAN, ..ClvOptions::new(12, 0.01, TimeUnit::Weeks) };
        assert!(customer_lifetime_value(&bg, &gg, (1.0, 2.0, 30.0), 20.0, &bad).is_err());
    }

    #[test]
    fn clv_without_discount_is_spend_times_expected_purchases() {
        let bg = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let gg = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
        let o = ClvOptions::new(12, 0.0, TimeUnit::Weeks);
        let clv = customer_lifetime_value(&bg, &gg, (2.0, 30.43, 38.86), 22.35, &o).unwrap();
        let want = gg.conditional_expected_average_spend(2.0, 22.35).unwrap()
            * bg.conditional_expected_purchases(12.0 * 4.345, 2.0, 30.43, 38.86).unwrap();
        assert!((clv - want).abs() < 1e-10 * want);
    }
}
