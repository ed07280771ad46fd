//! segment's options and edge cases on real files: missing values imputed or dropped (and
//! counted), errors naming the option, weights, determinism of the seed.

use crmlens::segment::{segment, SegmentOptions};

const TELCO: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
const MALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mall_customers/Mall_Customers.csv");

fn load(path: &str) -> crmlens::Dataset {
    crmlens::io::read_csv_str(&std::fs::read_to_string(path).unwrap(), Default::default()).unwrap()
}

fn opts(json: &str) -> SegmentOptions {
    crmlens::options::options_from_json(json).unwrap()
}

const CHARGES: &str = r#""columns": ["tenure", "MonthlyCharges", "TotalCharges", "Contract"], "k": 4, "nInit": 2"#;

#[test]
fn missing_values_are_imputed_or_dropped_and_counted() {
    let ds = load(TELCO);
    let is_missing = |name: &str, i: usize| ds.column(name).unwrap().get(i).to_text().is_none();
    let missing: Vec<usize> =
        (0..ds.num_rows()).filter(|&i| is_missing("MonthlyCharges", i) || is_missing("TotalCharges", i)).collect();
    assert_eq!(missing.len(), 13, "2 MonthlyCharges and 11 TotalCharges cells are empty in this file");

    let imputed = segment(&ds, &opts(&format!("{{{CHARGES}}}"))).unwrap();
    let prep = &imputed.report.preparation;
    assert_eq!((prep.rows_total, prep.rows_used, prep.rows_dropped), (7043, 7043, 0));
    let notes: Vec<(&str, &str)> = prep.imputed.iter().map(|c| (c.column.as_str(), c.note.as_str())).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, "MonthlyCharges");
    assert!(notes[0].1.starts_with("2 missing values set to the mean 64.7"), "{}", notes[0].1);
    assert_eq!(notes[1].0, "TotalCharges");
    assert!(notes[1].1.starts_with("11 missing values set to the mean 2283.3"), "{}", notes[1].1);
    assert!(imputed.labels.iter().all(|&l| (0..4).contains(&l)));
    assert_eq!(imputed.report.segments.iter().map(|g| g.size).sum::<usize>(), 7043);

    let dropped = segment(&ds, &opts(&format!(r#"{{{CHARGES}, "missing": "drop"}}"#))).unwrap();
    let prep = &dropped.report.preparation;
    assert_eq!((prep.rows_used, prep.rows_dropped), (7030, 13));
    assert!(prep.imputed.is_empty());
    for (i, &l) in dropped.labels.iter().enumerate() {
        let gone = missing.contains(&i);
        assert_eq!(l == -1, gone);
        assert_eq!(dropped.projection[2 * i].is_nan(), gone);
    }
    assert_eq!(dropped.report.segments.iter().map(|g| g.size).sum::<usize>(), 7030);
    assert!((dropped.report.segments.iter().map(|g| g.share).sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn same_seed_same_labels_other_seed_other_run() {
    let ds = load(MALL);
    let run = |seed: u64| segment(&ds, &opts(&format!(r#"{{"k": 4, "nInit": 1, "seed": {seed}}}"#))).unwrap();
    let (a, b) = (run(7), run(7));
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.report.inertia.to_bits(), b.report.inertia.to_bits());
    assert_eq!(
        a.projection.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        b.projection.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
    // Different seeds start from different rows (one restart each, so the runs differ somewhere).
    let runs: Vec<f64> = (0..6).map(|s| run(s).report.inertia).collect();
    assert!(runs.iter().any(|&x| x != runs[0]), "{runs:?}");
}

#[test]
fn errors_name_the_problem() {
    let ds = load(MALL);
    let err = |json: &str| segment(&ds, &opts(json)).unwrap_err();
    assert_eq!(err(r#"{"columns": ["income"]}"#).code(), "UNKNOWN_COLUMN");
    let e = err(r#"{"k": 201}"#);
    assert_eq!((e.code(), e.location().field.as_deref()), ("INVALID_OPTION", Some("k")));
    let e = err(r#"{"columns": ["age"], "algorithm": "kprototypes"}"#);
    assert_eq!(e.location().field.as_deref(), Some("algorithm"));
    let e = err(r#"{"weights": {"customer_id": 2}}"#);
    assert_eq!(e.location().field.as_deref(), Some("weights"));
    let e = err(r#"{"columns": ["age", "age"]}"#);
    assert_eq!(e.location().field.as_deref(), Some("columns"));
    let telco = load(TELCO);
    let e = segment(&telco, &opts(r#"{"columns": ["customerID"]}"#)).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("columns"));
    assert!(e.to_string().contains("text"), "{e}");
    let e = crmlens::options::options_from_json::<SegmentOptions>(r#"{"nInits": 3}"#).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("nInits"));
}

#[test]
fn a_zero_weight_takes_a_column_out_of_the_distance() {
    let ds = load(MALL);
    let base = r#""columns": ["annual_income_thousands", "spending_score", "age"], "k": 5"#;
    let weighted = segment(&ds, &opts(&format!(r#"{{{base}, "weights": {{"age": 0}}}}"#))).unwrap();
    let two = segment(&ds, &opts(r#"{"columns": ["annual_income_thousands", "spending_score"], "k": 5}"#)).unwrap();
    let sizes = |s: &crmlens::segment::Segmentation| s.report.segments.iter().map(|g| g.size).collect::<Vec<_>>();
    assert_eq!(sizes(&weighted), [81, 39, 35, 23, 22]);
    assert!((weighted.report.inertia - two.report.inertia).abs() < 1e-9);
    // Age is still described (its mean and z-score), though it did not shape the segments.
    assert!(weighted.report.segments[0].features.iter().any(|f| f.column == "age" && f.z.is_some()));
}

#[test]
fn telco_mixed_columns_one_hot_and_kprototypes() {
    // The first 3,000 customers keep the debug-build test quick (the silhouette is exact, O(n²)).
    let text = std::fs::read_to_string(TELCO).unwrap();
    let ds =
        crmlens::io::read_csv_str(&text, crmlens::options::options_from_json(r#"{"maxRows": 3000}"#).unwrap()).unwrap();
    for algorithm in ["kmeans", "kprototypes", "minibatch"] {
        let json = format!(
            r#"{{"columns": ["tenure", "MonthlyCharges", "Contract", "InternetService", "SeniorCitizen"], "k": 4, "nInit": 2, "algorithm": "{algorithm}"}}"#
        );
        let s = segment(&ds, &opts(&json)).unwrap();
        let r = &s.report;
        assert_eq!(r.algorithm, algorithm);
        assert_eq!(r.preparation.categorical_columns, ["Contract", "InternetService"]);
        assert!(!r.silhouette_method.exact || ds.num_rows() <= 10_000);
        assert!(r.silhouette > 0.0 && r.davies_bouldin > 0.0 && r.calinski_harabasz > 0.0);
        for g in &r.segments {
            println!("{algorithm} {} {:>4} {}", g.id, g.size, g.description);
            assert!(!g.description.is_empty());
        }
    }
}
