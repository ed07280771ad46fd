//! `clean(plan)` on real files: each step does what it says, the log lists exactly the
//! cells that changed, and figures agree with the pandas reference (tests/fixtures/profile).

use crmlens::clean::{clean, CleanPlan, CleanResult};
use crmlens::io::{read_bytes, read_csv_str};
use crmlens::options::options_from_json;
use crmlens::table::{Dataset, Value};
use crmlens::Dataset as Ds;

fn load(rel: &str) -> Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    read_bytes(&std::fs::read(&path).unwrap(), Default::default()).unwrap()
}

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/profile/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn reference<'a>(fx: &'a serde_json::Value, col: &str) -> &'a serde_json::Value {
    fx["column_profiles"].as_array().unwrap().iter().find(|c| c["name"] == col).unwrap()
}

fn plan(json: &str) -> CleanPlan {
    options_from_json(json).unwrap()
}

fn run(ds: &Ds, json: &str) -> CleanResult {
    clean(ds, &plan(json)).unwrap()
}

/// Every cell that differs between `before` and `after` (same rows) is in the log with the
/// right before / after, and nothing else is.
fn log_matches_diff(before: &Ds, r: &CleanResult, column: &str, rule: &str) -> usize {
    let (a, b) = (before.column(column).unwrap(), r.dataset.column(column).unwrap());
    let mut diff = 0;
    for i in 0..before.num_rows() {
        if a.get(i) != b.get(i) {
            diff += 1;
            let c = r.log.changes.iter().find(|c| c.row == i as u64 && c.column.as_deref() == Some(column)).unwrap();
            assert_eq!(c.rule, rule);
            assert_eq!(c.before, a.get(i).to_text());
            assert_eq!(c.after, b.get(i).to_text());
        }
    }
    let logged = r.log.changes.iter().filter(|c| c.column.as_deref() == Some(column) && c.rule == rule).count();
    assert_eq!(logged, diff, "{column}: log lists {logged}, table differs in {diff}");
    diff
}

