//! Prediction on real data (issue 17): Telco churn and Bank marketing against the quality
//! bars and the scikit-learn reference (tests/fixtures/predict/sklearn_reference.json from
//! scripts/reference/predict_sklearn.py), and CDNOW order-log labels from
//! `transaction_features` against BG/NBD's expected purchases used directly as the score.
//! The data sit in ../shared/data (see its MANIFEST.md) and are not copied here.

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::predict::metrics::auc;
use crmlens::predict::{
    train_sync, transaction_features, ModelKind, Predictor, TrainOptions, TransactionFeatureOptions,
};
use crmlens::Dataset;

fn load(rel: &str, opts: &str) -> Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    read_csv_bytes(&bytes, LoadOptions::from_json(opts).unwrap()).unwrap()
}

fn reference() -> serde_json::Value {
    let text = include_str!("fixtures/predict/sklearn_reference.json");
    serde_json::from_str(text).unwrap()
}

fn telco() -> Dataset {
    load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "{}")
}

#[test]
fn telco_churn_logistic_meets_the_bar_and_explains_itself() {
    let ds = telco();
    let opts = TrainOptions::from_json(
        r#"{"target":"Churn","positive":"Yes","model":"logistic","validation":{"folds":5,"seed":0}}"#,
    )
    .unwrap();
    let p = train_sync(&ds, &opts).unwrap();
    let q = &p.quality;
    let auc = q.auc.unwrap();
    let sk = reference()["telco"]["logistic"]["auc"].as_f64().unwrap();
    assert!(auc >= 0.845, "Telco 5-fold AUC {auc}");
    assert!(auc >= sk - 0.005, "ours {auc} vs scikit-learn {sk}");
    assert_eq!(p.quality.rows, 7043);
    // customerID is an identifier, left out with the reason; everything else is used.
    assert_eq!(p.features.left_out.len(), 1);
    assert_eq!(p.features.left_out[0].name, "customerID");
    assert!(p.features.left_out[0].reason.contains("identifier"));
    assert_eq!(p.features.used.len(), 19);
    // Importance in the columns' own names; tenure and contract terms lead churn.
    let top: Vec<&str> = p.importance.iter().take(4).map(|i| i.feature.as_str()).collect();
    assert!(top.contains(&"tenure"), "{top:?}");
    assert!(p.importance.iter().all(|i| ds.column(&i.feature).is_ok()));
    // Lift: the top decile churns at well over twice the average rate; gains reach 100%.
    assert!(q.lift[0].lift > 2.5, "{:?}", q.lift[0]);
    assert!((q.lift.last().unwrap().cumulative_gain - 1.0).abs() < 1e-12);
    assert_eq!(q.grade, "A");
    assert!(q.explanation.contains("top 20%"), "{}", q.explanation);
    // Confusion at the max-F1 threshold adds up and matches the reported F1.
    let c = q.confusion.unwrap();
    assert_eq!(c.true_positive + c.false_positive + c.true_negative + c.false_negative, 7043);
    assert_eq!(c.true_positive + c.false_negative, 1869);
    assert!((c.f1() - q.f1.unwrap()).abs() < 1e-12);
    assert!(q.brier.unwrap() < q.baseline.brier.unwrap() * 0.75);

    // Scoring with explanations: base + every factor = the model's log-odds.
    let scored = p.predict(&ds, 19).unwrap();
    assert_eq!(scored.num_rows(), 7043);
    assert_eq!(scored.column_names()[..3], ["customerID", "probability", "label"]);
    let prob = scored.column("probability").unwrap().to_f64().unwrap();
    let base = scored.column("baseValue").unwrap().to_f64().unwrap();
    for i in (0..7043).step_by(701) {
        let total: f64 = base[i]
            + (1..=19)
                .map(|k| scored.column(&format!("factor{k}Contribution")).unwrap().to_f64().unwrap()[i])
                .sum::<f64>();
        let p_from = p.calibration.apply(total, true);
        assert!((p_from - prob[i]).abs() < 1e-9, "row {i}: {p_from} vs {}", prob[i]);
    }
    // The JSON form scores identically.
    let back = Predictor::from_json(&p.to_json().unwrap()).unwrap();
    let again = back.scores(&ds).unwrap();
    assert!(again.iter().zip(&prob).all(|(a, b)| (a - b).abs() < 1e-12));
}

