//! Segmentation on the Mall Customers data (../shared/data/mall_customers, 200 customers):
//! the known five-segment solution on income and spending score, the choice of k, and the
//! descriptions.

use crmlens::segment::{segment, SegmentOptions};
use crmlens::table::Value;

const MALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mall_customers/Mall_Customers.csv");
const INCOME_SPENDING: &str = r#""columns": ["annual_income_thousands", "spending_score"]"#;

fn mall() -> crmlens::Dataset {
    crmlens::io::read_csv_str(&std::fs::read_to_string(MALL).unwrap(), Default::default()).unwrap()
}

fn opts(json: &str) -> SegmentOptions {
    crmlens::options::options_from_json(json).unwrap()
}

fn numbers(ds: &crmlens::Dataset, name: &str) -> Vec<f64> {
    let c = ds.column(name).unwrap();
    (0..ds.num_rows())
        .map(|i| match c.get(i) {
            Value::Int(v) => v as f64,
            Value::Float(v) => v,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn income_and_spending_k5_gives_the_known_sizes_centroids_and_descriptions() {
    let ds = mall();
    let s = segment(&ds, &opts(&format!(r#"{{{INCOME_SPENDING}, "k": 5}}"#))).unwrap();
    let r = &s.report;
    let sizes: Vec<usize> = r.segments.iter().map(|g| g.size).collect();
    assert_eq!(sizes, [81, 39, 35, 23, 22]);
    assert_eq!(r.algorithm, "kmeans");
    assert!(r.converged);
    assert_eq!(r.centroid_columns, ["annual_income_thousands", "spending_score"]);

    // Centroids are in the original units: the mean income and score of each segment's rows.
    let (income, score) = (numbers(&ds, "annual_income_thousands"), numbers(&ds, "spending_score"));
    for g in &r.segments {
        let rows: Vec<usize> = (0..200).filter(|&i| s.labels[i] == g.id as i32).collect();
        assert_eq!(rows.len(), g.size);
        let mean = |v: &[f64]| rows.iter().map(|&i| v[i]).sum::<f64>() / rows.len() as f64;
        let id = g.id as usize;
        assert!((s.centroids[2 * id] - mean(&income)).abs() < 1e-9);
        assert!((s.centroids[2 * id + 1] - mean(&score)).abs() < 1e-9);
        assert!((g.share - g.size as f64 / 200.0).abs() < 1e-12);
        println!(
            "{} {:>3} {:>6.1} {:>5.1}  {}",
            g.id,
            g.size,
            s.centroids[2 * id],
            s.centroids[2 * id + 1],
            g.description
        );
    }
    // The big middle segment is average; the others are told apart by both columns.
    assert_eq!(r.segments[0].description, "close to the overall average");
    let find = |income_high: bool, score_high: bool| {
        r.segments
            .iter()
            .find(|g| {
                let z = |j: usize| g.features[j].z.unwrap();
                (z(0) > 0.5) == income_high && (z(0) < -0.5) != income_high && (z(1) > 0.5) == score_high
            })
            .unwrap()
    };
    let rich_thrifty = find(true, false);
    assert!(rich_thrifty.description.contains("high annual income"), "{}", rich_thrifty.description);
    assert!(rich_thrifty.description.contains("low spending score"), "{}", rich_thrifty.description);
    let rich_spender = find(true, true);
    assert!(rich_spender.description.contains("high spending score"), "{}", rich_spender.description);
    let feature = &rich_thrifty.features[1];
    assert_eq!(feature.column, "spending_score");
    let expect_z = (feature.mean.unwrap() - feature.overall_mean.unwrap()) / {
        let m = score.iter().sum::<f64>() / 200.0;
        (score.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 200.0).sqrt()
    };
    assert!((feature.z.unwrap() - expect_z).abs() < 1e-12);

    // The projection of two standardised columns keeps all the variance.
    assert_eq!(s.projection.len(), 400);
    assert!(s.projection.iter().all(|v| v.is_finite()));
    assert!((r.explained_variance[0] + r.explained_variance[1] - 1.0).abs() < 1e-12);
    assert!(r.silhouette_method.exact);
}

#[test]
fn auto_picks_five_on_income_and_spending_and_says_why() {
    let ds = mall();
    let s = segment(&ds, &opts(&format!("{{{INCOME_SPENDING}}}"))).unwrap();
    let r = &s.report;
    println!("{}", r.k_choice);
    assert_eq!(r.k, 5);
    assert_eq!(r.k_scores.iter().map(|x| x.k).collect::<Vec<_>>(), (2..=10).collect::<Vec<_>>());
    let best = r.k_scores.iter().max_by(|a, b| a.silhouette.total_cmp(&b.silhouette)).unwrap();
    assert_eq!(best.k, 5);
    assert!(
        r.k_choice.starts_with("k = 5: the highest silhouette over all rows (0.555) of k = 2–10"),
        "{}",
        r.k_choice
    );
    // Inertia falls as k grows (each k has its own restarts).
    assert!(r.k_scores.windows(2).all(|w| w[1].inertia < w[0].inertia));
    // Auto's k = 5 is the same segmentation as asking for k = 5 (each k has its own random stream).
    let fixed = segment(&ds, &opts(&format!(r#"{{{INCOME_SPENDING}, "k": 5}}"#))).unwrap();
    assert_eq!(fixed.labels, s.labels);
}

#[test]
fn every_column_by_default_with_gender_in_the_descriptions() {
    let ds = mall();
    for algorithm in ["kmeans", "kprototypes"] {
        let s = segment(&ds, &opts(&format!(r#"{{"algorithm": "{algorithm}", "k": 6}}"#))).unwrap();
        let r = &s.report;
        let prep = &r.preparation;
        assert_eq!(prep.numeric_columns, ["age", "annual_income_thousands", "spending_score"]);
        assert_eq!(prep.categorical_columns, ["gender"]);
        assert_eq!(prep.excluded.len(), 1);
        assert_eq!(prep.excluded[0].column, "customer_id");
        assert_eq!((prep.rows_used, prep.rows_dropped), (200, 0));
        assert_eq!(r.gamma.is_some(), algorithm == "kprototypes");
        for g in &r.segments {
            println!("{algorithm} {} {:>3} {}", g.id, g.size, g.description);
            let gender = g.features.iter().find(|f| f.column == "gender").unwrap();
            assert!(gender.level.as_deref() == Some("Female") || gender.level.as_deref() == Some("Male"));
            let lift = gender.share.unwrap() / gender.overall_share.unwrap();
            assert!((gender.lift.unwrap() - lift).abs() < 1e-12);
            if gender.share.unwrap() >= 0.5 && lift >= 1.15 {
                assert!(g.description.contains(&format!("mostly {}", gender.level.as_deref().unwrap().to_lowercase())));
            }
        }
        assert!(r.segments.iter().any(|g| g.description.contains("older")));
        assert!(r
            .segments
            .iter()
            .any(|g| g.description.contains("mostly female") || g.description.contains("mostly male")));
    }
}