#[test]
fn trim_whitespace_online_retail() {
    let ds = load("online_retail_uci_first5000/online_retail_small.csv");
    let r = run(&ds, r#"{"trim": "all"}"#);
    let n = log_matches_diff(&ds, &r, "Description", "trim");
    assert!(n >= 962, "{n}"); // at least the 962 padded values pandas counts
    let p = crmlens::profile::profile(&r.dataset, &Default::default()).unwrap();
    let d = p.columns.iter().find(|c| c.name == "Description").unwrap().text.clone().unwrap();
    assert_eq!((d.padded, d.inner_spaces), (0, 0));
    assert_eq!(r.log.rows_out, 5000);
}

#[test]
fn fill_median_and_previous_telco() {
    let ds = load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    let fx = fixture("telco");
    let median = reference(&fx, "TotalCharges")["quantiles"][50].as_f64().unwrap();
    let r =
        run(&ds, r#"{"fill": {"TotalCharges": "median", "gender": "previous", "MonthlyCharges": {"constant": 0}}}"#);
    assert_eq!(log_matches_diff(&ds, &r, "TotalCharges", "fill"), 11);
    let tc = r.dataset.column("TotalCharges").unwrap();
    assert_eq!(tc.null_count(), 0);
    for c in r.log.changes.iter().filter(|c| c.column.as_deref() == Some("TotalCharges")) {
        assert_eq!(tc.get(c.row as usize), Value::Float(median));
        assert!(c.before.is_none());
    }
    assert_eq!(log_matches_diff(&ds, &r, "gender", "fill"), 3);
    assert_eq!(log_matches_diff(&ds, &r, "MonthlyCharges", "fill"), 2);
    assert_eq!(r.dataset.column("gender").unwrap().null_count(), 0);
    let bad = clean(&ds, &plan(r#"{"fill": {"gender": "mean"}}"#)).unwrap_err();
    assert_eq!(bad.code(), "INVALID_OPTION");
}

#[test]
fn outliers_and_exact_dedupe_match_pandas_counts() {
    let bank = load("bank_marketing/bank.csv");
    let fx = fixture("bank");
    let expected = reference(&fx, "balance")["outliers_iqr"].as_u64().unwrap();
    let r = run(&bank, r#"{"outliers": {"balance": {"method": "iqr", "action": "drop"}}}"#);
    assert_eq!(r.log.rows_out, 4521 - expected);
    assert_eq!(r.log.changes.iter().filter(|c| c.rule == "dropOutlier").count() as u64, expected);
    let flagged = run(&bank, r#"{"outliers": {"balance": {"method": "mad"}}}"#);
    let flags = flagged.dataset.column("balance_outlier").unwrap();
    let n = (0..4521).filter(|&i| flags.get(i) == Value::Bool(true)).count() as u64;
    assert_eq!(n, reference(&fx, "balance")["outliers_mad"].as_u64().unwrap());

    let retail = load("online_retail_uci_first5000/online_retail_small.csv");
    let dups = fixture("retail")["duplicate_rows"].as_u64().unwrap();
    let r = run(&retail, r#"{"dedupe": true}"#);
    assert_eq!(r.log.rows_out, 5000 - dups);
    assert_eq!(r.log.counts.iter().find(|c| c.rule == "dropDuplicate").unwrap().count, dups);
    let again = crmlens::profile::profile(&r.dataset, &Default::default()).unwrap();
    assert_eq!(again.dataset.duplicate_rows, 0);
}

#[test]
fn convert_case_standardize_and_the_log_cap() {
    let src = "id,name,email,phone,score\n\
               0001, ann   LEE ,Ann.Lee@Example.COM ,+86 138-1234-5678,12\n\
               0002,bob ray,mailto:BOB@example.org,(555) 123-4567,n/a\n\
               0003,Cy,not-an-email,12ab,x7\n";
    let ds = read_csv_str(src, Default::default()).unwrap();
    let r = run(
        &ds,
        r#"{"convert": {"id": "int64", "score": "float64"}, "trim": ["name"], "case": {"name": "title"},
            "standardize": {"email": "email", "phone": "phone"}}"#,
    );
    let d = &r.dataset;
    assert_eq!(d.column("id").unwrap().get(0), Value::Int(1));
    assert_eq!(d.column("name").unwrap().get(0), Value::Str("Ann Lee"));
    assert_eq!(d.column("email").unwrap().get(0), Value::Str("ann.lee@example.com"));
    assert_eq!(d.column("email").unwrap().get(1), Value::Str("bob@example.org"));
    assert_eq!(d.column("email").unwrap().get(2), Value::Str("not-an-email"));
    assert_eq!(d.column("phone").unwrap().get(0), Value::Str("+8613812345678"));
    assert_eq!(d.column("phone").unwrap().get(1), Value::Str("5551234567"));
    // "x7" does not convert: missing now, and logged with its old value.
    assert_eq!(d.column("score").unwrap().get(2), Value::Null);
    let c = r.log.changes.iter().find(|c| c.rule == "convert").unwrap();
    assert_eq!((c.row, c.before.as_deref(), c.after.as_deref()), (2, Some("x7"), None));
    assert!(r.log.notes.iter().any(|n| n.contains("`score` converted from text to float64; 1 values")));

    let capped =
        clean(&ds, &CleanPlan { max_log: 2, ..plan(r#"{"standardize": {"email": "email", "phone": "phone"}}"#) })
            .unwrap();
    assert_eq!(capped.log.changes.len(), 2);
    assert!(capped.log.truncated);
    assert_eq!(capped.log.counts.iter().map(|c| c.count).sum::<u64>(), 4);

    assert_eq!(clean(&ds, &plan(r#"{"trim": ["nope"]}"#)).unwrap_err().code(), "UNKNOWN_COLUMN");
    let e = clean(&ds, &plan(r#"{"convert": {"id": "int64"}, "case": {"id": "lower"}}"#)).unwrap_err();
    assert_eq!(e.code(), "INVALID_OPTION");
    let e = options_from_json::<CleanPlan>(r#"{"trimm": "all"}"#).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("trimm"));
    // The input table is never changed.
    assert_eq!(ds.column("email").unwrap().get(0), Value::Str("Ann.Lee@Example.COM "));
}
