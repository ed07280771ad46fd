//! The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting Your Customers the
//! Easy Way: An Alternative to the Pareto/NBD Model", *Marketing Science* 24(2), 275–284).
//!
//! While active, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
//! purchase they become inactive with probability p ~ Beta(a, b). With x repeat purchases, the
//! last at t_x, observed for T since the first purchase (FHL 2005 eq. 6):
//!
//! L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//!   + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
//!
//! The fit maximises Σ ln L (analytic gradient, BFGS on log-parameters from several starts,
//! Nelder–Mead fallback: [`super::optimize`]). The predictions are FHL 2005 eq. 7
//! (unconditional E[X(t)]), eq. 10 (conditional expectation) and the P(alive) of their
//! technical note "Computing P(alive) using the BG/NBD model". The hypergeometric terms are
//! evaluated after Euler's transformation, which turns
//! ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z) into (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z)
//! with z = t/(α+T+t): no overflow for large x, and fast convergence.

use serde::Serialize;

use crate::error::{CrmError, Result};

use super::optimize::{minimize_screened, Settings};
use super::special::{digamma, hyp2f1, ln_gamma};

/// BG/NBD parameters: purchase rate λ ~ Gamma(shape `r`, rate `alpha`); dropout probability
/// p ~ Beta(`a`, `b`). `alpha` is in the time unit of the data it was fitted on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// Options of [`fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// L2 penalty λ Σ θ² added to the mean negative log-likelihood, as in `lifetimes`
    /// (which penalises α after rescaling time so that the largest T is 1; so does this).
    pub penalizer: f64,
    /// BFGS iteration limit per start.
    pub max_iter: usize,
    /// An extra starting point, tried first.
    pub initial: Option<BgNbd>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { penalizer: 0.0, max_iter: 500, initial: None }
    }
}

/// A fitted model and how the fit went. The parameters are the best point found even when
/// `converged` is false; `diagnostic` then says why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BgNbdFit {
    #[serde(flatten)]
    pub params: BgNbd,
    /// Σ ln L at `params` (without the penalty).
    pub log_likelihood: f64,
    pub converged: bool,
    pub iterations: usize,
    pub evaluations: usize,
    /// Largest gradient component of the objective (mean negative log-likelihood plus
    /// penalty) with respect to the log-parameters.
    pub gradient_norm: f64,
    pub diagnostic: String,
    pub customers: usize,
}

