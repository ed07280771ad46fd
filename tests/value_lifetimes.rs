//! crmlens' BG/NBD and Gamma-Gamma formulas against the Python `lifetimes` package 0.11.3 on
//! the first 50 CDNOW customers. The fixtures are written by
//! scripts/reference/cdnow_lifetimes_reference.py (see its docstring for the command).

use crmlens::value::gamma_gamma::{self, customer_lifetime_value, ClvOptions, GammaGamma};
use crmlens::value::{bgnbd, BgNbd, TimeUnit};

struct Row {
    id: f64,
    x: f64,
    tx: f64,
    t: f64,
    zbar: f64,
    /// p_alive, expected_39, expected_52, expected_spend, clv_12m
    want: [f64; 5],
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/value/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn reference() -> Vec<Row> {
    let text = fixture("cdnow_lifetimes_reference.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "ID,frequency,recency,T,zbar,p_alive,expected_39,expected_52,expected_spend,clv_12m"
    );
    let rows: Vec<Row> = lines
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|c| c.parse().unwrap()).collect();
            Row { id: v[0], x: v[1], tx: v[2], t: v[3], zbar: v[4], want: [v[5], v[6], v[7], v[8], v[9]] }
        })
        .collect();
    assert_eq!(rows.len(), 50);
    rows
}

fn param(name: &str) -> f64 {
    let text = fixture("cdnow_lifetimes_params.csv");
    let line = text.lines().find(|l| l.starts_with(&format!("{name},"))).unwrap();
    line[name.len() + 1..].parse().unwrap()
}

/// Largest relative difference between crmlens and lifetimes over the 50 customers, per
/// quantity.
fn max_rel_errors(bg: &BgNbd, gg: &GammaGamma) -> [f64; 5] {
    let clv = ClvOptions::new(12, 0.01, TimeUnit::Weeks);
    let mut worst = [0.0_f64; 5];
    for r in reference() {
        let got = [
            bg.prob_alive(r.x, r.tx, r.t).unwrap(),
            bg.conditional_expected_purchases(39.0, r.x, r.tx, r.t).unwrap(),
            bg.conditional_expected_purchases(52.0, r.x, r.tx, r.t).unwrap(),
            gg.conditional_expected_average_spend(r.x, r.zbar).unwrap(),
            customer_lifetime_value(bg, gg, (r.x, r.tx, r.t), r.zbar, &clv).unwrap(),
        ];
        for k in 0..5 {
            let err = (got[k] - r.want[k]).abs() / r.want[k].abs();
            assert!(err.is_finite(), "customer {}: quantity {k}: {} vs {}", r.id, got[k], r.want[k]);
            worst[k] = worst[k].max(err);
        }
    }
    worst
}

#[test]
fn formulas_match_lifetimes_at_its_parameters() {
    let bg = BgNbd::new(param("r"), param("alpha"), param("a"), param("b")).unwrap();
    let gg = GammaGamma::new(param("p"), param("q"), param("v")).unwrap();
    for t in [39, 52, 78] {
        let (got, want) = (bg.expected_purchases(t as f64).unwrap(), param(&format!("expected_new_{t}")));
        assert!((got - want).abs() < 1e-10 * want, "E[X({t})]: {got} vs lifetimes {want}");
    }
    let worst = max_rel_errors(&bg, &gg);
    // Same parameters, same formulas: agreement to rounding error (measured: at most 5e-14).
    assert!(worst.iter().all(|&e| e < 1e-10), "max relative errors {worst:?}");
}

#[test]
fn own_fits_match_lifetimes() {
    let rows = reference();
    let summary = |k: usize| -> Vec<f64> {
        let path = format!(
            "{}/../shared/data/cdnow_lifetimes/cdnow_customers_summary_with_transactions.csv",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.lines().skip(1).map(|l| l.split(',').nth(k).unwrap().parse().unwrap()).collect()
    };
    let (x, tx, t, zbar) = (summary(1), summary(2), summary(3), summary(4));
    assert_eq!(rows[0].x, x[0]);
    let bg = bgnbd::fit(&x, &tx, &t, &Default::default()).unwrap().params;
    let gg = gamma_gamma::fit(&x, &zbar, &Default::default()).unwrap().params;
    for (got, name) in
        [(bg.r, "r"), (bg.alpha, "alpha"), (bg.a, "a"), (bg.b, "b"), (gg.p, "p"), (gg.q, "q"), (gg.v, "v")]
    {
        assert!((got - param(name)).abs() <= 1e-4 * param(name), "{name}: {got} vs lifetimes {}", param(name));
    }
    let ll = bg.log_likelihood(&x, &tx, &t).unwrap();
    // Both optimisers stop within 1e-9 of the same maximum.
    assert!((ll - param("bgnbd_log_likelihood")).abs() < 1e-6, "{ll}");
    let worst = max_rel_errors(&bg, &gg);
    // Measured: at most 1.2e-7 (the two optimisers' stopping points differ by ~1e-6).
    assert!(worst.iter().all(|&e| e < 1e-4), "max relative errors {worst:?}");
}

/// lifetimes penalises λ Σ θ² on top of the mean negative log-likelihood, with α in time
/// rescaled so that the largest T is 1; crmlens' `penalizer` means the same.
#[test]
fn penalized_fits_match_lifetimes() {
    let text = std::fs::read_to_string(format!(
        "{}/../shared/data/cdnow_lifetimes/cdnow_customers_summary_with_transactions.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let column = |k: usize| -> Vec<f64> {
        text.lines().skip(1).map(|l| l.split(',').nth(k).unwrap().parse().unwrap()).collect()
    };
    let (x, tx, t, zbar) = (column(1), column(2), column(3), column(4));
    let penalizer = param("penalizer");
    let bg = bgnbd::fit(&x, &tx, &t, &bgnbd::FitOptions { penalizer, ..Default::default() }).unwrap();
    let gg = gamma_gamma::fit(&x, &zbar, &gamma_gamma::FitOptions { penalizer, ..Default::default() }).unwrap();
    assert!(bg.converged && gg.converged, "{bg:?} {gg:?}");
    let (b, g) = (bg.params, gg.params);
    for (got, name) in [(b.r, "r"), (b.alpha, "alpha"), (b.a, "a"), (b.b, "b"), (g.p, "p"), (g.q, "q"), (g.v, "v")] {
        let want = param(&format!("{name}_penalized"));
        assert!((got - want).abs() <= 1e-4 * want, "{name}: {got} vs lifetimes {want}");
    }
}
