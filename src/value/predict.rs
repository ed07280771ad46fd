//! Per-customer predictions for many customers at once: P(alive), expected purchases over
//! the horizon, expected spend and discounted CLV.
//!
//! The hypergeometric series of the BG/NBD expectations depend on (x, T) only — the
//! customer's t_x enters through P(alive) alone, E[Y(t) | x, t_x, T] = E[Y(t) | alive, x, T] ·
//! P(alive | x, t_x, T) — so they are computed once per distinct (x, T) and shared. With
//! day-level dates a few thousand distinct pairs serve tens of thousands of customers.

use crate::table::hash::MixMap;

use super::bgnbd::BgNbd;
use super::gamma_gamma::{ClvOptions, GammaGamma};
use crate::error::{CrmError, Result};

/// Columns of predictions, one entry per customer (`NaN` where a value is undefined, e.g.
/// spend and CLV without a spend model).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Predictions {
    pub p_alive: Vec<f64>,
    pub expected_purchases: Vec<f64>,
    pub expected_spend: Vec<f64>,
    pub clv: Vec<f64>,
}

/// For one (x, T): E[Y(horizon) | alive] and Σᵢ (E[Y(i·m) | alive] − E[Y((i−1)·m) | alive]) / (1+d)^i.
fn if_alive(bg: &BgNbd, x: f64, t: f64, horizon: f64, clv: &ClvOptions) -> Result<(f64, f64)> {
    let at_horizon = bg.expected_purchases_if_alive(horizon, x, t)?;
    let (mut discounted, mut before) = (0.0, 0.0);
    for i in 1..=clv.months {
        let now = bg.expected_purchases_if_alive(i as f64 * clv.periods_per_month, x, t)?;
        discounted += (now - before) / (1.0 + clv.monthly_discount_rate).powi(i as i32);
        before = now;
    }
    Ok((at_horizon, discounted))
}

/// Predictions for customers (x, t_x, T, z̄) over `horizon` model time units; CLV as
/// [`super::gamma_gamma::customer_lifetime_value`] (the same sums, regrouped).
pub fn predict(
    bg: &BgNbd,
    gg: Option<&GammaGamma>,
    (x, t_x, t, monetary): (&[f64], &[f64], &[f64], &[f64]),
    horizon: f64,
    clv: &ClvOptions,
) -> Result<Predictions> {
    let n = x.len();
    if t_x.len() != n || t.len() != n || monetary.len() != n {
        return Err(CrmError::invalid_option("frequency", "the summary columns differ in length"));
    }
    let d = clv.monthly_discount_rate;
    if !(d.is_finite() && d > -1.0) {
        return Err(CrmError::invalid_option("discountRate", format!("must be finite and > -1, got {d}")));
    }
    // Keys are f64 bit patterns (whole numbers end in zero bits): a mixed hash.
    let mut cache: MixMap<(u64, u64), Option<(f64, f64)>> = MixMap::default();
    let mut out = Predictions {
        p_alive: Vec::with_capacity(n),
        expected_purchases: Vec::with_capacity(n),
        expected_spend: Vec::with_capacity(n),
        clv: Vec::with_capacity(n),
    };
    for i in 0..n {
        let p_alive = bg.prob_alive(x[i], t_x[i], t[i]).unwrap_or(f64::NAN);
        let shared = *cache
            .entry((x[i].to_bits(), t[i].to_bits()))
            .or_insert_with(|| if_alive(bg, x[i], t[i], horizon, clv).ok());
        let (ahead, discounted) = shared.unwrap_or((f64::NAN, f64::NAN));
        let spend =
            gg.map(|g| g.conditional_expected_average_spend(x[i], monetary[i]).unwrap_or(f64::NAN)).unwrap_or(f64::NAN);
        out.p_alive.push(p_alive);
        out.expected_purchases.push(ahead * p_alive);
        out.expected_spend.push(spend);
        out.clv.push(spend * discounted * p_alive);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::gamma_gamma::customer_lifetime_value;
    use crate::value::summary::TimeUnit;

    #[test]
    fn shared_terms_give_the_per_customer_values() {
        let bg = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let gg = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
        let x = [0.0, 2.0, 2.0, 5.0, 0.0, 1.0];
        let tx = [0.0, 30.43, 12.0, 35.0, 0.0, 0.5];
        let t = [38.86, 38.86, 38.86, 36.0, 38.86, 20.0];
        let m = [0.0, 22.35, 40.0, 11.0, 0.0, 8.0];
        let o = ClvOptions::new(12, 0.01, TimeUnit::Weeks);
        let ahead = 52.0;
        let p = predict(&bg, Some(&gg), (&x, &tx, &t, &m), ahead, &o).unwrap();
        for i in 0..x.len() {
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
            assert!(close(p.p_alive[i], bg.prob_alive(x[i], tx[i], t[i]).unwrap()));
            let e = bg.conditional_expected_purchases(ahead, x[i], tx[i], t[i]).unwrap();
            assert!(close(p.expected_purchases[i], e), "{i}: {} vs {e}", p.expected_purchases[i]);
            let c = customer_lifetime_value(&bg, &gg, (x[i], tx[i], t[i]), m[i], &o).unwrap();
            assert!(close(p.clv[i], c), "{i}: {} vs {c}", p.clv[i]);
            assert!(close(p.expected_spend[i], gg.conditional_expected_average_spend(x[i], m[i]).unwrap()));
        }
        // Without a spend model, spend and CLV are undefined, the rest is not.
        let p = predict(&bg, None, (&x, &tx, &t, &m), ahead, &o).unwrap();
        assert!(p.clv.iter().all(|v| v.is_nan()) && p.p_alive.iter().all(|v| v.is_finite()));
    }
}