impl BgNbd {
    /// Checked parameters: all finite and positive.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        for (name, v) in [("r", r), ("alpha", alpha), ("a", a), ("b", b)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(CrmError::invalid_option(name, format!("must be finite and > 0, got {v}")));
            }
        }
        Ok(BgNbd { r, alpha, a, b })
    }

    /// Σ ln L over customers.
    pub fn log_likelihood(&self, x: &[f64], t_x: &[f64], t: &[f64]) -> Result<f64> {
        BgNbd::new(self.r, self.alpha, self.a, self.b)?;
        check_rfm(x, t_x, t)?;
        Ok(ll_and_grad(self, &Rows::new(x, t_x, t, 1), None))
    }

    /// P(alive | x, t_x, T): 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
    pub fn prob_alive(&self, x: f64, t_x: f64, t: f64) -> Result<f64> {
        check_one(x, t_x, t, None)?;
        if x == 0.0 {
            return Ok(1.0);
        }
        let l = (self.a / (self.b + x - 1.0)).ln() + (self.r + x) * ((self.alpha + t) / (self.alpha + t_x)).ln();
        Ok(1.0 / (1.0 + l.exp()))
    }

    /// E[Y(t) | x, t_x, T]: expected repeat purchases in the next `t` (FHL 2005 eq. 10).
    pub fn conditional_expected_purchases(&self, t_ahead: f64, x: f64, t_x: f64, t: f64) -> Result<f64> {
        check_one(x, t_x, t, None)?;
        check_horizon(t_ahead)?;
        self.near_a_one(|m| {
            let z = t_ahead / (m.alpha + t + t_ahead);
            let phi = (1.0 - z).powf(m.a - 1.0) * hyp2f1(m.a + m.b - 1.0 - m.r, m.a - 1.0, m.a + m.b + x - 1.0, z)?;
            let num = (m.a + m.b + x - 1.0) / (m.a - 1.0) * (1.0 - phi);
            let odds =
                if x > 0.0 { m.a / (m.b + x - 1.0) * ((m.alpha + t) / (m.alpha + t_x)).powf(m.r + x) } else { 0.0 };
            Ok(num / (1.0 + odds))
        })
    }

    /// E[Y(t) | alive, x, T]: the expected repeat purchases in the next `t` of a customer who
    /// is still active. It does not depend on t_x, and
    /// E[Y(t) | x, t_x, T] = this × P(alive | x, t_x, T), which lets a batch of customers share
    /// the hypergeometric part per distinct (x, T).
    pub fn expected_purchases_if_alive(&self, t_ahead: f64, x: f64, t: f64) -> Result<f64> {
        check_one(x, 0.0, t, None)?;
        check_horizon(t_ahead)?;
        self.near_a_one(|m| {
            let z = t_ahead / (m.alpha + t + t_ahead);
            let phi = (1.0 - z).powf(m.a - 1.0) * hyp2f1(m.a + m.b - 1.0 - m.r, m.a - 1.0, m.a + m.b + x - 1.0, z)?;
            Ok((m.a + m.b + x - 1.0) / (m.a - 1.0) * (1.0 - phi))
        })
    }

    /// E[X(t)]: expected repeat purchases of a new customer within `t` (FHL 2005 eq. 7).
    pub fn expected_purchases(&self, t_ahead: f64) -> Result<f64> {
        check_horizon(t_ahead)?;
        self.near_a_one(|m| {
            let z = t_ahead / (m.alpha + t_ahead);
            let phi = (1.0 - z).powf(m.a - 1.0) * hyp2f1(m.a + m.b - 1.0 - m.r, m.a - 1.0, m.a + m.b - 1.0, z)?;
            Ok((m.a + m.b - 1.0) / (m.a - 1.0) * (1.0 - phi))
        })
    }

    /// The expectations have a removable 0/0 at a = 1: there, average a = 1 ± 1e-5
    /// (the error of that is of order 1e-10 relative).
    fn near_a_one(&self, f: impl Fn(&BgNbd) -> Result<f64>) -> Result<f64> {
        BgNbd::new(self.r, self.alpha, self.a, self.b)?;
        if (self.a - 1.0).abs() >= 1e-7 {
            return f(self);
        }
        let lo = f(&BgNbd { a: 1.0 - 1e-5, ..*self })?;
        let hi = f(&BgNbd { a: 1.0 + 1e-5, ..*self })?;
        Ok(0.5 * (lo + hi))
    }
}

fn check_horizon(t: f64) -> Result<()> {
    if t.is_finite() && t >= 0.0 {
        Ok(())
    } else {
        Err(CrmError::invalid_option("t", format!("the horizon must be finite and >= 0, got {t}")))
    }
}

fn check_one(x: f64, t_x: f64, t: f64, i: Option<usize>) -> Result<()> {
    let bad = |field: &str, msg: String| {
        let at = i.map(|i| format!("customer {i}: ")).unwrap_or_default();
        Err(CrmError::invalid_option(field, format!("{at}{msg}")))
    };
    if !(x.is_finite() && x >= 0.0 && x == x.floor()) {
        return bad("frequency", format!("must be a whole number >= 0, got {x}"));
    }
    if !(t_x.is_finite() && t_x >= 0.0) {
        return bad("recency", format!("must be finite and >= 0, got {t_x}"));
    }
    if !t.is_finite() || t < t_x {
        return bad("T", format!("must be finite and >= recency ({t_x}), got {t}"));
    }
    if x == 0.0 && t_x != 0.0 {
        return bad("recency", format!("must be 0 when frequency is 0, got {t_x}"));
    }
    Ok(())
}

/// Checks (x, t_x, T) columns: same length, not empty, each row valid.
pub(crate) fn check_rfm(x: &[f64], t_x: &[f64], t: &[f64]) -> Result<()> {
    if x.len() != t_x.len() || x.len() != t.len() {
        return Err(CrmError::invalid_option(
            "frequency",
            format!("frequency, recency and T differ in length ({}, {}, {})", x.len(), t_x.len(), t.len()),
        ));
    }
    if x.is_empty() {
        return Err(CrmError::empty("no customers"));
    }
    (0..x.len()).try_for_each(|i| check_one(x[i], t_x[i], t[i], Some(i)))
}

