//! The recommender on a real purchase log: the first 5,000 rows of UCI Online Retail
//! (../shared/data/online_retail_uci_first5000), customers → stock codes weighted by quantity.

use crmlens::io::read_csv_bytes;
use crmlens::recommend::{Method, RecommendFilter, RecommendOptions, Recommender, RecommenderOptions};
use crmlens::Dataset;

fn retail() -> Dataset {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/online_retail_uci_first5000/online_retail_small.csv");
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    read_csv_bytes(&bytes, Default::default()).unwrap()
}

fn options(method: Method) -> RecommenderOptions {
    RecommenderOptions {
        user: "CustomerID".into(),
        item: "StockCode".into(),
        weight: Some("Quantity".into()),
        timestamp: Some("InvoiceDate".into()),
        method: Some(method),
        // Small enough for a fast debug build; the defaults are exercised on MovieLens.
        factors: Some(16),
        ..Default::default()
    }
}

/// Independent count of what the file holds, read with plain string splitting.
fn expected_counts() -> (usize, usize, usize) {
    let ds = retail();
    let (cust, qty) = (ds.column("CustomerID").unwrap(), ds.column("Quantity").unwrap());
    let (mut missing_user, mut non_positive, mut used) = (0, 0, 0);
    for r in 0..ds.num_rows() {
        let q = cust.get(r);
        let w = qty.to_f64().unwrap()[r];
        // A row missing its customer counts as that, whatever its quantity.
        if matches!(q, crmlens::table::Value::Null) {
            missing_user += 1;
        } else if w <= 0.0 {
            non_positive += 1;
        } else {
            used += 1;
        }
    }
    (missing_user, non_positive, used)
}

#[test]
fn every_row_is_used_or_counted() {
    let r = Recommender::fit_dataset(&retail(), &options(Method::Popularity)).unwrap();
    let rep = r.report();
    assert_eq!(rep.rows, 5000);
    let (missing_user, non_positive, used) = expected_counts();
    assert_eq!(rep.missing_weight + rep.missing_timestamp + rep.missing_item, 0, "{rep:?}");
    assert_eq!(rep.non_positive_weight, non_positive);
    assert_eq!(rep.missing_user, missing_user);
    assert_eq!(rep.used, used);
    assert_eq!(rep.rows, rep.used + rep.missing_user + rep.non_positive_weight);
    assert_eq!(r.data.matrix.nnz() + rep.merged_duplicates, rep.used);
    assert!(missing_user > 1000 && non_positive > 50, "{rep:?}");
}

#[test]
fn recommendations_explain_themselves_and_survive_json() {
    let ds = retail();
    for method in [Method::ItemKnn, Method::Als] {
        // Bought or not (no quantity weight), so that a fold-in of a customer's own items
        // (which weigh 1 each) is comparable with the trained customer.
        let fit_opts = RecommenderOptions { weight: None, ..options(method) };
        let r = Recommender::fit_dataset(&ds, &fit_opts).unwrap();
        assert_eq!(r.method, method);
        // The customer with the most distinct items.
        let u = (0..r.users().len()).max_by_key(|&u| r.data.matrix.row_len(u)).unwrap();
        let user = r.users()[u].clone();
        let (seen, _) = r.data.matrix.row(u);
        let seen: Vec<&str> = seen.iter().map(|&i| r.items()[i as usize].as_str()).collect();
        let recs = r.recommend(&user, &RecommendOptions::with_k(5)).unwrap();
        assert_eq!(recs.len(), 5);
        for w in recs.windows(2) {
            assert!(w[0].score >= w[1].score);
        }
        for rec in &recs {
            assert!(!seen.contains(&rec.item.as_str()), "{method:?}: seen item {} recommended", rec.item);
            assert!(!rec.fallback);
            assert!(!rec.because.is_empty() && rec.because.len() <= 3, "{method:?}: {rec:?}");
            assert!(rec.because.iter().all(|b| seen.contains(&b.as_str())), "{method:?}: {rec:?}");
        }
        // excludeSeen: false may return seen items; a filter restricts the candidates.
        let only: Vec<String> = r.items()[..30].to_vec();
        let opts = RecommendOptions {
            k: Some(50),
            exclude_seen: Some(false),
            filter: Some(RecommendFilter { include: Some(only.clone()), exclude: Some(vec![only[0].clone()]) }),
        };
        let filtered = r.recommend(&user, &opts).unwrap();
        assert_eq!(filtered.len(), 29);
        assert!(filtered.iter().all(|x| only[1..].contains(&x.item)));

        // Unknown user: popularity, flagged.
        let unknown = r.recommend("no such customer", &RecommendOptions::with_k(3)).unwrap();
        assert!(unknown.iter().all(|x| x.fallback && x.because.is_empty()));
        let top_pop = (0..r.items().len()).max_by(|&a, &b| r.popularity[a].total_cmp(&r.popularity[b]).then(b.cmp(&a)));
        assert_eq!(unknown[0].item, r.items()[top_pop.unwrap()]);

        // Fold-in of the user's own items (each weighing 1, while repeat purchases weigh more in
        // training) mostly recommends the same; with the user's own weights kNN gives exactly
        // the trained user's list.
        let history: Vec<String> = seen.iter().map(|s| s.to_string()).collect();
        let folded = r.recommend_for(&history, &RecommendOptions::with_k(5)).unwrap();
        assert!(folded.iter().all(|x| !x.fallback && !seen.contains(&x.item.as_str())));
        let overlap = folded.iter().filter(|x| recs.iter().any(|y| y.item == x.item)).count();
        assert!(overlap >= 3, "{method:?}: fold-in {folded:?} vs {recs:?}");
        if method == Method::ItemKnn {
            let (idx, w) = r.data.matrix.row(u);
            let own: Vec<(&str, f32)> = idx.iter().zip(w).map(|(&i, &w)| (r.items()[i as usize].as_str(), w)).collect();
            assert_eq!(r.recommend_for_weighted(&own, &RecommendOptions::with_k(5)).unwrap(), recs);
            // A one-item history scores by that item's neighbour similarities.
            let one = r.recommend_for(&history[..1], &RecommendOptions::with_k(3)).unwrap();
            let sim = r.similar_items(&history[0], 3).unwrap();
            assert_eq!(
                one.iter().map(|x| &x.item).collect::<Vec<_>>(),
                sim.iter().map(|x| &x.item).collect::<Vec<_>>()
            );
        }
        assert!(r.recommend_for(&["nope".to_string()], &RecommendOptions::with_k(2)).unwrap()[0].fallback);

        let sim = r.similar_items(&recs[0].item, 5).unwrap();
        assert!(!sim.is_empty() && sim.iter().all(|s| s.item != recs[0].item));
        assert_eq!(r.similar_items("nope", 5).unwrap_err().code(), "INVALID_OPTION");

        // JSON round trip: same answers; same input + seed: same model.
        let back = Recommender::from_json(&r.to_json().unwrap()).unwrap();
        assert_eq!(back.recommend(&user, &RecommendOptions::with_k(5)).unwrap(), recs);
        let again = Recommender::fit_dataset(&ds, &fit_opts).unwrap();
        assert_eq!(again.to_json().unwrap(), r.to_json().unwrap());

        let many = r.recommend_many(&[user.clone(), "nobody".into()], 5).unwrap();
        assert_eq!(many[0].recommendations, recs);
        assert!(many[1].fallback && !many[0].fallback);
    }
}

