//! The profile of four real files against figures computed independently with pandas/numpy
//! (scripts/reference/profile_pandas_reference.py → tests/fixtures/profile/*.json).

use crmlens::io::read_bytes;
use crmlens::profile::{profile, ColumnProfile, ProfileOptions, ProfileReport};
use serde_json::Value as J;

fn data(rel: &str) -> Vec<u8> {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture(name: &str) -> J {
    let path = format!("{}/tests/fixtures/profile/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    let scale = a.abs().max(b.abs()).max(1.0);
    assert!((a - b).abs() <= tol * scale, "{what}: crmlens {a} vs pandas {b}");
}

fn f(v: &J) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn check_column(c: &ColumnProfile, r: &J, file: &str) {
    let what = |s: &str| format!("{file}.{}.{s}", c.name);
    assert_eq!(c.count, r["count"].as_u64().unwrap(), "{}", what("count"));
    assert_eq!(c.missing, r["missing"].as_u64().unwrap(), "{}", what("missing"));
    assert!(c.distinct_exact);
    assert_eq!(c.distinct, r["distinct"].as_u64().unwrap(), "{}", what("distinct"));
    match r["kind"].as_str().unwrap() {
        "numeric" => {
            let n = c.numeric.as_ref().unwrap_or_else(|| panic!("{} is numeric", what("")));
            for (ours, key) in
                [(n.mean, "mean"), (n.min, "min"), (n.max, "max"), (n.sum, "sum"), (n.iqr, "iqr"), (n.mad, "mad")]
            {
                close(ours, f(&r[key]), 1e-9, &what(key));
            }
            for (ours, key) in [(n.std, "std"), (n.skewness, "skewness"), (n.kurtosis, "kurtosis")] {
                close(ours.unwrap(), f(&r[key]), 1e-8, &what(key));
            }
            assert_eq!(n.zeros, r["zeros"].as_u64().unwrap(), "{}", what("zeros"));
            assert_eq!(n.negatives, r["negatives"].as_u64().unwrap(), "{}", what("negatives"));
            assert_eq!(n.outliers_iqr, r["outliers_iqr"].as_u64().unwrap(), "{}", what("outliers_iqr"));
            assert_eq!(n.outliers_mad, r["outliers_mad"].as_u64(), "{}", what("outliers_mad"));
            let q = c.quantiles.as_ref().unwrap();
            assert!(q.exact);
            let rq = r["quantiles"].as_array().unwrap();
            for (i, &v) in q.values.iter().enumerate() {
                close(v, f(&rq[i + 1]), 1e-9, &what(&format!("p{}", i + 1)));
            }
            let h: Vec<u64> = r["histogram"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            assert_eq!(c.histogram.as_ref().unwrap().counts, h, "{}", what("histogram"));
            // Same counts in the same order; each value's count as pandas has it.
            let rt = r["top"].as_array().unwrap();
            for (i, t) in c.top.iter().enumerate() {
                assert_eq!(t.count, rt[i][1].as_u64().unwrap(), "{}", what("top"));
                let v: f64 = t.value.parse().unwrap();
                if let Some(p) = rt.iter().find(|p| p[0].as_f64() == Some(v)) {
                    assert_eq!(p[1].as_u64().unwrap(), t.count, "{}", what("top value"));
                }
            }
        }
        "datetime" => {
            let d = c.dates.as_ref().unwrap();
            assert_eq!(d.min, r["min"].as_str().unwrap());
            assert_eq!(d.max, r["max"].as_str().unwrap());
        }
        _ => {
            let rt = r["top"].as_array().unwrap();
            let boolean = c.kind == "boolean";
            for (i, t) in c.top.iter().enumerate() {
                assert_eq!(t.count, rt[i][1].as_u64().unwrap(), "{}", what("top count"));
                if !boolean {
                    assert_eq!(t.value, rt[i][0].as_str().unwrap(), "{}", what("top value"));
                }
            }
            if let Some(t) = &c.text {
                assert_eq!(t.min_length, f(&r["min_length"]), "{}", what("min_length"));
                assert_eq!(t.max_length, f(&r["max_length"]), "{}", what("max_length"));
                close(t.mean_length, f(&r["mean_length"]), 1e-9, &what("mean_length"));
                assert_eq!(t.padded, r["padded"].as_u64().unwrap(), "{}", what("padded"));
            }
        }
    }
}

fn matrix(names: &[String], m: &[Option<f64>], a: &str, b: &str) -> Option<f64> {
    let i = names.iter().position(|n| n == a)?;
    let j = names.iter().position(|n| n == b)?;
    m[i * names.len() + j]
}

fn check(name: &str, rel: &str) -> ProfileReport {
    let ds = read_bytes(&data(rel), Default::default()).unwrap();
    let rep = profile(&ds, &ProfileOptions::default()).unwrap();
    let r = fixture(name);
    assert_eq!(rep.dataset.rows, r["rows"].as_u64().unwrap());
    assert_eq!(rep.dataset.columns, r["columns"].as_u64().unwrap());
    assert_eq!(rep.dataset.duplicate_rows, r["duplicate_rows"].as_u64().unwrap(), "{name} duplicates");
    assert_eq!(rep.dataset.missing_cells, r["missing_cells"].as_u64().unwrap(), "{name} missing cells");
    let cols = r["column_profiles"].as_array().unwrap();
    assert_eq!(cols.len(), rep.columns.len());
    for (c, rc) in rep.columns.iter().zip(cols) {
        assert_eq!(c.name, rc["name"].as_str().unwrap());
        check_column(c, rc, name);
    }
    let cr = &rep.correlations;
    let mut checked = 0;
    for (key, ours, tol) in [("pearson", &cr.pearson, 1e-9), ("spearman", &cr.spearman, 1e-9)] {
        for p in r[key].as_array().unwrap() {
            let (a, b) = (p[0].as_str().unwrap(), p[1].as_str().unwrap());
            let v = matrix(&cr.numeric_columns, ours, a, b).unwrap_or_else(|| panic!("{name} {key} {a}/{b} missing"));
            close(v, f(&p[2]), tol, &format!("{name} {key} {a}/{b}"));
            checked += 1;
        }
    }
    for p in r["cramers_v"].as_array().unwrap() {
        let (a, b) = (p[0].as_str().unwrap(), p[1].as_str().unwrap());
        let v = matrix(&cr.categorical_columns, &cr.cramers_v, a, b).unwrap_or_else(|| panic!("{name} V {a}/{b}"));
        close(v, f(&p[2]), 1e-9, &format!("{name} cramersV {a}/{b}"));
        checked += 1;
    }
    assert!(checked > 0 || rep.columns.len() < 3);
    rep
}

fn kinds(rep: &ProfileReport, column: &str) -> Vec<String> {
    rep.alerts.iter().filter(|a| a.column.as_deref() == Some(column)).map(|a| a.kind.clone()).collect()
}

#[test]
fn telco_matches_pandas() {
    let rep = check("telco", "telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
    assert!(kinds(&rep, "customerID").contains(&"unique".to_string()));
    assert!(rep.correlations.strongest.iter().any(|p| p.a == "tenure" && p.b == "TotalCharges"));
}

#[test]
fn bank_matches_pandas() {
    let rep = check("bank", "bank_marketing/bank.csv");
    // pdays = -1 stands for "never contacted"; poutcome spells it "unknown".
    assert!(kinds(&rep, "pdays").contains(&"sentinel".to_string()));
    assert!(kinds(&rep, "poutcome").contains(&"sentinel".to_string()));
    assert!(kinds(&rep, "balance").contains(&"skewed".to_string()));
}

#[test]
fn mall_matches_pandas() {
    check("mall", "mall_customers/Mall_Customers.csv");
}

#[test]
fn online_retail_matches_pandas() {
    let rep = check("retail", "online_retail_uci_first5000/online_retail_small.csv");
    assert_eq!(rep.dataset.duplicate_rows, 79);
    for (col, kind) in [
        ("CustomerID", "highMissing"),
        ("Description", "whitespace"),
        ("Description", "caseVariants"),
        ("StockCode", "mixedTypes"),
        ("Quantity", "outliers"),
    ] {
        assert!(kinds(&rep, col).contains(&kind.to_string()), "{col} {kind}: {:?}", kinds(&rep, col));
    }
    assert!(rep.alerts.iter().any(|a| a.kind == "duplicateRows"));
    let d = rep.columns.iter().find(|c| c.name == "InvoiceDate").unwrap().dates.as_ref().unwrap();
    assert_eq!(d.granularity, "minute");
}