/// The parts of a customer's ln L and its gradient that depend on x only.
#[derive(Clone, Copy)]
struct XTerms {
    /// ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
    common: f64,
    /// ∂common/∂r, ∂common/∂a, ∂common/∂b
    d_r: f64,
    d_a: f64,
    d_b: f64,
    /// ln(a / (b+x−1)) and 1 / (b+x−1) for x > 0 (0 for x = 0)
    log_odds: f64,
    inv_bx1: f64,
}

fn x_terms(m: &BgNbd, x: f64, base: f64, (dr0, db0, dab0): (f64, f64, f64)) -> XTerms {
    let BgNbd { r, alpha, a, b } = *m;
    let dabx = digamma(a + b + x);
    XTerms {
        common: base + ln_gamma(r + x) + ln_gamma(b + x) - ln_gamma(a + b + x),
        d_r: digamma(r + x) - dr0 + alpha.ln(),
        d_a: dab0 - dabx,
        d_b: digamma(b + x) - db0 + dab0 - dabx,
        log_odds: if x > 0.0 { a.ln() - (b + x - 1.0).ln() } else { 0.0 },
        inv_bx1: if x > 0.0 { 1.0 / (b + x - 1.0) } else { 0.0 },
    }
}

/// [`x_terms`] for x = 0..=`max_x`, by the recurrences Γ(z+1) = z Γ(z) and ψ(z+1) = ψ(z) + 1/z:
/// ln Γ(r+x) − ln Γ(r) = Σ_{k<x} ln(r+k) and so on, so one table costs two logarithms per
/// step instead of six special functions per entry (the fit evaluates it ~80 times).
fn x_table(m: &BgNbd, max_x: usize) -> Vec<XTerms> {
    let BgNbd { r, alpha, a, b } = *m;
    let (ln_a, ln_alpha) = (a.ln(), alpha.ln());
    let mut out = Vec::with_capacity(max_x + 1);
    // Running sums over k < x.
    let (mut lg, mut dr, mut dab, mut db) = (0.0, 0.0, 0.0, 0.0);
    for x in 0..=max_x {
        let (log_odds, inv_bx1) =
            if x > 0 { (ln_a - (b + (x - 1) as f64).ln(), 1.0 / (b + (x - 1) as f64)) } else { (0.0, 0.0) };
        out.push(XTerms { common: r * ln_alpha + lg, d_r: dr + ln_alpha, d_a: -dab, d_b: db - dab, log_odds, inv_bx1 });
        let k = x as f64;
        lg += ((r + k) * (b + k) / (a + b + k)).ln();
        dr += 1.0 / (r + k);
        dab += 1.0 / (a + b + k);
        db += 1.0 / (b + k);
    }
    out
}

/// Customers (x, t_x, T) reduced to their distinct rows, each with the number of customers it
/// stands for, and the distinct t_x / T values (so that ln(α + ·) is computed once per
/// distinct value per evaluation). One-time buyers differ only in T, so with day-level dates
/// they collapse to one row per acquisition day.
pub(crate) struct Rows {
    x: Vec<f64>,
    w: Vec<f64>,
    tx: Vec<u32>,
    t: Vec<u32>,
    values: Vec<f64>,
    max_x: f64,
    customers: usize,
}

impl Rows {
    /// Every `every`-th customer (a systematic sample; `every` = 1 is all of them).
    pub(crate) fn new(x: &[f64], t_x: &[f64], t: &[f64], every: usize) -> Rows {
        // Keys are f64 bit patterns; whole numbers end in zero bits, so they need a mixed hash.
        use crate::table::hash::MixMap;
        let mut rows = Rows {
            x: Vec::new(),
            w: Vec::new(),
            tx: Vec::new(),
            t: Vec::new(),
            values: Vec::new(),
            max_x: 0.0,
            customers: 0,
        };
        let n = x.len().div_ceil(every.max(1));
        let mut seen: MixMap<(u64, u64, u64), usize> = MixMap::with_capacity_and_hasher(n, Default::default());
        let mut value_index: MixMap<u64, u32> = MixMap::default();
        let mut index = |v: f64, values: &mut Vec<f64>| -> u32 {
            *value_index.entry(v.to_bits()).or_insert_with(|| {
                values.push(v);
                (values.len() - 1) as u32
            })
        };
        for i in (0..x.len()).step_by(every.max(1)) {
            rows.customers += 1;
            let key = (x[i].to_bits(), t_x[i].to_bits(), t[i].to_bits());
            if let Some(&k) = seen.get(&key) {
                rows.w[k] += 1.0;
                continue;
            }
            seen.insert(key, rows.x.len());
            rows.x.push(x[i]);
            rows.w.push(1.0);
            rows.tx.push(index(t_x[i], &mut rows.values));
            rows.t.push(index(t[i], &mut rows.values));
            rows.max_x = rows.max_x.max(x[i]);
        }
        rows
    }
}