#[test]
fn bad_models_and_options_are_errors() {
    assert_eq!(Recommender::from_json("{}").unwrap_err().code(), "INVALID_OPTION");
    let r = Recommender::fit_dataset(&retail(), &options(Method::ItemKnn)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&r.to_json().unwrap()).unwrap();
    v["popularity"].as_array_mut().unwrap().pop();
    assert_eq!(Recommender::from_json(&v.to_string()).unwrap_err().code(), "INVALID_OPTION");
    let mut o = options(Method::Als);
    o.item = "Nope".into();
    assert_eq!(Recommender::fit_dataset(&retail(), &o).unwrap_err().code(), "UNKNOWN_COLUMN");
    let mut o = options(Method::Als);
    o.weight = Some("Description".into());
    assert_eq!(Recommender::fit_dataset(&retail(), &o).unwrap_err().code(), "INVALID_OPTION");
}

#[test]
fn auto_and_evaluate_compare_with_popularity() {
    let ds = retail();
    let r = Recommender::fit_dataset(&ds, &options(Method::Auto)).unwrap();
    let auto = r.auto.as_ref().unwrap();
    assert_eq!(auto.candidates.len(), 3);
    let best = auto.candidates.iter().map(|c| c.1).fold(f64::MIN, f64::max);
    assert_eq!(auto.candidates.iter().find(|c| c.0 == r.method).unwrap().1, best);
    let e = r.evaluate(&Default::default()).unwrap();
    assert_eq!(e.method, r.method);
    assert!(e.users > 50 && e.held_out == e.users, "{e:?}");
    assert!((e.model.ndcg - best).abs() < 1e-12, "auto's score is this evaluation's");
    let e2 = r
        .evaluate(&crmlens::recommend::EvaluateOptions {
            k: Some(5),
            split: Some(crmlens::recommend::Split::Random),
            seed: Some(1),
        })
        .unwrap();
    assert!(e2.held_out > e2.users);
    for m in [e.model, e.baseline, e2.model, e2.baseline] {
        for x in [m.precision, m.recall, m.map, m.ndcg, m.coverage] {
            assert!((0.0..=1.0).contains(&x));
        }
    }
}

/// Recency: newer purchases count more than old ones, so the ranking differs from plain
/// popularity exactly by the decay; it is a baseline (no `because`) and can be evaluated.
#[test]
fn recency_baseline_ranks_by_decayed_popularity() {
    let ds = retail();
    let r = Recommender::fit_dataset(&ds, &options(Method::Recency)).unwrap();
    assert_eq!(r.method, Method::Recency);
    let recs = r.recommend("no such customer", &RecommendOptions::with_k(5)).unwrap();
    assert!(recs.iter().all(|x| x.fallback), "unknown users still get the popularity fallback");
    let user = r.users()[1].clone();
    let mine = r.recommend(&user, &RecommendOptions::with_k(10)).unwrap();
    assert!(mine.iter().all(|x| !x.fallback && x.because.is_empty()));
    for w in mine.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
    // Independent oracle: each (customer, item) pair's latest time, decayed with a half-life of
    // a quarter of the span.
    let times: Vec<f64> = r.data.time.clone();
    let (lo, hi) = times.iter().fold((f64::MAX, f64::MIN), |(a, b), &t| (a.min(t), b.max(t)));
    let top = r.item_id(&mine[0].item).unwrap();
    let expected: f64 = (0..r.data.matrix.nnz())
        .filter(|&e| r.data.matrix.indices[e] == top)
        .map(|e| 0.5f64.powf((hi - times[e]) / ((hi - lo) / 4.0)))
        .sum();
    assert!((mine[0].score - expected).abs() < 1e-4 * expected, "{} vs {expected}", mine[0].score);
    let e = r.evaluate(&Default::default()).unwrap();
    assert_eq!(e.method, Method::Recency);
    let o = RecommenderOptions { timestamp: None, ..options(Method::Recency) };
    assert_eq!(Recommender::fit_dataset(&ds, &o).unwrap_err().location().field.as_deref(), Some("method"));
}
