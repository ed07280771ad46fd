//! Customer-value models on the CDNOW sample (../shared/data/cdnow_lifetimes, see its
//! MANIFEST.md) against the published results: Fader, Hardie & Lee (2005) for the BG/NBD and
//! Fader & Hardie (2013) for the Gamma-Gamma model, and the summaries shipped with `lifetimes`.

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::table::date::days_from_civil;
use crmlens::value::{bgnbd, gamma_gamma, summarize_dataset, CustomerSummary, SummaryOptions, TimeUnit};
use crmlens::value::{SkipReason, TransactionColumns};
use crmlens::Dataset;

fn load(rel: &str, opts: &str) -> Dataset {
    let path = format!("{}/../shared/data/cdnow_lifetimes/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    read_csv_bytes(&bytes, LoadOptions::from_json(opts).unwrap()).unwrap()
}

fn col(ds: &Dataset, name: &str) -> Vec<f64> {
    ds.column(name).unwrap().to_f64().unwrap()
}

/// The 39-week calibration summary of the 2,357-customer sample, from the transaction log.
fn sample_summary() -> CustomerSummary {
    let ds = load("CDNOW_sample.txt", r#"{"delimiter":"whitespace","header":false}"#);
    assert_eq!(ds.num_rows(), 6919);
    // master_id sample_id date cds dollars
    let cols =
        TransactionColumns { customer: "column_2", date: "column_3", amount: Some("column_5"), ..Default::default() };
    let opts = SummaryOptions {
        calibration_end: Some(days_from_civil(1997, 9, 30)),
        time_unit: TimeUnit::Weeks,
        ..SummaryOptions::default()
    };
    summarize_dataset(&ds, &cols, &opts).unwrap()
}

#[test]
fn summary_from_transactions_equals_the_published_summary() {
    let s = sample_summary();
    // Every row accounted for: 4,960 in the calibration window, the rest after it.
    assert_eq!((s.report.rows, s.report.used, s.report.after_calibration), (6919, 4960, 1959));
    assert_eq!(s.report.skipped(), 1959);
    assert!(s.report.examples.iter().all(|e| e.reason == SkipReason::AfterCalibration));
    assert_eq!(s.len(), 2357);

    let want = load("cdnow_customers_summary_with_transactions.csv", "{}");
    let (id, x, tx, t, zbar) =
        (col(&want, "ID"), col(&want, "x"), col(&want, "t_x"), col(&want, "T"), col(&want, "zbar"));
    let pos: std::collections::HashMap<i64, usize> =
        s.customer.iter().enumerate().map(|(i, c)| (c.parse::<i64>().unwrap(), i)).collect();
    assert_eq!(pos.len(), 2357);
    let round2 = |v: f64| (v * 100.0).round() / 100.0;
    for k in 0..id.len() {
        let i = pos[&(id[k] as i64)];
        assert_eq!(s.frequency[i], x[k], "customer {}", id[k]);
        // The CSV holds weeks rounded to 2 decimals: whole days agree exactly, and our
        // weeks (days / 7) round to the CSV's value.
        assert_eq!((s.recency[i] * 7.0).round(), (tx[k] * 7.0).round(), "customer {}", id[k]);
        assert_eq!((s.t[i] * 7.0).round(), (t[k] * 7.0).round(), "customer {}", id[k]);
        assert!((round2(s.recency[i]) - tx[k]).abs() < 1e-9, "customer {}: {} vs {}", id[k], s.recency[i], tx[k]);
        assert!((round2(s.t[i]) - t[k]).abs() < 1e-9, "customer {}: {} vs {}", id[k], s.t[i], t[k]);
        assert!(
            (s.monetary[i] - zbar[k]).abs() <= 0.005 + 1e-9,
            "customer {}: {} vs {}",
            id[k],
            s.monetary[i],
            zbar[k]
        );
    }
    // The frequency/recency/T file is the same summary.
    let other = load("cdnow_customers_summary.csv", "{}");
    assert_eq!(col(&other, "frequency"), x);
    assert_eq!(col(&other, "recency"), tx);
    assert_eq!(col(&other, "T"), t);
}

/// Fader, Hardie & Lee (2005), table / section 5: r = 0.243, α = 4.414, a = 0.793, b = 2.426,
/// LL = −9582.4.
#[test]
fn bgnbd_fit_reproduces_fader_hardie_lee_2005() {
    let s = load("cdnow_customers_summary.csv", "{}");
    let fit = bgnbd::fit(&col(&s, "frequency"), &col(&s, "recency"), &col(&s, "T"), &Default::default()).unwrap();
    assert!(fit.converged, "{fit:?}");
    let p = fit.params;
    let got = [p.r, p.alpha, p.a, p.b];
    // Published values are rounded to 3 decimals: within half a unit of the last digit.
    for (g, w) in got.iter().zip([0.243, 4.414, 0.793, 2.426]) {
        assert!((g - w).abs() <= 0.0005 + 1e-12, "{got:?}");
    }
    assert!((fit.log_likelihood - -9582.4).abs() <= 0.05, "{}", fit.log_likelihood);
    // The full-precision optimum found by this code (lifetimes 0.11.3 gives 0.242593,
    // 4.413532, 0.792886, 2.425752).
    let full = [0.242_592_907, 4.413_531_562, 0.792_886_148, 2.425_753_435];
    for (g, w) in got.iter().zip(full) {
        assert!((g - w).abs() <= 1e-6 * w, "{got:?}");
    }
    assert!((fit.log_likelihood - -9_582.425_560_567).abs() < 1e-6, "{}", fit.log_likelihood);
}

/// Fader & Hardie (2013): p = 6.25, q = 3.74, γ = 15.44 on the 946 repeat customers;
/// LL −4055.9177 in CLVTools' test on the unrounded spends.
#[test]
fn gamma_gamma_fit_reproduces_fader_hardie_2013() {
    let s = load("cdnow_customers_summary_with_transactions.csv", "{}");
    let fit = gamma_gamma::fit(&col(&s, "x"), &col(&s, "zbar"), &Default::default()).unwrap();
    assert!(fit.converged, "{fit:?}");
    assert_eq!((fit.customers, fit.skipped_no_repeat, fit.skipped_non_positive_spend), (946, 1411, 0));
    let p = fit.params;
    // zbar in this file is rounded to cents, which moves γ by ~0.008: allow 0.01 on each.
    for (g, w) in [p.p, p.q, p.v].iter().zip([6.25, 3.74, 15.44]) {
        assert!((g - w).abs() <= 0.01, "{p:?}");
    }
    assert!((fit.log_likelihood - -4055.92).abs() <= 0.01, "{}", fit.log_likelihood);
    // This code's full-precision optimum on the rounded spends.
    for (g, w) in [p.p, p.q, p.v].iter().zip([6.248_802_49, 3.744_588_45, 15.447_748_01]) {
        assert!((g - w).abs() <= 1e-6 * w, "{p:?}");
    }
    assert!((fit.log_likelihood - -4_055.923_243_503).abs() < 1e-6, "{}", fit.log_likelihood);
}

/// The same fits on the summary this crate derives from the transaction log (unrounded
/// recency, T and spend).
#[test]
fn fits_on_the_derived_summary_agree_with_the_published_values() {
    let s = sample_summary();
    let bg = bgnbd::fit(&s.frequency, &s.recency, &s.t, &Default::default()).unwrap();
    assert!(bg.converged, "{bg:?}");
    let p = bg.params;
    for (g, w) in [p.r, p.alpha, p.a, p.b].iter().zip([0.243, 4.414, 0.793, 2.426]) {
        assert!((g - w).abs() <= 0.001, "{p:?}");
    }
    assert!((bg.log_likelihood - -9582.4).abs() <= 0.5, "{}", bg.log_likelihood);
    let gg = gamma_gamma::fit(&s.frequency, &s.monetary, &Default::default()).unwrap();
    assert!(gg.converged, "{gg:?}");
    let g = gg.params;
    for (v, w) in [g.p, g.q, g.v].iter().zip([6.25, 3.74, 15.44]) {
        assert!((v - w).abs() <= 0.005 + 1e-9, "{g:?}");
    }
    assert!((gg.log_likelihood - -4055.9177).abs() <= 0.001, "{}", gg.log_likelihood);
}
