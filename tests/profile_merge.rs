//! Mergeability: a real file profiled whole and as 4 parts merged gives the same report —
//! exactly for counts, moments, exact frequencies, histograms and text facets; within the
//! sketch error for quantiles and distinct counts once the sketches take over.

use crmlens::io::read_bytes;
use crmlens::profile::{profile_parts, ProfileOptions, ProfileReport};
use crmlens::Dataset;

fn load(rel: &str) -> Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    read_bytes(&std::fs::read(&path).unwrap(), Default::default()).unwrap()
}

fn parts(n: usize, k: usize) -> Vec<std::ops::Range<usize>> {
    // Uneven parts, listed out of order.
    let cuts = [0, n / 7, n / 2, n / 2 + n / 5, n];
    let mut v: Vec<_> = (0..k).map(|i| cuts[i]..cuts[i + 1]).collect();
    v.reverse();
    v
}

fn rel_close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0), "{what}: {a} vs {b}");
}

fn opt_close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(a), Some(b)) => rel_close(a, b, what),
        (a, b) => assert_eq!(a, b, "{what}"),
    }
}

/// Everything that must agree in any case.
fn same_exact_parts(w: &ProfileReport, m: &ProfileReport) {
    assert_eq!(w.dataset, m.dataset);
    for (a, b) in w.columns.iter().zip(&m.columns) {
        let n = &a.name;
        assert_eq!((a.count, a.missing, a.distinct_exact), (b.count, b.missing, b.distinct_exact), "{n}");
        if let (Some(x), Some(y)) = (&a.numeric, &b.numeric) {
            for (u, v, k) in
                [(x.mean, y.mean, "mean"), (x.sum, y.sum, "sum"), (x.min, y.min, "min"), (x.max, y.max, "max")]
            {
                rel_close(u, v, &format!("{n}.{k}"));
            }
            opt_close(x.std, y.std, &format!("{n}.std"));
            opt_close(x.skewness, y.skewness, &format!("{n}.skew"));
            opt_close(x.kurtosis, y.kurtosis, &format!("{n}.kurt"));
            assert_eq!((x.zeros, x.negatives, x.non_finite), (y.zeros, y.negatives, y.non_finite), "{n}");
        }
        // Text facets are exact in every mode (the mean length up to rounding).
        let (mut ta, mut tb) = (a.text.clone(), b.text.clone());
        if let (Some(x), Some(y)) = (&mut ta, &mut tb) {
            rel_close(x.mean_length, y.mean_length, &format!("{n}.meanLength"));
            y.mean_length = x.mean_length;
        }
        assert_eq!(ta, tb, "{n} text");
        assert_eq!(a.dates, b.dates, "{n} dates");
        assert_eq!(a.histogram.as_ref().map(|h| &h.edges), b.histogram.as_ref().map(|h| &h.edges), "{n} edges");
    }
    for (x, y) in w.correlations.pearson.iter().zip(&m.correlations.pearson) {
        opt_close(*x, *y, "pearson");
    }
    for (x, y) in w.correlations.cramers_v.iter().zip(&m.correlations.cramers_v) {
        opt_close(*x, *y, "cramersV");
    }
}

#[test]
fn four_parts_equal_whole_when_exact() {
    for rel in [
        "telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
        "online_retail_uci_first5000/online_retail_small.csv",
    ] {
        let ds = load(rel);
        let opts = ProfileOptions::default();
        let whole = profile_parts(&ds, &opts, std::slice::from_ref(&(0..ds.num_rows()))).unwrap();
        let merged = profile_parts(&ds, &opts, &parts(ds.num_rows(), 4)).unwrap();
        same_exact_parts(&whole, &merged);
        for (a, b) in whole.columns.iter().zip(&merged.columns) {
            assert_eq!(
                (a.distinct, &a.top, &a.quantiles, &a.histogram),
                (b.distinct, &b.top, &b.quantiles, &b.histogram)
            );
            assert_eq!(
                a.numeric.as_ref().map(|n| (n.outliers_iqr, n.outliers_mad)),
                b.numeric.as_ref().map(|n| (n.outliers_iqr, n.outliers_mad))
            );
        }
        for (x, y) in whole.correlations.spearman.iter().zip(&merged.correlations.spearman) {
            opt_close(*x, *y, "spearman");
        }
        let key = |r: &ProfileReport| -> Vec<_> {
            r.alerts.iter().map(|a| (a.kind.clone(), a.severity, a.column.clone())).collect()
        };
        assert_eq!(key(&whole), key(&merged));
    }
}

