//! ALS is deterministic for a seed and the same natively and in WebAssembly (whose simd128
//! kernels add in the same order as the portable ones): digests of the factor bits of two fits
//! on Online Retail (factor counts 13 and 21 exercise every kernel tail) are recorded in
//! tests/fixtures/recommend/als_determinism.json; tests/web/recommend.rs checks the wasm build
//! against the same file. Re-record after an intended change with
//! `RECORD_ALS_DIGESTS=1 cargo test --test recommend_determinism`.

use crmlens::io::read_csv_bytes;
use crmlens::recommend::model::Model;
use crmlens::recommend::{Method, Recommender, RecommenderOptions};
use serde_json::{json, Value};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/recommend/als_determinism.json");

/// FNV-1a over the bits of the user then the item factors.
fn digest(r: &Recommender) -> String {
    let Model::Als { factors, .. } = &r.model else { panic!("not an ALS model") };
    let mut h: u64 = 0xcbf29ce484222325;
    for v in factors.users.iter().chain(&factors.items) {
        for b in v.to_bits().to_le_bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

#[test]
fn als_factors_match_the_recorded_digests() {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/online_retail_uci_first5000/online_retail_small.csv");
    let ds = read_csv_bytes(&std::fs::read(path).unwrap(), Default::default()).unwrap();
    let mut got = serde_json::Map::new();
    for (factors, alpha, cg_steps) in [(13usize, 10.0, 3usize), (21, 2.5, 4)] {
        let opts = RecommenderOptions {
            user: "CustomerID".into(),
            item: "StockCode".into(),
            weight: Some("Quantity".into()),
            method: Some(Method::Als),
            factors: Some(factors),
            iterations: Some(4),
            alpha: Some(alpha),
            cg_steps: Some(cg_steps),
            seed: Some(11),
            ..Default::default()
        };
        let a = Recommender::fit_dataset(&ds, &opts).unwrap();
        assert_eq!(digest(&a), digest(&Recommender::fit_dataset(&ds, &opts).unwrap()), "same seed, same bits");
        got.insert(format!("factors{factors}"), json!(digest(&a)));
    }
    let got = Value::Object(got);
    if std::env::var_os("RECORD_ALS_DIGESTS").is_some() {
        std::fs::write(FIXTURE, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let recorded: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    assert_eq!(got, recorded);
}
