//! The native side of "native = wasm" for prediction (issue 17, item 6): Telco churn trained
//! natively with fixed seeds; its out-of-fold quality, importance and a sample of scores are
//! the fixture `tests/fixtures/predict/native_telco.json`, which tests/js/predict.test.mjs
//! compares with the same training run in the package's wasm module (`predict`).
//! This test fails when the native numbers move away from the fixture (regenerate it with
//! `CRMLENS_UPDATE_FIXTURES=1 cargo test --test predict_native_fixture`, and say why in the
//! commit).

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::predict::{train_sync, TrainOptions};
use serde_json::json;

const FIXTURE: &str = "tests/fixtures/predict/native_telco.json";

fn run(options: &str) -> serde_json::Value {
    let path = format!(
        "{}/../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    let ds = read_csv_bytes(&bytes, LoadOptions::default()).unwrap();
    let p = train_sync(&ds, &TrainOptions::from_json(options).unwrap()).unwrap();
    let q = &p.quality;
    let scores = p.scores(&ds).unwrap();
    // A saved model reads back bit for bit (serde_json's float_roundtrip) and scores identically.
    let back = crmlens::predict::Predictor::from_json(&p.to_json().unwrap()).unwrap();
    assert_eq!(back.scores(&ds).unwrap(), scores, "scores after to_json / from_json");
    json!({
        "options": serde_json::from_str::<serde_json::Value>(options).unwrap(),
        "model": p.model.name(),
        "auc": q.auc, "prAuc": q.pr_auc, "logLoss": q.log_loss, "brier": q.brier, "f1": q.f1,
        "threshold": q.threshold, "confusion": q.confusion, "grade": q.grade,
        "importance": p.importance.iter().take(5).map(|i| json!({"feature": i.feature, "mean": i.mean})).collect::<Vec<_>>(),
        "scores": scores.iter().step_by(500).copied().collect::<Vec<f64>>(),
    })
}

#[test]
fn telco_native_numbers_are_the_fixture() {
    let got = json!({
        "logistic": run(r#"{"target":"Churn","positive":"Yes","model":"logistic","validation":{"folds":5,"seed":1}}"#),
        "gbdt": run(r#"{"target":"Churn","positive":"Yes","model":"gbdt","validation":{"folds":3,"seed":2}}"#),
    });
    let path = format!("{}/{FIXTURE}", env!("CARGO_MANIFEST_DIR"));
    // Compared as text: the shortest round-trip form of every number, so equal text is equal bits.
    let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
    if std::env::var_os("CRMLENS_UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, want, "native prediction numbers moved from {FIXTURE}");
    assert!(got["logistic"]["auc"].as_f64().unwrap() >= 0.845);
}
