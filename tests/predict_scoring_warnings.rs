//! Honest scoring (issue 17): `predict` / `scores` on a table that differs from the training
//! table. Telco churn (../shared/data, see its MANIFEST.md), trained once, then scored on an
//! altered copy: a contract level the model never saw, text among the tenure numbers, charges
//! past ±1e150. Each is scored as before (no known level / missing), and counted per feature in
//! the result's warnings; a missing feature column is an error naming every missing column.

use crmlens::io::{read_csv_bytes, read_csv_str, LoadOptions};
use crmlens::predict::{train_sync, Predictor, TrainOptions};
use crmlens::Dataset;

fn telco_text() -> String {
    let path = format!(
        "{}/../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    String::from_utf8(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

fn load(text: &str) -> Dataset {
    read_csv_str(text, LoadOptions::default()).unwrap()
}

fn trained(ds: &Dataset) -> Predictor {
    let o = TrainOptions::from_json(
        r#"{"target":"Churn","positive":"Yes","model":"logistic","validation":{"folds":2,"seed":0}}"#,
    )
    .unwrap();
    train_sync(ds, &o).unwrap()
}

/// The first `n` data rows of the CSV with `edit(row index, fields)` applied.
fn altered(text: &str, n: usize, mut edit: impl FnMut(usize, &mut Vec<String>)) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for (i, line) in lines.take(n).enumerate() {
        let mut f: Vec<String> = line.split(',').map(String::from).collect();
        edit(i, &mut f);
        out.push_str(&f.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn unknown_levels_and_unreadable_cells_are_counted_per_feature() {
    let text = telco_text();
    let p = trained(&read_csv_bytes(text.as_bytes(), LoadOptions::default()).unwrap());
    let used: Vec<&str> = p.features.used.iter().map(|f| f.name.as_str()).collect();
    for name in ["tenure", "Contract", "MonthlyCharges"] {
        assert!(used.contains(&name), "{name} not among {used:?}");
    }
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (contract, tenure, charges) = (col("Contract"), col("tenure"), col("MonthlyCharges"));

    // Unchanged rows: nothing to report.
    let plain = load(&altered(&text, 300, |_, _| {}));
    let (base, w) = p.scores_checked(&plain).unwrap();
    assert!(w.is_empty(), "{w:?}");

    let mut two_year = 0;
    let edited = altered(&text, 300, |i, f| {
        if f[contract] == "Two year" {
            f[contract] = "Biennial".into();
            two_year += 1;
        }
        if i % 100 == 7 {
            f[tenure] = "unknown".into();
        }
        if i == 11 || i == 12 {
            f[charges] = "1e200".into();
        }
    });
    assert!(two_year > 20, "{two_year}");
    let ds = load(&edited);
    let (s, w) = p.scores_checked(&ds).unwrap();
    assert_eq!(s.len(), 300);
    assert!(s.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
    let line = |f: &str| w.iter().find(|l| l.starts_with(&format!("`{f}`:"))).cloned().unwrap_or_default();
    assert!(
        line("Contract").contains(&format!("{two_year} value(s) are not among the model's levels (e.g. `Biennial`)")),
        "{w:?}"
    );
    assert!(
        line("tenure").contains("3 value(s) could not be read as numbers") && line("tenure").contains("`unknown`"),
        "{w:?}"
    );
    assert!(line("MonthlyCharges").contains("2 value(s)") && line("MonthlyCharges").contains("1e200"), "{w:?}");
    assert_eq!(w.len(), 3, "{w:?}");
    // Rows not edited score as before; an edited row scores differently (its level is gone).
    assert!((s[0] - base[0]).abs() < 1e-12);
    let moved = (0..300).filter(|&i| (s[i] - base[i]).abs() > 1e-9).count();
    assert!(moved >= two_year, "{moved} rows changed, {two_year} contracts edited");

    // predict carries the same warnings on its probability column, explanations or not.
    for k in [0, 3] {
        let out = p.predict(&ds, k).unwrap();
        assert_eq!(out.column("probability").unwrap().warnings, w);
    }
    assert!(p.predict(&plain, 3).unwrap().column("probability").unwrap().warnings.is_empty());
}

#[test]
fn missing_feature_columns_are_named_in_the_error() {
    let text = telco_text();
    let p = trained(&read_csv_bytes(text.as_bytes(), LoadOptions::default()).unwrap());
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let drop =
        [header.iter().position(|h| *h == "tenure").unwrap(), header.iter().position(|h| *h == "Contract").unwrap()];
    let mut t = String::new();
    for line in text.lines().take(50) {
        let f: Vec<&str> = line.split(',').enumerate().filter(|(j, _)| !drop.contains(j)).map(|(_, v)| v).collect();
        t.push_str(&f.join(","));
        t.push('\n');
    }
    let ds = load(&t);
    for e in [p.predict(&ds, 3).unwrap_err(), p.scores(&ds).unwrap_err()] {
        assert_eq!(e.code(), "UNKNOWN_COLUMN");
        let m = e.to_string();
        assert!(m.contains("`tenure`") && m.contains("`Contract`"), "{m}");
    }
}

/// Values seen in training but not kept as levels are told apart from values training never
/// saw: Telco with `tenure` written as a category (`m0` … `m72`: 73 values, of which the 30
/// most frequent become levels). Scoring the training table itself warns about nothing; a
/// table with a tenure training never saw warns about exactly those rows.
#[test]
fn values_seen_in_training_but_not_kept_are_not_unknown() {
    let text = telco_text();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let tenure = header.iter().position(|h| *h == "tenure").unwrap();
    let rows = text.lines().count() - 1;
    let as_category = altered(&text, rows, |_, f| f[tenure] = format!("m{}", f[tenure]));
    let ds = load(&as_category);
    let p = trained(&ds);
    let f = p.features.used.iter().find(|f| f.name == "tenure").expect("tenure is a feature");
    let crmlens::predict::features::Encoding::Category { levels, others } = &f.encoding else {
        panic!("tenure is not a category: {:?}", f.encoding)
    };
    assert_eq!(levels.len(), crmlens::predict::features::MAX_LEVELS);
    assert_eq!(levels.len() + others.len(), 73, "{} levels, {} others", levels.len(), others.len());
    // The training table: values outside the 30 levels, all seen in training: no warning.
    let (_, w) = p.scores_checked(&ds).unwrap();
    assert!(w.is_empty(), "{w:?}");
    let rare = (0..rows).filter(|&i| !levels.contains(&ds.column("tenure").unwrap().get(i).to_text().unwrap())).count();
    assert!(rare > 100, "{rare}");
    // Saved and read back, the model still tells them apart.
    let back = Predictor::from_json(&p.to_json().unwrap()).unwrap();
    assert!(back.scores_checked(&ds).unwrap().1.is_empty());
    // Unseen values (`m99`) in every 50th row of the first 500: counted as unknown, only them.
    let edited = altered(&as_category, 500, |i, f| {
        if i % 50 == 0 {
            f[tenure] = "m99".into();
        }
    });
    let (_, w) = back.scores_checked(&load(&edited)).unwrap();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("`tenure`: 10 value(s) are not among the model's levels (e.g. `m99`)"), "{w:?}");
}
