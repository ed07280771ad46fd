//! segment under hostile options and data (issue 19): sizes that wrapped or ran for minutes are
//! `TOO_LARGE` errors naming the option; values that overflowed distances are refused; the
//! automatic k does not reward a split that isolates one outlier; and the result says when
//! it should not be trusted (`report.warnings`).

use crmlens::io::{read_csv_bytes, read_csv_str, LoadOptions};
use crmlens::segment::{segment, SegmentOptions};
use crmlens::warning::has;
use crmlens::Dataset;

const MALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mall_customers/Mall_Customers.csv");
const RETAIL: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/online_retail_uci_first5000/online_retail_small.csv");

fn opts(json: &str) -> SegmentOptions {
    crmlens::options::options_from_json(json).unwrap()
}

fn csv(text: &str) -> Dataset {
    read_csv_str(text, LoadOptions { header: Some(true), ..Default::default() }).unwrap()
}

fn err(ds: &Dataset, json: &str) -> (String, String) {
    let e = segment(ds, &opts(json)).unwrap_err();
    eprintln!("{json}: {e}");
    (e.code().to_string(), e.location().field.unwrap_or_default())
}

/// The issue's trap: `segment(ds, { k: 9007199254740992, missing: 'drop', maxIter: 3 })` on a
/// one-customer table; and finding 14 (k = 2^32 → 0, 2^32 + 5 → 5 on 32-bit wasm).
#[test]
fn huge_k_is_too_large_and_never_wraps() {
    let one = csv("customer,spend,visits\nc1,12.5,3\n");
    assert_eq!(
        err(&one, r#"{"k": 9007199254740992, "missing": "drop", "maxIter": 3}"#),
        ("TOO_LARGE".into(), "k".into())
    );
    let six = csv("x,y\n1,2\n3,4\n5,6\n7,8\n9,1\n2,2\n");
    for k in ["4294967296", "4294967301", "2147483648"] {
        assert_eq!(err(&six, &format!(r#"{{"k": {k}}}"#)), ("TOO_LARGE".into(), "k".into()), "k {k}");
    }
    // Within the bound but above the rows: INVALID_OPTION naming k.
    assert_eq!(err(&six, r#"{"k": 7}"#), ("INVALID_OPTION".into(), "k".into()));
    assert_eq!(err(&one, r#"{"k": 2, "missing": "drop"}"#), ("INVALID_OPTION".into(), "k".into()));
    assert_eq!(segment(&six, &opts(r#"{"k": 5}"#)).unwrap().report.k, 5);
}

/// Finding 07: nInit 1e6 ran 17–25 s, maxIter 1e9 over a minute, kRange [2, 1e6] every k up
/// to the rows. Now refused at once, naming the option and the limit.
#[test]
fn unbounded_work_options_are_refused() {
    let ds = csv(&format!("x,y\n{}", (0..200).map(|i| format!("{},{}\n", i % 17, (i * 7) % 23)).collect::<String>()));
    let t = std::time::Instant::now();
    assert_eq!(err(&ds, r#"{"k": 3, "nInit": 1000000}"#), ("TOO_LARGE".into(), "nInit".into()));
    assert_eq!(err(&ds, r#"{"k": 3, "maxIter": 1000000000}"#), ("TOO_LARGE".into(), "maxIter".into()));
    assert_eq!(err(&ds, r#"{"kRange": [2, 1000000]}"#), ("TOO_LARGE".into(), "kRange".into()));
    assert!(t.elapsed().as_secs() < 2);
    let msg = segment(&ds, &opts(r#"{"k": 3, "nInit": 101}"#)).unwrap_err().to_string();
    assert!(msg.contains("100"), "{msg}");
}

/// Finding 09: > 16,384 numeric columns overflowed a d × d allocation (a trap); 1,000 columns
/// ran for a minute. Now `TOO_LARGE` naming `columns`, before anything is allocated.
#[test]
fn wide_table_is_too_large() {
    let p = 16_385;
    let mut text = (0..p).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    text.push('\n');
    for r in 0..4 {
        // Repeated values, so no column looks like an id.
        text.push_str(&(0..p).map(|i| (i % 3 + r % 2 + 10).to_string()).collect::<Vec<_>>().join(","));
        text.push('\n');
    }
    let ds = read_csv_bytes(text.as_bytes(), Default::default()).unwrap();
    let t = std::time::Instant::now();
    assert_eq!(err(&ds, r#"{"k": 2}"#), ("TOO_LARGE".into(), "columns".into()));
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
}

/// Finding 08 (d): values near 1e308 gave infinite centroids without an error.
#[test]
fn values_that_overflow_distances_are_refused() {
    let big = csv("x,y\n1e308,1\n1e308,2\n1e308,3\n1,4\n2,5\n3,6\n");
    for scaling in ["none", "standard", "robust"] {
        let r = segment(&big, &opts(&format!(r#"{{"k": 2, "scaling": "{scaling}"}}"#)));
        match r {
            Ok(s) => assert!(s.centroids.iter().all(|c| c.is_finite()), "{scaling}: {:?}", s.centroids),
            Err(e) => assert_eq!((e.code(), e.location().field.unwrap()), ("TOO_LARGE", "columns".into()), "{scaling}"),
        }
    }
    assert_eq!(err(&big, r#"{"k": 2, "scaling": "none"}"#).0, "TOO_LARGE");
}

/// Three tight groups of 60 rows and one far outlier row: k = 2 isolates the outlier with a
/// silhouette near 1. `"auto"` must pass it over (smallest segment under 2 rows) and say so.
#[test]
fn auto_k_does_not_reward_an_isolated_outlier() {
    let mut text = String::from("x,y\n");
    for (cx, cy) in [(0.0, 0.0), (6.0, 0.0), (3.0, 5.0)] {
        for i in 0..60 {
            let a = i as f64 * 0.7;
            text.push_str(&format!("{},{}\n", cx + 0.5 * a.sin(), cy + 0.5 * a.cos()));
        }
    }
    text.push_str("1000,1000\n");
    let ds = csv(&text);
    let s = segment(&ds, &opts(r#"{"kRange": [2, 6]}"#)).unwrap();
    let r = &s.report;
    let k2 = r.k_scores.iter().find(|s| s.k == 2).unwrap();
    assert_eq!(k2.smallest_segment, 1, "k = 2 isolates the outlier: {:?}", r.k_scores);
    assert!(k2.silhouette > 0.9, "{:?}", r.k_scores);
    assert!(k2.group_silhouette.is_nan(), "one group and one outlier: {:?}", r.k_scores);
    // The three groups plus the outlier on its own.
    assert_eq!(r.k, 4, "{}", r.k_choice);
    assert!(r.k_choice.contains("passed over k = 2"), "{}", r.k_choice);
    let sizes: Vec<usize> = r.segments.iter().map(|s| s.size).collect();
    assert_eq!(sizes, [60, 60, 60, 1]);
    // The outlier's segment is flagged.
    let w = r.warnings.iter().find(|w| w.code == "SMALL_SEGMENT").expect("flagged");
    assert!(w.message.contains("segment 3 (1 row)"), "{}", w.message);
}

/// kRange [2, 3] on Mall's income and score (five groups): k = 3 is the end of the range.
#[test]
fn k_at_the_edge_of_its_range_is_flagged() {
    let ds = read_csv_str(&std::fs::read_to_string(MALL).unwrap(), Default::default()).unwrap();
    let o = r#""columns": ["annual_income_thousands", "spending_score"]"#;
    let s = segment(&ds, &opts(&format!(r#"{{{o}, "kRange": [2, 3]}}"#))).unwrap();
    assert_eq!(s.report.k, 3, "{}", s.report.k_choice);
    assert!(has(&s.report.warnings, "K_AT_EDGE"), "{:?}", s.report.warnings);
    // The default range finds five groups inside it: no edge, no tiny segment, no transactions.
    let s = segment(&ds, &opts(&format!(r#"{{{o}}}"#))).unwrap();
    assert_eq!(s.report.k, 5, "{}", s.report.k_choice);
    assert!(s.report.warnings.is_empty(), "{:?}", s.report.warnings);
}

/// Order lines of the retail slice: 5,000 rows of a few hundred customers. Segmenting them
/// groups purchases, not customers — said in a warning that suggests per-customer features.
#[test]
fn transaction_rows_of_repeated_customers_are_flagged() {
    let ds = read_csv_bytes(&std::fs::read(RETAIL).unwrap(), Default::default()).unwrap();
    let s = segment(&ds, &opts(r#"{"columns": ["Quantity", "UnitPrice"], "k": 3}"#)).unwrap();
    let w = s.report.warnings.iter().find(|w| w.code == "TRANSACTION_ROWS").expect("flagged");
    assert!(w.message.contains("CustomerID") && w.message.contains("per customer"), "{}", w.message);
    // Mall has one row per customer: not flagged.
    let mall = read_csv_str(&std::fs::read_to_string(MALL).unwrap(), Default::default()).unwrap();
    let s = segment(&mall, &opts(r#"{"k": 4}"#)).unwrap();
    assert!(!has(&s.report.warnings, "TRANSACTION_ROWS"), "{:?}", s.report.warnings);
}

/// Found by the fuzz harness (campaign 2): the first 694 bytes of AFINN's emoticon list (a
/// token column of ~50 levels, one-hot, and a score with few distinct values) with kRange
/// [2, 31], `algorithm: "auto"` and a huge maxIter ran 40 s: k above the number of distinct
/// points leaves clusters empty, re-seeded on every pass, never converging. k is now at most
/// the distinct points, maxIter at most 1,000, and each call's distance work is budgeted.
#[test]
fn small_wide_table_with_a_wide_k_range_is_bounded() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/afinn_lexicon/AFINN-emoticon-8.txt");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let ds = read_csv_bytes(&bytes[..694.min(bytes.len())], Default::default()).unwrap();
    assert_eq!(
        err(&ds, r#"{"kRange": [2, 31], "algorithm": "auto", "maxIter": 10000}"#),
        ("TOO_LARGE".into(), "maxIter".into())
    );
    let t = std::time::Instant::now();
    let s = segment(&ds, &opts(r#"{"kRange": [2, 31], "algorithm": "auto", "maxIter": 1000}"#)).unwrap();
    assert!((2..=31).contains(&s.report.k));
    assert!(t.elapsed().as_secs() < 120, "{:?}", t.elapsed());
    assert!(s.report.k_scores.iter().all(|k| k.smallest_segment > 0), "{:?}", s.report.k_scores);
}

/// k above the distinct points of the data is refused, naming k.
#[test]
fn k_above_the_distinct_points_is_refused() {
    let ds = csv("x,y
1,1
1,1
1,1
2,2
2,2
3,3
");
    assert_eq!(err(&ds, r#"{"k": 4}"#), ("INVALID_OPTION".into(), "k".into()));
    assert_eq!(segment(&ds, &opts(r#"{"k": 3}"#)).unwrap().report.k, 3);
    // "auto" tries at most the distinct points.
    let s = segment(&ds, &opts(r#"{"kRange": [2, 5]}"#)).unwrap();
    assert!(s.report.k_scores.iter().all(|k| k.k <= 3), "{:?}", s.report.k_scores);
}