/// Σ ln L and, if asked, its gradient with respect to (r, α, a, b). The x-only terms are
/// tabulated per distinct x when that is cheaper than computing them per row.
fn ll_and_grad(m: &BgNbd, rows: &Rows, grad: Option<&mut [f64; 4]>) -> f64 {
    let BgNbd { r, alpha, a, b } = *m;
    let base = -ln_gamma(r) + r * alpha.ln() - ln_gamma(b) + ln_gamma(a + b);
    let d0 = (digamma(r), digamma(b), digamma(a + b));
    let table: Vec<XTerms> =
        if rows.max_x < rows.x.len() as f64 / 4.0 { x_table(m, rows.max_x as usize) } else { Vec::new() };
    let fm = crate::fastmath::fast();
    let ln_at: Vec<f64> = rows.values.iter().map(|v| fm.ln(alpha + v)).collect();
    let inv_at: Vec<f64> =
        if grad.is_some() { rows.values.iter().map(|v| 1.0 / (alpha + v)).collect() } else { Vec::new() };
    let (mut ll, mut g) = (0.0, [0.0; 4]);
    let inv_a = 1.0 / a;
    for i in 0..rows.x.len() {
        let (x, w, ti, txi) = (rows.x[i], rows.w[i], rows.t[i] as usize, rows.tx[i] as usize);
        let own;
        let k = match table.get(x as usize) {
            Some(k) => k,
            None => {
                own = x_terms(m, x, base, d0);
                &own
            }
        };
        let (lt, ltx) = (ln_at[ti], ln_at[txi]);
        let u1 = -(r + x) * lt;
        // ln(e^u1 + e^u2) with one exp: the weights of the two terms are 1/(1+e), e/(1+e).
        let (lse, w1, w2) = if x > 0.0 {
            let u2 = k.log_odds - (r + x) * ltx;
            let e = fm.exp(-(u1 - u2).abs());
            let l1p = fm.ln(1.0 + e);
            let big = 1.0 / (1.0 + e);
            let small = e * big;
            if u1 >= u2 {
                (u1 + l1p, big, small)
            } else {
                (u2 + l1p, small, big)
            }
        } else {
            (u1, 1.0, 0.0)
        };
        ll += w * (k.common + lse);
        if grad.is_some() {
            g[0] += w * (k.d_r - w1 * lt - w2 * ltx);
            let inv = w1 * inv_at[ti] + if x > 0.0 { w2 * inv_at[txi] } else { 0.0 };
            g[1] += w * (r / alpha - (r + x) * inv);
            g[2] += w * (k.d_a + w2 * inv_a);
            g[3] += w * (k.d_b - w2 * k.inv_bx1);
        }
    }
    if let Some(out) = grad {
        *out = g;
    }
    ll
}

/// Above this many customers the starting points are screened on a systematic sample of
/// about [`SCREEN_SAMPLE`] customers (see [`minimize_screened`]).
pub(crate) const SCREEN_ABOVE: usize = 5000;
pub(crate) const SCREEN_SAMPLE: usize = 1500;

/// The fit's objective: mean negative log-likelihood over `rows` plus the L2 penalty, as a
/// function of the log-parameters.
fn objective(rows: &Rows, lambda: f64, scale: f64) -> impl FnMut(&[f64], &mut [f64]) -> f64 + '_ {
    let n = rows.customers as f64;
    move |th: &[f64], g: &mut [f64]| -> f64 {
        let m = BgNbd { r: th[0].exp(), alpha: th[1].exp(), a: th[2].exp(), b: th[3].exp() };
        let mut d = [0.0; 4];
        let ll = ll_and_grad(&m, rows, Some(&mut d));
        let q = [m.r, m.alpha * scale, m.a, m.b];
        let p = [m.r, m.alpha, m.a, m.b];
        for k in 0..4 {
            g[k] = -d[k] * p[k] / n + 2.0 * lambda * q[k] * q[k];
        }
        -ll / n + lambda * q.iter().map(|v| v * v).sum::<f64>()
    }
}

