//! What the data supports: `customerValue` checks its own fits and inputs and says so in
//! `model.warnings` (stable codes, plain-language messages). Where BG/NBD cannot be trusted —
//! no or too few repeat customers, a purchase history of days rather than months, parameters
//! run off to degenerate values, a fit that did not converge — its predictions (P(alive),
//! expected purchases, spend, CLV) are marked unavailable (null) instead of shown as numbers;
//! where only Gamma-Gamma cannot, spend and CLV are.

use super::bgnbd::BgNbdFit;
use super::gamma_gamma::GammaGammaFit;
use super::summary::CustomerSummary;
use crate::warning::Warning;

/// Repeat customers below which BG/NBD's predictions are withheld.
pub const MIN_REPEAT_CUSTOMERS: usize = 10;
/// Repeat customers below which a warning says the fit rests on few of them.
pub const FEW_REPEAT_CUSTOMERS: usize = 30;
/// Days of history below which predictions are withheld.
pub const MIN_SPAN_DAYS: i32 = 28;
/// Days of history below which a warning says the span is short.
pub const SHORT_SPAN_DAYS: i32 = 90;
/// Customers below which the RFM quintiles are said to rest on few customers.
pub const FEW_CUSTOMERS: usize = 100;
/// A shape parameter outside [1/PARAM_LIMIT, PARAM_LIMIT] is degenerate (the optimiser ran to
/// a boundary of the likelihood: e.g. α = 10⁹ or r = 7 × 10⁹).
pub const PARAM_LIMIT: f64 = 1e4;
/// BG/NBD's α is a time scale (weeks or days): it may be larger.
pub const ALPHA_LIMIT: f64 = 1e5;

/// The verdict on one `customerValue` result.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub warnings: Vec<Warning>,
    /// BG/NBD's predictions can be shown.
    pub purchases_ok: bool,
    /// Gamma-Gamma's spend (and so CLV) can be shown.
    pub spend_ok: bool,
}

fn distinct(v: &[f64]) -> usize {
    let mut s: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
    s.sort_unstable();
    s.dedup();
    s.len()
}

fn off(x: f64, limit: f64) -> bool {
    !(x.is_finite() && x <= limit && x >= 1.0 / limit)
}

