//! segment against scikit-learn's KMeans (tests/fixtures/segment/sklearn_reference.json, from
//! scripts/reference/segment_sklearn_reference.py) and on generated Gaussian blobs.

use crmlens::segment::{adjusted_rand_index, segment, SegmentOptions};
use crmlens::table::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segment/");

fn load(path: &str) -> crmlens::Dataset {
    crmlens::io::read_csv_str(&std::fs::read_to_string(path).unwrap(), Default::default()).unwrap()
}

fn reference() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}sklearn_reference.json")).unwrap()).unwrap()
}

#[test]
fn inertia_within_one_percent_of_scikit_learn_with_the_same_n_init() {
    for case in reference()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), case["file"].as_str().unwrap());
        let ds = load(&path);
        let opts = serde_json::json!({
            "columns": case["columns"],
            "k": case["k"],
            "nInit": case["n_init"],
            "scaling": case["scaling"],
            "algorithm": "kmeans",
        });
        let opts: SegmentOptions = serde_json::from_value(opts).unwrap();
        let s = segment(&ds, &opts).unwrap();
        let (ours, theirs) = (s.report.inertia, case["inertia"].as_f64().unwrap());
        let rel = (ours - theirs) / theirs;
        println!("{name}: crmlens {ours} scikit-learn {theirs} ({:+.4}%)", rel * 100.0);
        assert!(rel.abs() <= 0.01, "{name}: inertia {ours} vs scikit-learn {theirs}");
        // Same partition quality measures when the partition is the same.
        let sizes: Vec<u64> = s.report.segments.iter().map(|g| g.size as u64).collect();
        let sk_sizes: Vec<u64> = case["sizes"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        if sizes == sk_sizes && rel.abs() < 1e-9 {
            for (ours, key) in [
                (s.report.silhouette, "silhouette"),
                (s.report.davies_bouldin, "davies_bouldin"),
                (s.report.calinski_harabasz, "calinski_harabasz"),
            ] {
                let theirs = case[key].as_f64().unwrap();
                assert!((ours - theirs).abs() <= 1e-9 * theirs.abs().max(1.0), "{name} {key}: {ours} vs {theirs}");
            }
        }
    }
}

#[test]
fn gaussian_blobs_are_recovered() {
    let ds = load(&format!("{FIXTURES}blobs.csv"));
    let truth: Vec<u32> = {
        let c = ds.column("blob").unwrap();
        (0..ds.num_rows()).map(|i| if let Value::Int(v) = c.get(i) { v as u32 } else { panic!() }).collect()
    };
    let columns = r#"["x0", "x1", "x2", "x3", "x4"]"#;
    for (algorithm, k) in [("kmeans", "6"), ("minibatch", "6"), ("kmeans", "\"auto\"")] {
        let json = format!(r#"{{"columns": {columns}, "k": {k}, "algorithm": "{algorithm}", "scaling": "none"}}"#);
        let s = segment(&ds, &crmlens::options::options_from_json(&json).unwrap()).unwrap();
        let labels: Vec<u32> = s.labels.iter().map(|&l| l as u32).collect();
        let ari = adjusted_rand_index(&truth, &labels);
        println!("{algorithm} k={k}: ARI {ari}, {}", s.report.k_choice);
        assert!(ari >= 0.99, "{algorithm} k={k}: ARI {ari}");
        assert_eq!(s.report.k, 6);
    }
}