/// Maximum-likelihood BG/NBD parameters for customers (x, t_x, T). Errors only for invalid
/// input; a fit that does not converge still returns its best point, with `converged: false`.
pub fn fit(x: &[f64], t_x: &[f64], t: &[f64], opts: &FitOptions) -> Result<BgNbdFit> {
    check_rfm(x, t_x, t)?;
    if !(opts.penalizer.is_finite() && opts.penalizer >= 0.0) {
        return Err(CrmError::invalid_option("penalizer", format!("must be finite and >= 0, got {}", opts.penalizer)));
    }
    let max_t = t.iter().fold(0.0_f64, |m, &v| m.max(v));
    let scale = if max_t > 0.0 { 1.0 / max_t } else { 1.0 };
    let lambda = opts.penalizer;
    let rows = Rows::new(x, t_x, t, 1);
    let sample = (x.len() > SCREEN_ABOVE).then(|| Rows::new(x, t_x, t, x.len() / SCREEN_SAMPLE));
    // Starting points: the mean purchase rate sets α for a given r.
    let rate = (x.iter().sum::<f64>() / t.iter().sum::<f64>().max(f64::MIN_POSITIVE)).max(1e-6);
    let mut starts: Vec<Vec<f64>> = Vec::new();
    if let Some(p) = opts.initial {
        let p = BgNbd::new(p.r, p.alpha, p.a, p.b)?;
        starts.push(vec![p.r.ln(), p.alpha.ln(), p.a.ln(), p.b.ln()]);
    }
    for (r, a, b) in [(1.0, 1.0, 1.0), (0.3, 0.7, 2.5), (3.0, 2.0, 0.5)] {
        starts.push(vec![f64::ln(r), (r / rate).max(1e-6).ln(), f64::ln(a), f64::ln(b)]);
    }
    // All four run off on data without drop-out or heterogeneity (r, α → ∞, a → 0).
    let settings = Settings { max_iter: opts.max_iter, bounded: 0b1111, ..Settings::default() };
    let o = minimize_screened(
        objective(&rows, lambda, scale),
        sample.as_ref().map(|s| objective(s, lambda, scale)),
        &starts,
        settings,
    );
    let th = if o.x.len() == 4 { o.x.clone() } else { starts[0].clone() };
    let params = BgNbd { r: th[0].exp(), alpha: th[1].exp(), a: th[2].exp(), b: th[3].exp() };
    Ok(BgNbdFit {
        params,
        log_likelihood: ll_and_grad(&params, &rows, None),
        converged: o.converged,
        iterations: o.iterations,
        evaluations: o.evaluations,
        gradient_norm: o.grad_norm,
        diagnostic: o.message,
        customers: x.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: [f64; 6] = [0.0, 1.0, 2.0, 0.0, 5.0, 3.0];
    const TX: [f64; 6] = [0.0, 1.5, 30.4, 0.0, 35.0, 10.0];
    const T: [f64; 6] = [38.9, 38.9, 38.9, 32.0, 36.0, 20.0];

    #[test]
    fn gradient_matches_finite_differences() {
        let m = BgNbd { r: 0.4, alpha: 3.0, a: 0.8, b: 2.2 };
        let mut g = [0.0; 4];
        ll_and_grad(&m, &Rows::new(&X, &TX, &T, 1), Some(&mut g));
        let p = [m.r, m.alpha, m.a, m.b];
        for k in 0..4 {
            let h = 1e-6 * p[k];
            let (mut lo, mut hi) = (p, p);
            lo[k] -= h;
            hi[k] += h;
            let at = |q: [f64; 4]| {
                ll_and_grad(&BgNbd { r: q[0], alpha: q[1], a: q[2], b: q[3] }, &Rows::new(&X, &TX, &T, 1), None)
            };
            let num = (at(hi) - at(lo)) / (2.0 * h);
            assert!((g[k] - num).abs() <= 1e-6 * num.abs().max(1.0), "param {k}: analytic {} numeric {num}", g[k]);
        }
    }

    #[test]
    fn tabulated_terms_give_the_same_likelihood() {
        let m = BgNbd { r: 0.4, alpha: 3.0, a: 0.8, b: 2.2 };
        let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
        for copy in 0..20 {
            let shift = (copy % 10) as f64;
            x.extend(X);
            tx.extend(TX.map(|v| if v > 0.0 { v + shift } else { 0.0 }));
            t.extend(T.map(|v| v + shift));
        }
        // 120 customers: 60 distinct rows (x ≤ 5, so the per-x table is used), each twice
        // (so each distinct row has weight 2); one at a time neither applies.
        assert_eq!(Rows::new(&x, &tx, &t, 1).x.len(), 60);
        let (mut g_all, mut g_one, mut g_sum) = ([0.0; 4], [0.0; 4], [0.0; 4]);
        let all = ll_and_grad(&m, &Rows::new(&x, &tx, &t, 1), Some(&mut g_all));
        let mut one = 0.0;
        for i in 0..x.len() {
            one += ll_and_grad(&m, &Rows::new(&x[i..=i], &tx[i..=i], &t[i..=i], 1), Some(&mut g_one));
            (0..4).for_each(|k| g_sum[k] += g_one[k]);
        }
        assert!((all - one).abs() < 1e-10 * one.abs());
        (0..4).for_each(|k| assert!((g_all[k] - g_sum[k]).abs() < 1e-10 * (1.0 + g_sum[k].abs())));
    }

    #[test]
    fn recurrence_table_matches_the_special_functions() {
        for m in [BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, BgNbd { r: 7.5, alpha: 0.2, a: 30.0, b: 0.05 }]
        {
            let BgNbd { r, alpha, a, b } = m;
            let base = -ln_gamma(r) + r * alpha.ln() - ln_gamma(b) + ln_gamma(a + b);
            let d0 = (digamma(r), digamma(b), digamma(a + b));
            let table = x_table(&m, 400);
            for (x, t) in table.iter().enumerate() {
                let e = x_terms(&m, x as f64, base, d0);
                for (got, want) in
                    [(t.common, e.common), (t.d_r, e.d_r), (t.d_a, e.d_a), (t.d_b, e.d_b), (t.log_odds, e.log_odds)]
                {
                    assert!((got - want).abs() <= 1e-11 * want.abs().max(1.0), "x {x}: {got} vs {want}");
                }
            }
        }
    }

    #[test]
    fn predictions_are_consistent() {
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        assert_eq!(m.prob_alive(0.0, 0.0, 30.0).unwrap(), 1.0);
        assert!(m.prob_alive(3.0, 10.0, 38.0).unwrap() < m.prob_alive(3.0, 37.0, 38.0).unwrap());
        assert_eq!(m.conditional_expected_purchases(0.0, 2.0, 30.0, 38.0).unwrap(), 0.0);
        // A customer with no history behaves like a new one observed for T = 0.
        let new = m.expected_purchases(52.0).unwrap();
        let cond = m.conditional_expected_purchases(52.0, 0.0, 0.0, 0.0).unwrap();
        assert!((new - cond).abs() < 1e-12 * new, "{new} vs {cond}");
        // The a = 1 singularity is handled.
        let m1 = BgNbd { a: 1.0, ..m };
        let near = BgNbd { a: 1.0 + 1e-3, ..m }.expected_purchases(52.0).unwrap();
        assert!((m1.expected_purchases(52.0).unwrap() - near).abs() < 1e-2 * near);
    }

    #[test]
    fn bad_input_is_an_error() {
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        assert_eq!(m.prob_alive(1.0, 5.0, 4.0).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(m.prob_alive(f64::NAN, 0.0, 4.0).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(m.prob_alive(1.5, 1.0, 4.0).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(m.prob_alive(0.0, 1.0, 4.0).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(m.expected_purchases(-1.0).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(BgNbd::new(0.0, 1.0, 1.0, 1.0).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(fit(&[], &[], &[], &FitOptions::default()).unwrap_err().code(), "EMPTY_INPUT");
        assert_eq!(fit(&[1.0], &[1.0, 2.0], &[3.0], &FitOptions::default()).unwrap_err().code(), "INVALID_OPTION");
        assert_eq!(fit(&[1.0], &[1.0], &[-3.0], &FitOptions::default()).unwrap_err().code(), "INVALID_OPTION");
    }

    #[test]
    fn degenerate_data_returns_best_estimate_and_diagnostic() {
        // Nobody ever came back: the likelihood has no interior maximum.
        let fit = fit(&[0.0; 5], &[0.0; 5], &[10.0; 5], &FitOptions { max_iter: 50, ..FitOptions::default() }).unwrap();
        assert!(fit.log_likelihood.is_finite() && fit.log_likelihood <= 0.0);
        assert!(!fit.diagnostic.is_empty());
    }
}
