//! BG/NBD on data it cannot fit: customers who buy on uniformly random days and never drop out
//! (the bench generator's `SCALE_SHAPE=uniform`, bench/python/scale.py). The likelihood has no
//! interior maximum: it keeps rising as r, α → ∞ (a common purchase rate) and a → 0 (no
//! drop-out). The fit must notice the run-off early, stop within a bounded number of
//! evaluations and say so in `model.warnings`, instead of ~1,000 evaluations plus a
//! Nelder–Mead fallback (228 s of the client's time at 10^6 rows before).

use crmlens::rng::Rng;
use crmlens::table::date::days_from_civil;
use crmlens::value::{customer_value_from_builder, CustomerValueOptions, SummaryBuilder};

/// `rows` purchases of rows/8 customers on uniformly random days of 2024 (seeded), amounts in
/// cents between 1.00 and 200.00, as bench/python/scale.py's uniform shape draws them.
fn uniform_builder(rows: usize, seed: u64) -> SummaryBuilder {
    let mut rng = Rng::new(seed);
    let customers = (rows / 8).max(1);
    let start = days_from_civil(2024, 1, 1);
    let mut b = SummaryBuilder::new();
    for _ in 0..rows {
        let c = format!("C{:08}", rng.below(customers));
        let day = start + rng.below(365) as i32;
        let amount = (100 + rng.below(19_900)) as f64 / 100.0;
        b.push(Some(&c), Some(day), Some(amount));
    }
    b
}

fn opts() -> CustomerValueOptions {
    CustomerValueOptions {
        customer: "customer_id".into(),
        date: "date".into(),
        amount: Some("amount".into()),
        calibration_end: Some("2024-09-30".into()),
        ..Default::default()
    }
}

/// Evaluations the degenerate fit may use (the converging CDNOW fit takes ~60–120).
const MAX_EVALUATIONS: usize = 400;

#[test]
fn uniform_purchases_stop_early_with_a_warning() {
    // 16,000 and 48,000 rows (2,000 and 6,000 customers): below and above the size (5,000 customers) where the starts are
    // screened on a sample first.
    for rows in [16_000, 48_000] {
        let v = customer_value_from_builder(&uniform_builder(rows, 7), &opts()).unwrap();
        let bg = &v.model.bg_nbd;
        let codes: Vec<&str> = v.model.warnings.iter().map(|w| w.code.as_str()).collect();
        eprintln!("{rows} rows: {bg:?} {:?} {codes:?}", v.model.gamma_gamma);
        assert!(codes.contains(&"FIT_AT_BOUND"), "{rows} rows: {codes:?} {bg:?}");
        assert!(!v.model.predictions_available, "{rows} rows");
        assert!(bg.evaluations <= MAX_EVALUATIONS, "{rows} rows: {} evaluations ({bg:?})", bg.evaluations);
        assert!(!bg.converged && bg.diagnostic.contains("bound"), "{rows} rows: {}", bg.diagnostic);
        assert!(bg.log_likelihood.is_finite());
        // The spend model runs off too: every row's amount is drawn alike, so customers' mean
        // spends do not differ (q → ∞). Before: 20,120 evaluations at 16,000 rows.
        let gg = v.model.gamma_gamma.as_ref().expect("repeat customers with spend");
        assert!(gg.evaluations <= MAX_EVALUATIONS, "{rows} rows: {} evaluations ({gg:?})", gg.evaluations);
        assert!(!gg.converged && gg.diagnostic.contains("bound"), "{rows} rows: {}", gg.diagnostic);
        assert!(!v.model.spend_available);
    }
}