#[test]
fn bank_marketing_without_duration_meets_the_bar() {
    let ds = load("bank_marketing/bank.csv", r#"{"delimiter":";"}"#);
    let features: Vec<&str> = ds.column_names().into_iter().filter(|n| *n != "y" && *n != "duration").collect();
    let json = serde_json::json!({"target": "y", "positive": "yes", "model": "gbdt", "features": features});
    let p = train_sync(&ds, &TrainOptions::from_json(&json.to_string()).unwrap()).unwrap();
    assert_eq!(p.model, ModelKind::Gbdt);
    let auc = p.quality.auc.unwrap();
    let sk = reference()["bank"]["gbdt"]["auc"].as_f64().unwrap();
    assert!(auc >= 0.735, "Bank 5-fold AUC {auc}");
    assert!(auc >= sk - 0.01, "ours {auc} vs scikit-learn HistGradientBoosting {sk}");
    assert!(p.features.used.iter().all(|f| f.name != "duration"));
    // Trees: TreeSHAP contributions add up to the boosted log-odds.
    let scored = p.predict(&ds, 15).unwrap();
    let base = scored.column("baseValue").unwrap().to_f64().unwrap();
    let prob = scored.column("probability").unwrap().to_f64().unwrap();
    for i in (0..ds.num_rows()).step_by(500) {
        let total: f64 = base[i]
            + (1..=15)
                .map(|k| scored.column(&format!("factor{k}Contribution")).unwrap().to_f64().unwrap()[i])
                .sum::<f64>();
        assert!((p.calibration.apply(total, true) - prob[i]).abs() < 1e-9);
    }
}

#[test]
fn cdnow_bought_again_beats_bgnbd_expected_purchases() {
    let log = load("cdnow_lifetimes/CDNOW_master.txt", r#"{"delimiter":"whitespace"}"#);
    let opts = TransactionFeatureOptions::from_json(
        r#"{"customer":"customer_id","date":"date","amount":"dollar_value","cutoff":"1997-09-30","horizon":"1998-06-30"}"#,
    )
    .unwrap();
    let tf = transaction_features(&log, &opts).unwrap();
    let ds = &tf.customers;
    assert_eq!(ds.num_rows(), 23570);
    assert_eq!(tf.report.horizon_days, 273);
    let bought: Vec<bool> = match &ds.column("purchasedInHorizon").unwrap().data {
        crmlens::table::ColumnData::Bool(v) => v.clone(),
        _ => panic!(),
    };
    let expected = ds.column("expectedPurchases").unwrap().to_f64().unwrap();
    let bgnbd_auc = auc(&bought, &expected);

    let p = train_sync(
        ds,
        &TrainOptions::from_json(
            r#"{"target":"purchasedInHorizon","model":"logistic","validation":{"folds":5,"seed":1}}"#,
        )
        .unwrap(),
    )
    .unwrap();
    let ours = p.quality.auc.unwrap();
    assert!(ours > bgnbd_auc, "model {ours} vs BG/NBD expected purchases {bgnbd_auc}");
    // The spend label is a copy of the target: the leakage guard leaves it out.
    let leak = p.features.left_out.iter().find(|l| l.name == "spendInHorizon").expect("spendInHorizon left out");
    assert!(leak.reason.contains("leakage"), "{}", leak.reason);
    assert!(p.features.left_out.iter().any(|l| l.name == "customer"));
    eprintln!("CDNOW bought-again AUC: model {ours:.4}, BG/NBD expected purchases {bgnbd_auc:.4}");
}
