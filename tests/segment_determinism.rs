//! Same data + same seed → the same segmentation, bit for bit. The labels, inertia and
//! silhouette and the projection of the first 50 rows of four runs are kept in tests/fixtures/segment/determinism.json; the wasm
//! build is checked against the same file (tests/web/main.rs and tests/js/segment.test.mjs),
//! so native and wasm must agree exactly. Regenerate after an intended change with
//! `UPDATE_SEGMENT_FIXTURES=1 cargo test --test segment_determinism`.

use crmlens::segment::{segment, SegmentOptions};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segment/");

/// (name, file, options)
const CASES: [(&str, &str, &str); 4] = [
    ("blobs_auto", "blobs.csv", r#"{"columns": ["x0", "x1", "x2", "x3", "x4"], "scaling": "none", "seed": 1}"#),
    ("mixed_kmeans_auto", "mixed.csv", r#"{"kRange": [2, 6], "nInit": 3}"#),
    (
        "mixed_kprototypes",
        "mixed.csv",
        r#"{"algorithm": "kprototypes", "k": 4, "scaling": "robust", "missing": "drop"}"#,
    ),
    ("mixed_minibatch", "mixed.csv", r#"{"algorithm": "minibatch", "k": 5, "weights": {"spend": 2}, "seed": 99}"#),
];

/// A float as the hex of its bits: exact in JSON and easy to compare from JS (DataView).
fn bits(v: f64) -> String {
    format!("{:016x}", v.to_bits())
}

fn run(file: &str, options: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(format!("{DIR}{file}")).unwrap();
    let ds = crmlens::io::read_csv_str(&text, Default::default()).unwrap();
    let opts: SegmentOptions = crmlens::options::options_from_json(options).unwrap();
    let s = segment(&ds, &opts).unwrap();
    serde_json::json!({
        "k": s.report.k,
        "labels": s.labels,
        "inertia": bits(s.report.inertia),
        "silhouette": bits(s.report.silhouette),
        "projection": s.projection.iter().take(100).map(|&v| bits(v)).collect::<Vec<_>>(),
    })
}

#[test]
fn runs_match_the_recorded_fixture() {
    let mut out = serde_json::Map::new();
    for (name, file, options) in CASES {
        let mut v = run(file, options);
        v["file"] = file.into();
        v["options"] = options.into();
        out.insert(name.to_string(), v);
    }
    let path = format!("{DIR}determinism.json");
    if std::env::var_os("UPDATE_SEGMENT_FIXTURES").is_some() {
        std::fs::write(&path, serde_json::to_string(&out).unwrap() + "\n").unwrap();
    }
    let recorded: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for (name, v) in &out {
        let r = &recorded[name];
        assert_eq!(r["labels"], v["labels"], "{name}: labels");
        for key in ["k", "inertia", "silhouette", "projection"] {
            assert_eq!(r[key], v[key], "{name}: {key}");
        }
    }
    // A second run in the same process gives the same again.
    let (_, file, options) = CASES[2];
    assert_eq!(run(file, options)["labels"], out["mixed_kprototypes"]["labels"]);
}