/// Rank of `q` in `sorted`, as a distance from the target rank of `p`, in shares of n.
fn rank_error(sorted: &[f64], p: f64, q: f64) -> f64 {
    let n = sorted.len() as f64;
    let lo = sorted.partition_point(|&v| v < q) as f64;
    let hi = sorted.partition_point(|&v| v <= q) as f64;
    let t = p * (n - 1.0);
    ((lo - t).max(t - hi)).max(0.0) / n
}

#[test]
fn four_parts_within_sketch_error_when_sketched() {
    let ds = load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    let exact = profile_parts(&ds, &ProfileOptions::default(), std::slice::from_ref(&(0..ds.num_rows()))).unwrap();
    // A limit of 100 distinct values sends customerID, MonthlyCharges and TotalCharges
    // to the HyperLogLog, Misra–Gries and the quantile sketch.
    let opts = ProfileOptions { exact_distinct_limit: 100, ..Default::default() };
    let whole = profile_parts(&ds, &opts, std::slice::from_ref(&(0..ds.num_rows()))).unwrap();
    let merged = profile_parts(&ds, &opts, &parts(ds.num_rows(), 4)).unwrap();
    same_exact_parts(&whole, &merged);
    let mut sketched = 0;
    for ((e, a), b) in exact.columns.iter().zip(&whole.columns).zip(&merged.columns) {
        if a.distinct_exact {
            continue;
        }
        sketched += 1;
        for r in [a, b] {
            let err = (r.distinct as f64 - e.distinct as f64).abs() / e.distinct as f64;
            assert!(err <= 0.02, "{} distinct {} vs {}", e.name, r.distinct, e.distinct);
            assert!(!r.top_exact);
        }
        if let Some(values) = ds.column(&e.name).unwrap().to_f64() {
            let mut sorted: Vec<f64> = values.into_iter().filter(|v| !v.is_nan()).collect();
            sorted.sort_by(f64::total_cmp);
            for r in [a, b] {
                let q = r.quantiles.as_ref().unwrap();
                assert!(!q.exact);
                for (i, &v) in q.values.iter().enumerate() {
                    let p = (i + 1) as f64 / 100.0;
                    let err = rank_error(&sorted, p, v);
                    assert!(err <= 0.01, "{} p{} rank error {err}", e.name, i + 1);
                }
            }
        }
    }
    assert!(sketched >= 3, "only {sketched} columns were sketched");
}

#[test]
fn cdnow_past_the_exact_limit_in_blocks() {
    // 69,659 rows: the whole-table pass counts a text column past its exact limit in blocks
    // of 65,536 rows; the parts never reach a block boundary. Both must agree.
    let ds = load("cdnow_lifetimes/CDNOW_master.txt");
    assert!(ds.num_rows() > 65_536);
    let opts = ProfileOptions { exact_distinct_limit: 1000, ..Default::default() };
    let whole = profile_parts(&ds, &opts, std::slice::from_ref(&(0..ds.num_rows()))).unwrap();
    let merged = profile_parts(&ds, &opts, &parts(ds.num_rows(), 4)).unwrap();
    same_exact_parts(&whole, &merged);
    let text: Vec<_> = whole.columns.iter().filter(|c| c.text.is_some() && !c.distinct_exact).collect();
    assert!(!text.is_empty(), "a text column past the limit");
    let exact = profile_parts(&ds, &ProfileOptions::default(), std::slice::from_ref(&(0..ds.num_rows()))).unwrap();
    for c in text {
        let e = exact.columns.iter().find(|x| x.name == c.name).unwrap();
        assert!((c.distinct as f64 - e.distinct as f64).abs() / (e.distinct as f64) < 0.02);
        // The most frequent customer is found with a count no larger than the truth.
        assert_eq!(c.top[0].value, e.top[0].value);
        assert!(c.top[0].count <= e.top[0].count);
    }
}

#[test]
fn parts_must_cover_every_row_once() {
    let ds = load("mall_customers/Mall_Customers.csv");
    let o = ProfileOptions::default();
    assert!(profile_parts(&ds, &o, std::slice::from_ref(&(0..100))).is_err());
    assert!(profile_parts(&ds, &o, &[0..120, 100..200]).is_err());
    let bad = ProfileOptions { bins: 0, ..Default::default() };
    assert_eq!(profile_parts(&ds, &bad, std::slice::from_ref(&(0..200))).unwrap_err().code(), "INVALID_OPTION");
    let opts: Result<ProfileOptions, _> = crmlens::options::options_from_json(r#"{"topk": 3}"#);
    assert_eq!(opts.unwrap_err().location().field.as_deref(), Some("topk"));
}
