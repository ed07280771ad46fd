//! Finding 08 (issue 19): NaN / Infinity returned as results, without an error, from
//! valid-typed options or extreme values — ALS scores, sentiment-model probabilities (segment's
//! centroids are in tests/segment_trust.rs). Each case now gives finite numbers or an error
//! that names the option.

use crmlens::io::{read_csv_str, LoadOptions};
use crmlens::options::options_from_json;
use crmlens::recommend::{RecommendOptions, Recommender, RecommenderOptions};
use crmlens::sentiment::trainable::{SentimentModel, TrainOptions};

fn csv(text: &str) -> crmlens::Dataset {
    read_csv_str(text, LoadOptions { header: Some(true), ..Default::default() }).unwrap()
}

fn rec_opts(json: &str) -> RecommenderOptions {
    options_from_json(json).unwrap()
}

/// (a) ALS with one user and a tiny regularisation: every score was NaN.
#[test]
fn als_one_user_tiny_regularization_scores_are_finite() {
    let one = csv(&format!("u,i\n{}", (0..10).map(|k| format!("x,i{k}\n")).collect::<String>()));
    for reg in ["1e-6", "0", "1e-30"] {
        let m = Recommender::fit_dataset(
            &one,
            &rec_opts(&format!(r#"{{"user": "u", "item": "i", "method": "als", "regularization": {reg}}}"#)),
        )
        .unwrap();
        let recs =
            m.recommend("x", &RecommendOptions { exclude_seen: Some(false), ..RecommendOptions::with_k(3) }).unwrap();
        assert_eq!(recs.len(), 3);
        assert!(recs.iter().all(|r| r.score.is_finite()), "regularization {reg}: {recs:?}");
    }
}

/// (b) ALS with a weight of 1e308 (or alpha 1e30): the confidence 1 + α·w overflowed and every
/// score was NaN. Now TOO_LARGE naming the weight (or alpha) before fitting.
#[test]
fn als_confidence_overflow_is_too_large() {
    let w = csv("u,i,w\nu1,a,1e308\nu1,b,1\nu2,a,1\nu2,c,2\nu3,b,1\nu3,c,1\n");
    let e = Recommender::fit_dataset(&w, &rec_opts(r#"{"user": "u", "item": "i", "weight": "w", "method": "als"}"#))
        .expect_err("refused");
    assert_eq!((e.code(), e.location().field.as_deref()), ("TOO_LARGE", Some("weight")), "{e}");
    let plain = csv("u,i,w\nu1,a,3\nu1,b,1\nu2,a,1\nu2,c,2\nu3,b,1\nu3,c,1\n");
    let e = Recommender::fit_dataset(
        &plain,
        &rec_opts(r#"{"user": "u", "item": "i", "weight": "w", "method": "als", "alpha": 1e30}"#),
    )
    .expect_err("refused");
    assert_eq!((e.code(), e.location().field.as_deref()), ("TOO_LARGE", Some("alpha")), "{e}");
    // Ordinary weights still fit, with finite scores.
    let m =
        Recommender::fit_dataset(&plain, &rec_opts(r#"{"user": "u", "item": "i", "weight": "w", "method": "als"}"#))
            .unwrap();
    let recs = m.recommend("u2", &RecommendOptions::with_k(3)).unwrap();
    assert!(!recs.is_empty() && recs.iter().all(|r| r.score.is_finite()), "{recs:?}");
}

fn texts() -> (Vec<String>, Vec<String>) {
    let texts: Vec<String> = (0..60).map(|i| format!("word{i} common")).collect();
    let labels = (0..60).map(|i| format!("c{}", i % 30)).collect();
    (texts, labels)
}

/// (c) The logistic sentiment model with l2 = 100 diverged to NaN probabilities. l2 is now
/// bounded (SGD's step × l2 must stay a decay) and the result finite.
#[test]
fn logistic_l2_is_bounded_and_probabilities_finite() {
    let (texts, labels) = texts();
    let t: Vec<&str> = texts.iter().map(|s| s.as_str()).collect();
    let l: Vec<&str> = labels.iter().map(|s| s.as_str()).collect();
    let opts = |json: &str| -> TrainOptions { options_from_json(json).unwrap() };
    let e = SentimentModel::train(&t, &l, &opts(r#"{"model": "logistic", "l2": 100}"#)).expect_err("refused");
    assert_eq!((e.code(), e.location().field.as_deref()), ("INVALID_OPTION", Some("l2")), "{e}");
    for l2 in ["1", "0.5", "0"] {
        let m = SentimentModel::train(&t, &l, &opts(&format!(r#"{{"model": "logistic", "l2": {l2}}}"#))).unwrap();
        let p = m.predict(&["word1 common", "word2"]);
        assert!(p.probability.iter().chain(&p.probabilities).all(|x| x.is_finite()), "l2 {l2}: {p:?}");
    }
    // A tampered model with a parameter of 1e308 is refused on load.
    let m = SentimentModel::train(&t, &l, &opts(r#"{"model": "logistic"}"#)).unwrap();
    let mut j = m.to_json();
    j.params[0] = 1e308;
    assert_eq!(SentimentModel::from_json(j).expect_err("refused").code(), "INVALID_OPTION");
}

/// Found by the fuzz harness (recommender_from_json): a model whose JSON was edited to hold
/// 1e308 in a factor loaded (it reads as an f32 infinity) and scored every item inf or NaN.
#[test]
fn tampered_recommender_json_with_huge_factor_is_refused() {
    let ds = csv("u,i\nu1,a\nu1,b\nu2,a\nu2,c\nu3,b\nu3,c\nu4,a\nu4,c\n");
    let m = Recommender::fit_dataset(&ds, &rec_opts(r#"{"user": "u", "item": "i", "method": "als", "factors": 2}"#))
        .unwrap();
    let mut j: serde_json::Value = serde_json::from_str(&m.to_json().unwrap()).unwrap();
    let users = j.pointer_mut("/model/als/factors/users").expect("ALS factors in the JSON");
    users[0] = serde_json::json!(1e308);
    let e = Recommender::from_json(&j.to_string()).expect_err("refused");
    assert_eq!(e.code(), "INVALID_OPTION", "{e}");
    // The untouched JSON still loads and scores.
    let back = Recommender::from_json(&m.to_json().unwrap()).unwrap();
    assert!(back.recommend("u1", &RecommendOptions::with_k(2)).unwrap().iter().all(|r| r.score.is_finite()));
}

/// Found by the fuzz harness (recommend, slow): 512 factors on a 5 KB table ran 7 s natively.
/// ALS's work is bounded before fitting: TOO_LARGE naming `factors`.
#[test]
fn als_work_is_bounded() {
    let mut text = String::from("u,i\n");
    for u in 0..3000 {
        for k in 0..3 {
            text.push_str(&format!("u{u},i{}\n", (u * 7 + k * 13) % 2000));
        }
    }
    let ds = csv(&text);
    let t = std::time::Instant::now();
    let e = Recommender::fit_dataset(&ds, &rec_opts(r#"{"user": "u", "item": "i", "method": "als", "factors": 512}"#))
        .expect_err("refused");
    assert_eq!((e.code(), e.location().field.as_deref()), ("TOO_LARGE", Some("factors")), "{e}");
    assert!(t.elapsed().as_secs() < 5);
}
