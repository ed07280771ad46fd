//! `segment` in wasm: the labels, inertia, silhouette and projection bits equal those the
//! native build recorded in tests/fixtures/segment/determinism.json; the Mall k = 5 sizes.

use crmlens_wasm::dataset::JsDataset;
use crmlens_wasm::segment::js_segment;
use js_sys::{Array, Float64Array, Int32Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

const DETERMINISM: &str = include_str!("../../../../tests/fixtures/segment/determinism.json");
const BLOBS: &[u8] = include_bytes!("../../../../tests/fixtures/segment/blobs.csv");
const MIXED: &[u8] = include_bytes!("../../../../tests/fixtures/segment/mixed.csv");
const MALL: &[u8] = include_bytes!("../../../../../shared/data/mall_customers/Mall_Customers.csv");

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn bits(v: f64) -> String {
    format!("{:016x}", v.to_bits())
}

fn run(csv: &[u8], options: &str) -> JsValue {
    let ds = JsDataset::from_csv(Uint8Array::from(csv).into(), None).unwrap();
    js_segment(&ds, Some(js_sys::JSON::parse(options).unwrap())).unwrap()
}

#[wasm_bindgen_test]
fn wasm_reproduces_the_native_segmentations_bit_for_bit() {
    let recorded: serde_json::Value = serde_json::from_str(DETERMINISM).unwrap();
    for (name, case) in recorded.as_object().unwrap() {
        let csv = if case["file"] == "blobs.csv" { BLOBS } else { MIXED };
        let out = run(csv, case["options"].as_str().unwrap());
        let labels: Vec<i64> =
            get(&out, "labels").unchecked_into::<Int32Array>().to_vec().into_iter().map(i64::from).collect();
        let expected: Vec<i64> = case["labels"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        assert_eq!(labels, expected, "{name}: labels");
        assert_eq!(get(&out, "k").as_f64().unwrap() as u64, case["k"].as_u64().unwrap(), "{name}: k");
        assert_eq!(bits(get(&out, "inertia").as_f64().unwrap()), case["inertia"].as_str().unwrap(), "{name}: inertia");
        assert_eq!(bits(get(&out, "silhouette").as_f64().unwrap()), case["silhouette"].as_str().unwrap(), "{name}");
        let proj = get(&out, "projection").unchecked_into::<Float64Array>().to_vec();
        let want: Vec<&str> = case["projection"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let got: Vec<String> = proj.iter().take(want.len()).map(|&v| bits(v)).collect();
        assert_eq!(got, want, "{name}: projection");
    }
}

#[wasm_bindgen_test]
fn mall_income_and_spending_in_five_segments() {
    let out = run(MALL, r#"{"columns": ["annual_income_thousands", "spending_score"], "k": 5}"#);
    let segments: Array = get(&out, "segments").unchecked_into();
    let sizes: Vec<f64> = segments.iter().map(|s| get(&s, "size").as_f64().unwrap()).collect();
    assert_eq!(sizes, [81.0, 39.0, 35.0, 23.0, 22.0]);
    let centroids: Array = get(&out, "centroids").unchecked_into();
    assert_eq!(centroids.length(), 5);
    assert_eq!(centroids.get(0).unchecked_into::<Float64Array>().length(), 2);
    let err = JsDataset::from_csv(Uint8Array::from(MALL).into(), None)
        .and_then(|ds| js_segment(&ds, Some(js_sys::JSON::parse(r#"{"kk": 5}"#).unwrap())))
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "INVALID_OPTION");
    assert_eq!(get(&err, "field").as_string().unwrap(), "kk");
}