/// Checks a result: the summary it was fitted on and both fits.
pub fn check(s: &CustomerSummary, bg: &BgNbdFit, gg: Option<&GammaGammaFit>, gg_diag: Option<&str>) -> Verdict {
    let mut w = Vec::new();
    let n = s.len();
    let repeaters = s.frequency.iter().filter(|&&x| x > 0.0).count();
    let first = s.first_purchase.iter().copied().min().unwrap_or(s.calibration_end);
    let span = s.calibration_end - first;
    let mut purchases_ok = true;

    if repeaters == 0 {
        purchases_ok = false;
        w.push(Warning::new(
            "NO_REPEAT_CUSTOMERS",
            format!(
                "none of the {n} customers bought again on a later day: BG/NBD learns how often customers return \
                 from repeat purchases, so there is nothing to fit. P(alive), expected purchases and lifetime value \
                 are not shown"
            ),
        ));
    } else if repeaters < MIN_REPEAT_CUSTOMERS {
        purchases_ok = false;
        w.push(Warning::new(
            "FEW_REPEAT_CUSTOMERS",
            format!(
                "only {repeaters} of {n} customers bought again on a later day (at least {MIN_REPEAT_CUSTOMERS} are \
                 needed to estimate how often customers return): predictions are not shown"
            ),
        ));
    } else if repeaters < FEW_REPEAT_CUSTOMERS {
        w.push(Warning::new(
            "FEW_REPEAT_CUSTOMERS",
            format!("only {repeaters} of {n} customers bought again: the predictions rest on few customers and are uncertain"),
        ));
    }
    if span < MIN_SPAN_DAYS {
        purchases_ok = false;
        w.push(Warning::new(
            "SHORT_SPAN",
            format!(
                "the purchases span {span} day{} up to the end of the calibration period: a customer-lifetime model \
                 needs months of history to tell a lapsed customer from a quiet one. Predictions are not shown; load a \
                 longer period",
                if span == 1 { "" } else { "s" }
            ),
        ));
    } else if span < SHORT_SPAN_DAYS {
        w.push(Warning::new(
            "SHORT_SPAN",
            format!("the purchases span {span} days: predictions beyond a few months ahead are extrapolation"),
        ));
    }
    let p = &bg.params;
    let at_bound = off(p.r, PARAM_LIMIT) || off(p.alpha, ALPHA_LIMIT) || off(p.a, PARAM_LIMIT) || off(p.b, PARAM_LIMIT);
    if at_bound {
        purchases_ok = false;
        w.push(Warning::new(
            "FIT_AT_BOUND",
            format!(
                "the BG/NBD fit ran to degenerate parameters (r = {:.3e}, α = {:.3e}, a = {:.3e}, b = {:.3e}): the data \
                 do not identify the model, so its predictions are not shown",
                p.r, p.alpha, p.a, p.b
            ),
        ));
    }
    if !bg.converged && repeaters > 0 {
        purchases_ok = false;
        w.push(Warning::new(
            "NOT_CONVERGED",
            format!("the BG/NBD fit did not converge ({}): its predictions are not shown", bg.diagnostic),
        ));
    }

    let mut spend_ok = purchases_ok;
    match gg {
        None => {
            spend_ok = false;
            w.push(Warning::new(
                "NO_SPEND_MODEL",
                format!(
                    "no spend model: {}. Expected spend and lifetime value are not shown",
                    gg_diag.unwrap_or("no repeat customer with a positive amount")
                ),
            ));
        }
        Some(g) => {
            let q = &g.params;
            if off(q.p, PARAM_LIMIT) || off(q.q, PARAM_LIMIT) || !(q.v.is_finite() && q.v > 0.0) {
                spend_ok = false;
                w.push(Warning::new(
                    "FIT_AT_BOUND",
                    format!(
                        "the Gamma-Gamma spend fit ran to degenerate parameters (p = {:.3e}, q = {:.3e}, v = {:.3e}): \
                         expected spend and lifetime value are not shown",
                        q.p, q.q, q.v
                    ),
                ));
            } else if !g.converged {
                spend_ok = false;
                w.push(Warning::new(
                    "NOT_CONVERGED",
                    format!(
                        "the Gamma-Gamma spend fit did not converge ({}): expected spend and lifetime value are not shown",
                        g.diagnostic
                    ),
                ));
            } else if g.customers < MIN_REPEAT_CUSTOMERS {
                spend_ok = false;
                w.push(Warning::new(
                    "FEW_REPEAT_CUSTOMERS",
                    format!(
                        "the spend model rests on {} repeat customers (at least {MIN_REPEAT_CUSTOMERS} are needed): \
                         expected spend and lifetime value are not shown",
                        g.customers
                    ),
                ));
            }
        }
    }

    // RFM: quintiles need customers, and a score over one repeated value says nothing.
    if n < FEW_CUSTOMERS {
        w.push(Warning::new(
            "FEW_CUSTOMERS",
            format!(
                "{n} customers: each R, F and M quintile holds about {} of them, so the scores and segments describe \
                 this small group only",
                n.div_ceil(5)
            ),
        ));
    }
    let flat: Vec<&str> = [("recency", &s.recency), ("frequency", &s.frequency), ("monetary value", &s.monetary)]
        .into_iter()
        .filter(|(_, v)| n > 1 && distinct(v) == 1)
        .map(|(name, _)| name)
        .collect();
    if !flat.is_empty() {
        w.push(Warning::new(
            "RFM_NO_SPREAD",
            format!(
                "every customer has the same {}: the matching RFM score is the same for all and the segments \
                 built on it (e.g. every customer \"Lost\") carry no information",
                flat.join(" and the same ")
            ),
        ));
    }
    Verdict { warnings: w, purchases_ok, spend_ok }
}
