//! Prediction on bad and awkward input (issue 17): clear errors or explicit warnings, never
//! a panic or a silent nonsense model; determinism, abort, and the JSON form's checks.

use std::cell::Cell;

use crmlens::io::read_csv_str;
use crmlens::predict::{train, train_sync, Predictor, TrainOptions};
use crmlens::rng::Rng;
use crmlens::task::{run, Control, Ctl, Pause, Progress};
use crmlens::Dataset;

/// `n` rows: a numeric signal, a category, a date, a boolean, a noisy binary target.
fn synthetic(n: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut s = String::from("id,spend,plan,joined,vip,churn\n");
    for i in 0..n {
        let spend = (rng.next_f64() * 100.0).round();
        let plan = ["basic", "plus", "pro"][rng.below(3)];
        let day = 1 + rng.below(28);
        let vip = rng.next_f64() < 0.3;
        let z = (spend - 50.0) / 20.0 + if plan == "pro" { 1.0 } else { 0.0 } + rng.next_f64() * 2.0 - 1.0;
        let churn = if z > 0.5 { "yes" } else { "no" };
        s.push_str(&format!("C{i:05},{spend},{plan},2020-03-{day:02},{vip},{churn}\n"));
    }
    s
}

fn ds(text: &str) -> Dataset {
    // Header stated: with one-letter names over text ids the sniffer may read it as data.
    read_csv_str(text, crmlens::io::LoadOptions::from_json(r#"{"header":true}"#).unwrap()).unwrap()
}

fn opts(json: &str) -> TrainOptions {
    TrainOptions::from_json(json).unwrap()
}

#[test]
fn every_model_trains_and_explains_on_mixed_columns() {
    let d = ds(&synthetic(400, 1));
    for model in ["logistic", "gbdt", "random-forest", "decision-tree", "svm"] {
        let p = train_sync(&d, &opts(&format!(r#"{{"target":"churn","positive":"yes","model":"{model}"}}"#))).unwrap();
        let auc = p.quality.auc.unwrap();
        assert!(auc > 0.8, "{model}: {auc}");
        assert!(p.features.left_out.iter().any(|l| l.name == "id"), "{model}");
        assert_eq!(p.features.used.len(), 4, "{model}");
        // Every row's factors add up to the model output.
        let x = crmlens::predict::features::encode(&d, &p.features.used, None).unwrap();
        let raw = p.fitted.score(&x).unwrap();
        let own = crmlens::predict::features::owners(&p.features.used);
        for (i, r) in raw.iter().enumerate().take(50) {
            let (base, c) = p.fitted.explain_row(&x.row(i), &own, 4).unwrap();
            assert!((base + c.iter().sum::<f64>() - r).abs() < 1e-9, "{model} row {i}");
        }
        let scored = p.predict(&d, 2).unwrap();
        let names = scored.column_names();
        assert_eq!(
            names,
            [
                "id",
                "probability",
                "label",
                "baseValue",
                "factor1",
                "factor1Value",
                "factor1Contribution",
                "factor2",
                "factor2Value",
                "factor2Contribution"
            ],
            "{model}"
        );
        // Round trip (serde_json reads floats to within an ulp, not always bit for bit).
        let back = Predictor::from_json(&p.to_json().unwrap()).unwrap();
        let (a, b) = (back.scores(&d).unwrap(), p.scores(&d).unwrap());
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-12), "{model}");
    }
}

#[test]
fn auto_reports_every_candidate_and_regression_works() {
    let d = ds(&synthetic(300, 2));
    let p = train_sync(&d, &opts(r#"{"target":"churn","positive":"yes"}"#)).unwrap();
    assert_eq!(p.candidates.len(), 3);
    assert_eq!(p.candidates.iter().filter(|c| c.chosen).count(), 1);
    assert!(p.candidates.iter().all(|c| !c.note.is_empty()));
    // A numeric target with many values is a regression.
    let p = train_sync(&d, &opts(r#"{"target":"spend","features":["plan","vip","churn"]}"#)).unwrap();
    assert_eq!(p.task, crmlens::predict::Task::Regression);
    assert!(p.quality.r2.unwrap() > 0.2, "{:?}", p.quality.r2);
    let scored = p.predict(&d, 1).unwrap();
    assert!(scored.column("value").is_ok());
}

#[test]
fn same_seed_same_model_and_seed_matters() {
    let d = ds(&synthetic(300, 3));
    let a = train_sync(&d, &opts(r#"{"target":"churn","model":"random-forest","validation":{"folds":3,"seed":4}}"#))
        .unwrap();
    let b = train_sync(&d, &opts(r#"{"target":"churn","model":"random-forest","validation":{"folds":3,"seed":4}}"#))
        .unwrap();
    assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
    let c = train_sync(&d, &opts(r#"{"target":"churn","model":"random-forest","validation":{"folds":3,"seed":5}}"#))
        .unwrap();
    assert_ne!(a.to_json().unwrap(), c.to_json().unwrap());
}

#[test]
fn bad_targets_are_clear_errors_or_warnings() {
    // One class.
    let text = synthetic(100, 4).replace(",yes\n", ",no\n");
    let e = train_sync(&ds(&text), &opts(r#"{"target":"churn","positive":"yes"}"#)).unwrap_err();
    assert_eq!(e.code(), "INVALID_OPTION");
    assert!(e.to_string().contains("one class"), "{e}");
    // Missing target values: counted, left out, said.
    let mut lines: Vec<String> = synthetic(200, 5).lines().map(String::from).collect();
    for l in lines.iter_mut().skip(1).step_by(10) {
        let cut = l.rfind(',').unwrap();
        l.truncate(cut + 1);
    }
    let p = train_sync(&ds(&(lines.join("\n") + "\n")), &opts(r#"{"target":"churn","positive":"yes"}"#)).unwrap();
    assert_eq!(p.quality.rows, 180);
    assert!(p.warnings.iter().any(|w| w.starts_with("20 rows have no value in `churn`")), "{:?}", p.warnings);
    // Three rows.
    let e = train_sync(&ds("a,b\n1,yes\n2,no\n3,yes\n"), &opts(r#"{"target":"b"}"#)).unwrap_err();
    assert_eq!(e.code(), "EMPTY_INPUT");
    assert!(e.to_string().contains("3 rows"), "{e}");
    // Unknown target column.
    let e = train_sync(&ds("a,b\n1,2\n"), &opts(r#"{"target":"c"}"#)).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_COLUMN");
    // A multi-valued text target needs `positive`.
    let e = train_sync(&ds(&synthetic(100, 6)), &opts(r#"{"target":"plan"}"#)).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("positive"));
}

#[test]
fn unusable_columns_are_left_out_with_reasons() {
    // Nothing usable: an id, an empty column, a constant, free text.
    let mut rng = Rng::new(7);
    let mut s = String::from("code,empty,same,note,y\n");
    for i in 0..200 {
        let y = rng.next_f64() < 0.4;
        s.push_str(&format!("K{i},,1,free text number {i} here,{y}\n"));
    }
    let e = train_sync(&ds(&s), &opts(r#"{"target":"y"}"#)).unwrap_err();
    assert_eq!(e.code(), "EMPTY_INPUT");
    let msg = e.to_string();
    assert!(msg.contains("no usable feature") && msg.contains("empty: every value is missing"), "{msg}");
    // With a real feature added, the report lists each column and why.
    let mut rng = Rng::new(8);
    let mut s = String::from("code,empty,same,x,y\n");
    for i in 0..300 {
        let x = rng.next_f64();
        s.push_str(&format!("K{i},,1,{x},{}\n", x + rng.next_f64() * 0.5 > 0.8));
    }
    let p = train_sync(&ds(&s), &opts(r#"{"target":"y"}"#)).unwrap();
    let why = |n: &str| p.features.left_out.iter().find(|l| l.name == n).map(|l| l.reason.clone()).unwrap_or_default();
    assert!(why("empty").contains("missing"), "{:?}", p.features.left_out);
    assert!(why("same").contains("constant"));
    assert!(!why("code").is_empty());
    // Asking for an unusable column by name is an error naming it.
    let e = train_sync(&ds(&s), &opts(r#"{"target":"y","features":["x","empty"]}"#)).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("features"));
    assert!(e.to_string().contains("`empty`"), "{e}");
}

#[test]
fn a_category_with_a_hundred_thousand_levels() {
    let mut rng = Rng::new(9);
    let mut s = String::with_capacity(4_000_000);
    s.push_str("sku,x,y\n");
    for i in 0..100_000 {
        let x = rng.next_f64();
        // Levels repeat only in the first 1,000 rows, so most of 10^5 are unique.
        let sku = if i < 1000 { i % 100 } else { i };
        s.push_str(&format!("S{sku},{x:.4},{}\n", x + rng.next_f64() > 1.0));
    }
    let d = ds(&s);
    let p = train_sync(&d, &opts(r#"{"target":"y","model":"logistic","validation":{"folds":2}}"#)).unwrap();
    let out = p.features.left_out.iter().find(|l| l.name == "sku").expect("sku left out");
    assert!(out.reason.contains("identifier-like"), "{}", out.reason);
    assert!(p.quality.auc.unwrap() > 0.75);
}

#[test]
fn a_leaking_column_is_flagged_and_left_out() {
    let text = synthetic(300, 10);
    let mut out = String::new();
    for (i, l) in text.lines().enumerate() {
        let extra = if i == 0 { "cancelled".to_string() } else { (l.ends_with("yes") as u8).to_string() };
        out.push_str(&format!("{l},{extra}\n"));
    }
    let p = train_sync(&ds(&out), &opts(r#"{"target":"churn","positive":"yes"}"#)).unwrap();
    assert!(p.features.left_out.iter().any(|l| l.name == "cancelled" && l.reason.contains("leakage")));
    assert!(p.warnings.iter().any(|w| w.contains("`cancelled`")));
}

#[test]
fn tampered_json_is_an_error_not_a_panic() {
    let d = ds(&synthetic(200, 11));
    for model in ["logistic", "gbdt"] {
        let p = train_sync(&d, &opts(&format!(r#"{{"target":"churn","model":"{model}"}}"#))).unwrap();
        let json = p.to_json().unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let mut cases: Vec<serde_json::Value> = Vec::new();
        let mut c = v.clone();
        c["version"] = 99.into();
        cases.push(c);
        let mut c = v.clone();
        c["format"] = "other".into();
        cases.push(c);
        let mut c = v.clone();
        c["features"]["used"] = serde_json::json!([]);
        cases.push(c);
        let mut c = v.clone();
        if model == "logistic" {
            c["fitted"]["coef"].as_array_mut().unwrap().pop();
        } else {
            // A node pointing at itself (a cycle) and a feature out of range.
            c["fitted"]["trees"][0]["nodes"][1]["left"] = 1.into();
            let mut d2 = v.clone();
            d2["fitted"]["trees"][0]["nodes"][0]["feature"] = 9999.into();
            cases.push(d2);
            // A chain of 200 levels (deeper than any trained tree).
            let mut deep = v.clone();
            let chain: Vec<serde_json::Value> = (0..401)
                .map(|i| {
                    let inner = i % 2 == 0 && i < 400;
                    serde_json::json!({"feature": 0, "threshold": 1.0, "missingLeft": false,
                        "left": if inner { i + 1 } else { 0 }, "right": if inner { i + 2 } else { 0 },
                        "value": 0.0, "cover": 1.0})
                })
                .collect();
            deep["fitted"]["trees"][0]["nodes"] = chain.into();
            cases.push(deep);
            let mut d3 = v.clone();
            d3["fitted"]["trees"][0]["nodes"][0]["left"] = 1_000_000.into();
            cases.push(d3);
        }
        cases.push(c);
        v["threshold"] = "high".into();
        cases.push(v);
        for (k, c) in cases.into_iter().enumerate() {
            match Predictor::from_json(&c.to_string()) {
                Ok(_) => panic!("{model}: tampered case {k} was accepted"),
                Err(e) => assert_eq!(e.code(), "INVALID_OPTION", "{model} case {k}: {e}"),
            }
        }
        assert!(Predictor::from_json("{").is_err());
        assert!(Predictor::from_json("[1,2]").is_err());
    }
}

#[test]
fn predicting_needs_the_feature_columns() {
    let d = ds(&synthetic(200, 12));
    let p = train_sync(&d, &opts(r#"{"target":"churn","model":"logistic"}"#)).unwrap();
    let e = p.predict(&ds("id,spend\nA,3\n"), 1).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_COLUMN");
    let e = p.predict(&d, 99).unwrap_err();
    assert_eq!(e.location().field.as_deref(), Some("explain"));
    // New data without the target, with unseen levels and missing values, scores.
    let s = p.predict(&ds("id,spend,plan,joined,vip\nA,,gold,2020-03-05,true\nB,80,pro,,\n"), 3).unwrap();
    let prob = s.column("probability").unwrap().to_f64().unwrap();
    assert!(prob.iter().all(|v| (0.0..=1.0).contains(v)), "{prob:?}");
}

struct Host {
    clock: Cell<f64>,
    ticks: Cell<usize>,
    abort_after: usize,
    phases: std::cell::RefCell<Vec<&'static str>>,
}

impl Control for Host {
    fn now_ms(&self) -> f64 {
        let t = self.clock.get() + 1.0;
        self.clock.set(t);
        t
    }
    fn progress(&self, p: &Progress) {
        self.ticks.set(self.ticks.get() + 1);
        let mut ph = self.phases.borrow_mut();
        if ph.last() != Some(&p.phase) {
            ph.push(p.phase);
        }
    }
    fn aborted(&self) -> bool {
        self.ticks.get() >= self.abort_after
    }
    fn pause(&self) -> Option<Pause> {
        None
    }
}

#[test]
fn training_reports_progress_and_can_be_aborted() {
    let d = ds(&synthetic(300, 13));
    let o = opts(r#"{"target":"churn","model":"gbdt","validation":{"folds":3}}"#);
    let host = Host { clock: Cell::new(0.0), ticks: Cell::new(0), abort_after: usize::MAX, phases: Default::default() };
    let mut ctl = Ctl::new(&host).with_slice(0.0);
    let p = run(train(&d, &o, &mut ctl)).unwrap();
    assert_eq!(*host.phases.borrow(), ["cv", "boost", "cv", "boost", "cv", "boost", "importance", "final", "boost"]);
    assert!(p.candidates[0].fit_ms > 0.0);
    let host = Host { clock: Cell::new(0.0), ticks: Cell::new(0), abort_after: 20, phases: Default::default() };
    let mut ctl = Ctl::new(&host).with_slice(0.0);
    assert_eq!(run(train(&d, &o, &mut ctl)).unwrap_err().code(), "ABORTED");
}

#[test]
fn class_weights_and_threshold_rules_change_what_they_should() {
    // Rare positives (~15%).
    let text = synthetic(600, 14).replace(",yes\n", ",maybe\n");
    let mut rng = Rng::new(15);
    let text: String = text
        .lines()
        .map(|l| {
            let l = match l.strip_suffix(",maybe") {
                Some(head) => format!("{head},{}", if rng.next_f64() < 0.35 { "yes" } else { "no" }),
                None => l.to_string(),
            };
            l + "\n"
        })
        .collect();
    let d = ds(&text);
    let plain = train_sync(&d, &opts(r#"{"target":"churn","positive":"yes","model":"logistic"}"#)).unwrap();
    let balanced =
        train_sync(&d, &opts(r#"{"target":"churn","positive":"yes","model":"logistic","classWeight":"balanced"}"#))
            .unwrap();
    let mean = |p: &Predictor| {
        let s = p.fitted.score(&crmlens::predict::features::encode(&d, &p.features.used, None).unwrap()).unwrap();
        s.iter().sum::<f64>() / s.len() as f64
    };
    // Balanced weights move the raw log-odds up (positives count more), not the ranking much.
    assert!(mean(&balanced) > mean(&plain) + 0.5, "{} vs {}", mean(&balanced), mean(&plain));
    assert!((balanced.quality.auc.unwrap() - plain.quality.auc.unwrap()).abs() < 0.03);
    // A 10% budget flags about 10% of rows.
    let top = train_sync(
        &d,
        &opts(r#"{"target":"churn","positive":"yes","model":"logistic","threshold":{"rule":"top","fraction":0.1}}"#),
    )
    .unwrap();
    let c = top.quality.confusion.unwrap();
    let flagged = (c.true_positive + c.false_positive) as f64 / 600.0;
    assert!((flagged - 0.1).abs() < 0.02, "{flagged}");
    assert!(top.quality.threshold_rule.as_deref().unwrap().contains("top 10%"));
    // A cost rule: a missed churner costing 10 false alarms flags more customers than the
    // reverse, and the chosen threshold costs no more out of fold than max-F1's.
    let cost = |fp: f64, fneg: f64| {
        let o = format!(
            r#"{{"target":"churn","positive":"yes","model":"logistic","threshold":{{"rule":"cost","falsePositive":{fp},"falseNegative":{fneg}}}}}"#
        );
        let p = train_sync(&d, &opts(&o)).unwrap();
        let c = p.quality.confusion.unwrap();
        assert!(p.quality.threshold_rule.as_deref().unwrap().contains("least cost"));
        (c.true_positive + c.false_positive, fp * c.false_positive as f64 + fneg * c.false_negative as f64)
    };
    let (eager, eager_cost) = cost(1.0, 10.0);
    let (shy, _) = cost(10.0, 1.0);
    assert!(eager > 3 * shy, "flagged {eager} vs {shy}");
    let c = plain.quality.confusion.unwrap();
    assert!(eager_cost <= c.false_positive as f64 + 10.0 * c.false_negative as f64);
}

#[test]
fn too_many_encoded_columns_is_too_large() {
    // 140 category columns of 40 levels each: 140 × 30 kept levels > 4,096 encoded columns.
    let mut rng = Rng::new(16);
    let mut s: String = (0..140).map(|j| format!("c{j},")).collect::<String>() + "y\n";
    for _ in 0..400 {
        for _ in 0..140 {
            s.push_str(&format!("L{},", rng.below(40)));
        }
        s.push_str(if rng.next_f64() < 0.5 { "yes\n" } else { "no\n" });
    }
    let e = train_sync(&ds(&s), &opts(r#"{"target":"y","positive":"yes"}"#)).unwrap_err();
    assert_eq!(e.code(), "TOO_LARGE");
    assert_eq!(e.location().field.as_deref(), Some("features"));
}

#[test]
fn small_or_too_good_results_carry_honest_warnings() {
    // 40 rows of pure noise: trained, but the AUC is said to be uncertain and no better than guessing.
    let mut rng = Rng::new(21);
    let mut s = String::from("x,z,y\n");
    for _ in 0..40 {
        s.push_str(&format!("{:.3},{:.3},{}\n", rng.next_f64(), rng.next_f64(), rng.next_f64() < 0.5));
    }
    let p = train_sync(&ds(&s), &opts(r#"{"target":"y","model":"logistic"}"#)).unwrap();
    let w = p.warnings.join(" | ");
    assert!(w.contains("uncertain by about ±") && w.contains("guessing"), "{w}");
    // A target that two columns determine together (neither alone passes the leakage guard):
    // the result is flagged as too good to be true.
    let mut s = String::from("spend,plan,churn\n");
    for _ in 0..600 {
        let spend = (rng.next_f64() * 100.0).round();
        let pro = rng.next_f64() < 0.5;
        let churn = spend + if pro { 40.0 } else { 0.0 } > 70.0;
        s.push_str(&format!("{spend},{},{churn}\n", if pro { "pro" } else { "basic" }));
    }
    let p = train_sync(&ds(&s), &opts(r#"{"target":"churn","model":"logistic"}"#)).unwrap();
    assert!(p.features.left_out.is_empty(), "{:?}", p.features.left_out);
    assert!(p.quality.auc.unwrap() >= 0.98);
    assert!(p.warnings.iter().any(|w| w.contains("recorded after the outcome")), "{:?}", p.warnings);
    // A clean, larger table: none of these warnings.
    let p = train_sync(&ds(&synthetic(2000, 22)), &opts(r#"{"target":"churn","positive":"yes","model":"logistic"}"#))
        .unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

/// Fuzz campaign 7's predict finding: a linear regression trained on a table with ±1e308
/// cells scored Infinity. A numeric column past ±1e150 is left out with the reason, and a
/// regression target past it is a TOO_LARGE error naming `target`.
#[test]
fn values_that_overflow_the_scaler_are_left_out_or_refused() {
    let mut rng = Rng::new(11);
    let mut s = String::from("x,huge,spend\n");
    for i in 0..300 {
        let x = rng.next_f64() * 10.0;
        let huge = match i % 3 {
            0 => "1e308".to_string(),
            1 => "-1e308".to_string(),
            _ => format!("{}", rng.next_f64()),
        };
        s.push_str(&format!("{x},{huge},{}\n", x + 10.0 * rng.next_f64()));
    }
    let table = ds(&s);
    for model in ["linear", "gbdt", "auto"] {
        let p = train_sync(&table, &opts(&format!(r#"{{"target":"spend","task":"regression","model":"{model}"}}"#)))
            .unwrap();
        let why = p.features.left_out.iter().find(|l| l.name == "huge").map(|l| l.reason.clone()).unwrap_or_default();
        assert!(why.contains("too large"), "{model}: {:?}", p.features.left_out);
        let scores = p.scores(&table).unwrap();
        assert!(scores.iter().all(|v| v.is_finite()), "{model}: a score is not finite");
    }
    // Fuzz campaign 8: a row left out of training (its target missing) holds 1e308 in a used
    // feature; scoring it read the value as it was and gave Infinity. It is scored as missing.
    let mut s = String::from("x,z,spend\n");
    let mut rng = Rng::new(12);
    for i in 0..200 {
        let x = rng.next_f64() * 10.0;
        let z = rng.next_f64();
        let spend = if i == 15 { String::new() } else { format!("{}", x + 10.0 * rng.next_f64()) };
        let z = if i == 15 { "1e308".to_string() } else { format!("{z}") };
        s.push_str(&format!("{x},{z},{spend}\n"));
    }
    let t2 = ds(&s);
    for model in ["linear", "gbdt"] {
        let p = train_sync(
            &t2,
            &opts(&format!(r#"{{"target":"spend","task":"regression","model":"{model}","features":["x","z"]}}"#)),
        )
        .unwrap();
        let scores = p.scores(&t2).unwrap();
        assert!(
            scores[15].is_finite() && scores.iter().all(|v| v.is_finite()),
            "{model}: row 15 scored {}",
            scores[15]
        );
    }
    // The same column as the target.
    let e = train_sync(&table, &opts(r#"{"target":"huge","task":"regression"}"#)).unwrap_err();
    assert_eq!((e.code(), e.location().field.as_deref()), ("TOO_LARGE", Some("target")), "{e}");
}
