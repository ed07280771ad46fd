//! Holdout grade of `customer_value` on CDNOW_master (../shared/data/cdnow_lifetimes): the
//! calibration fit, the holdout counts and predictions against `lifetimes` 0.11.3
//! (tests/fixtures/value/cdnow_holdout_reference.csv, made by
//! scripts/reference/cdnow_holdout_reference.py), and the grade against its own rules.

use std::collections::HashMap;

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::value::{customer_value, CustomerValueOptions};

fn load_master() -> crmlens::Dataset {
    let path = format!("{}/../shared/data/cdnow_lifetimes/CDNOW_master.txt", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_csv_bytes(&bytes, LoadOptions::default()).unwrap()
}

fn reference() -> HashMap<String, String> {
    let path = format!("{}/tests/fixtures/value/cdnow_holdout_reference.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines().skip(1).filter_map(|l| l.split_once(',')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn opts(json: &str) -> CustomerValueOptions {
    crmlens::options::options_from_json(json).unwrap()
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-9)
}

#[test]
fn cdnow_master_holdout_matches_lifetimes_and_is_graded() {
    let r = reference();
    let num = |k: &str| r[k].parse::<f64>().unwrap_or_else(|_| panic!("{k}"));
    let ds = load_master();
    let v = customer_value(
        &ds,
        &opts(
            r#"{"customer":"customer_id","date":"date","amount":"dollar_value",
                "calibrationEnd":"1997-09-30","observationEnd":"1998-06-30"}"#,
        ),
    )
    .unwrap();
    let q = v.model.quality.as_ref().expect("a holdout was given");
    assert_eq!((q.holdout_start.as_str(), q.holdout_end.as_str()), ("1997-10-01", "1998-06-30"));
    assert_eq!(q.customers as f64, num("customers"));
    assert_eq!(q.holdout_length, num("holdout_weeks"));
    assert_eq!(q.rows_of_new_customers, 0); // every CDNOW customer arrived in 1997 Q1
    let p = v.model.bg_nbd.params;
    for (got, k) in [(p.r, "r"), (p.alpha, "alpha"), (p.a, "a"), (p.b, "b")] {
        assert!(close(got, num(k), 1e-4), "{k}: {got} vs {}", num(k));
    }
    assert_eq!(q.actual_purchases, num("actual_total"));
    assert!(
        close(q.predicted_purchases, num("predicted_total"), 1e-4),
        "{} vs {}",
        q.predicted_purchases,
        num("predicted_total")
    );
    assert!(close(q.mae, num("mae"), 1e-4), "{} vs {}", q.mae, num("mae"));

    // Per customer, the first 20 by id.
    let c = &v.customers;
    let ids = c.column("customer_id").unwrap();
    let actual = c.column("holdoutPurchases").unwrap().to_f64().unwrap();
    let predicted = c.column("holdoutPredicted").unwrap().to_f64().unwrap();
    let mut checked = 0;
    for i in 0..c.num_rows() {
        let id = ids.get(i).to_text().unwrap();
        if let Some(want) = r.get(&format!("customer_{id}_actual")) {
            assert_eq!(actual[i], want.parse::<f64>().unwrap(), "customer {id}");
            let want = num(&format!("customer_{id}_predicted"));
            assert!(close(predicted[i], want, 1e-4), "customer {id}: {} vs {want}", predicted[i]);
            checked += 1;
        }
    }
    assert_eq!(checked, 20);

    // The baseline, recomputed from the calibration columns: x / T per week, times 39 weeks.
    let (x, t) = (c.column("frequency").unwrap().to_f64().unwrap(), c.column("T").unwrap().to_f64().unwrap());
    let base: Vec<f64> = (0..x.len()).map(|i| if t[i] > 0.0 { x[i] / t[i] * 39.0 } else { 0.0 }).collect();
    let base_mae = base.iter().zip(&actual).map(|(b, a)| (b - a).abs()).sum::<f64>() / x.len() as f64;
    assert!(close(q.baseline_mae, base_mae, 1e-12));
    assert!(close(q.baseline_purchases, base.iter().sum(), 1e-12));
    // The grade follows its documented rules from these numbers.
    let ratio = q.mae / q.baseline_mae;
    let want = if ratio <= 0.8 && q.aggregate_error.abs() <= 0.10 {
        "A"
    } else if ratio <= 1.0 && q.aggregate_error.abs() <= 0.25 {
        "B"
    } else {
        "C"
    };
    assert_eq!(q.grade, want, "{}", q.explanation);
    assert!(q.explanation.starts_with(&format!("Grade {want}")));
    // On CDNOW the BG/NBD beats projecting each customer's own rate.
    assert!(q.mae < q.baseline_mae, "{}", q.explanation);
    println!("{}", q.explanation);
}

#[test]
fn holdout_options_are_checked() {
    let ds = load_master();
    let base = r#""customer":"customer_id","date":"date","amount":"dollar_value""#;
    let err = |extra: &str| {
        customer_value(&ds, &opts(&format!("{{{base},{extra}}}"))).err().map(|e| (e.code().to_string(), e.to_string()))
    };
    let (code, msg) = err(r#""observationEnd":"1998-06-30""#).unwrap();
    assert_eq!(code, "INVALID_OPTION");
    assert!(msg.contains("calibrationEnd"), "{msg}");
    let (_, msg) = err(r#""calibrationEnd":"1997-09-30","observationEnd":"1997-09-01""#).unwrap();
    assert!(msg.contains("after"), "{msg}");
    let (_, msg) = err(r#""calibrationEnd":"1997-09-30","observationEnd":"soon""#).unwrap();
    assert!(msg.contains("observationEnd"), "{msg}");
    // Without a holdout there is no grade and no holdout columns.
    let v = customer_value(&ds, &opts(&format!("{{{base}}}"))).unwrap();
    assert!(v.model.quality.is_none() && v.customers.column("holdoutPurchases").is_err());
}
